// Table owner: `outbox`, through outbox.ts (its API); this file is its SQL.
import { randomUUID } from 'node:crypto'
import type { Database, Statement } from 'better-sqlite3'
import type { CarrierId } from '../../../shared/domain'
import type { ErrorParams } from '../../../shared/result'
import type { OutboxCounts, OutboxState } from '../../../shared/contract/actions'
import type { OutboxRow } from './types'

interface Raw {
  id: number
  kind: string
  shipment_id: number | null
  carrier: CarrierId
  account: string
  idempotency_key: string
  payload: string
  state: OutboxState
  acted_at: number
  created_at: number
  attempts: number
  next_attempt_at: number | null
  last_attempt_at: number | null
  last_error_code: string | null
  last_error: string | null
  last_error_at: number | null
  sent_at: number | null
  result: string | null
}

function parseJson(s: string | null): unknown {
  if (s == null) return null
  try {
    return JSON.parse(s)
  } catch {
    return null
  }
}

/** What the store keeps of an error beside its code: main's words for logs, and what the UI words. */
export interface StoredError {
  code: string
  message: string
  field?: string
  params?: ErrorParams
}

/**
 * `last_error` holds `{message, field?, params?, carrier}` as JSON (carrier: the row's own, set
 * by the UPDATE) so the carrier's reason (the field it refused, its code) reaches the clerk's
 * screen. Rows written before this hold a bare message: read as such.
 */
function decodeError(s: string | null): Pick<OutboxRow, 'lastError' | 'lastErrorField' | 'lastErrorParams'> {
  if (s == null) return { lastError: null, lastErrorField: null, lastErrorParams: null }
  const j = s.startsWith('{') ? parseJson(s) : null
  if (!j || typeof j !== 'object' || typeof (j as { message?: unknown }).message !== 'string')
    return { lastError: s, lastErrorField: null, lastErrorParams: null }
  const d = j as { message: string; field?: unknown; params?: unknown }
  const params: ErrorParams = {}
  if (d.params && typeof d.params === 'object')
    for (const [k, v] of Object.entries(d.params)) if (typeof v === 'string' || typeof v === 'number') params[k] = v
  return {
    lastError: d.message,
    lastErrorField: typeof d.field === 'string' ? d.field : null,
    lastErrorParams: Object.keys(params).length ? params : null
  }
}

const encodeError = (e: StoredError): string =>
  JSON.stringify({ message: e.message, ...(e.field ? { field: e.field } : {}), ...(e.params ? { params: e.params } : {}) })

function toRow(r: Raw): OutboxRow {
  const payload = parseJson(r.payload)
  return {
    id: r.id,
    kind: r.kind,
    shipmentId: r.shipment_id,
    carrier: r.carrier,
    account: r.account,
    idempotencyKey: r.idempotency_key,
    payload: payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : {},
    state: r.state,
    actedAt: r.acted_at,
    createdAt: r.created_at,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastAttemptAt: r.last_attempt_at,
    lastErrorCode: r.last_error_code,
    ...decodeError(r.last_error),
    lastErrorAt: r.last_error_at,
    sentAt: r.sent_at,
    result: parseJson(r.result)
  }
}

/**
 * Runs `fn` in one transaction with synchronous=FULL: when it returns, the outbox change is on
 * disk even if the power goes next. The rest of the store (a cache the carriers can refill)
 * stays at NORMAL. better-sqlite3 is synchronous, so nothing else interleaves on this connection.
 */
export function durably<T>(db: Database, fn: () => T): T {
  if (db.inTransaction) return fn() // the caller's outer durable transaction covers it
  db.pragma('synchronous = FULL')
  try {
    return db.transaction(fn)()
  } finally {
    db.pragma('synchronous = NORMAL')
  }
}

interface NewOutboxRow {
  kind: string
  shipmentId: number | null
  carrier: CarrierId
  account: string
  payload: Record<string, unknown>
  actedAt: number
  /** Given when the caller already holds one (a webhook id...); else a fresh UUID. */
  idempotencyKey?: string
}

/** A fresh idempotency key. Carriers that take one get it verbatim. */
export const newIdempotencyKey = (kind: string): string => `guichet-${kind}-${randomUUID()}`

/** Every SQL statement about the outbox (outbox.ts is its API). Writes must run inside `durably` (the callers do). */
export class OutboxStore {
  private readonly s: Record<string, Statement>

  constructor(readonly db: Database) {
    this.s = {
      insert: db.prepare(`INSERT INTO outbox (kind, shipment_id, carrier, account, idempotency_key, payload, state, acted_at,
          created_at, attempts, next_attempt_at, updated_at)
        VALUES (@kind, @shipment_id, @carrier, @account, @idempotency_key, @payload, 'pending', @acted_at, @now, 0, @now, @now)`),
      byId: db.prepare('SELECT * FROM outbox WHERE id = ?'),
      byKey: db.prepare('SELECT * FROM outbox WHERE idempotency_key = ?'),
      due: db.prepare(`SELECT * FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`),
      nextDue: db.prepare(`SELECT min(next_attempt_at) AS t FROM outbox WHERE state IN ('pending','inflight')`),
      inflight: db.prepare(`SELECT * FROM outbox WHERE state = 'inflight' ORDER BY id`),
      inflightDue: db.prepare(`SELECT * FROM outbox WHERE state = 'inflight' AND next_attempt_at <= ? ORDER BY id`),
      awaitReconcile:
        db.prepare(`UPDATE outbox SET next_attempt_at = @next, last_error_code = @code, last_error = json_set(@error, '$.carrier', carrier),
          last_error_at = @now, updated_at = @now WHERE id = @id AND state = 'inflight'`),
      claim: db.prepare(`UPDATE outbox SET state = 'inflight', attempts = attempts + 1, last_attempt_at = @now, updated_at = @now
        WHERE id = @id AND state = 'pending'`),
      release: db.prepare(`UPDATE outbox SET state = 'pending', next_attempt_at = @now, updated_at = @now
        WHERE id = @id AND state IN ('inflight','pending')`),
      markSent: db.prepare(`UPDATE outbox SET state = 'sent', sent_at = @now, next_attempt_at = NULL, result = @result,
          last_error_code = NULL, last_error = NULL, last_error_at = NULL, updated_at = @now WHERE id = @id AND state = 'inflight'`),
      retryLater:
        db.prepare(`UPDATE outbox SET state = 'pending', next_attempt_at = @next, last_error_code = @code, last_error = json_set(@error, '$.carrier', carrier),
          last_error_at = @now, updated_at = @now WHERE id = @id AND state IN ('inflight','pending')`),
      markFailed:
        db.prepare(`UPDATE outbox SET state = 'failed', next_attempt_at = NULL, last_error_code = @code, last_error = json_set(@error, '$.carrier', carrier),
          last_error_at = @now, updated_at = @now WHERE id = @id AND state IN ('inflight','pending')`),
      requeue: db.prepare(`UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = @now, payload = @payload,
          idempotency_key = @key, last_error_code = NULL, last_error = NULL, last_error_at = NULL, updated_at = @now
        WHERE id = @id AND state = 'failed'`),
      discard: db.prepare(`UPDATE outbox SET state = 'discarded', next_attempt_at = NULL, updated_at = @now
        WHERE id = @id AND state IN ('pending','failed')`),
      counts: db.prepare(`SELECT shipment_id AS shipmentId,
          sum(state IN ('pending','inflight')) AS pending, sum(state = 'failed') AS failed
        FROM outbox WHERE state IN ('pending','inflight','failed') GROUP BY shipment_id`)
    }
  }

  insert(r: NewOutboxRow, now: number): OutboxRow {
    const info = this.s.insert!.run({
      kind: r.kind,
      shipment_id: r.shipmentId,
      carrier: r.carrier,
      account: r.account,
      idempotency_key: r.idempotencyKey ?? newIdempotencyKey(r.kind),
      payload: JSON.stringify(r.payload),
      acted_at: r.actedAt,
      now
    })
    return this.get(Number(info.lastInsertRowid))!
  }

  get(id: number): OutboxRow | null {
    const r = this.s.byId!.get(id) as Raw | undefined
    return r ? toRow(r) : null
  }

  byKey(key: string): OutboxRow | null {
    const r = this.s.byKey!.get(key) as Raw | undefined
    return r ? toRow(r) : null
  }

  due(now: number, limit = 50): OutboxRow[] {
    return (this.s.due!.all(now, limit) as Raw[]).map(toRow)
  }

  /** The earliest next attempt among pending rows, or null when nothing waits. */
  nextDueAt(): number | null {
    return (this.s.nextDue!.get() as { t: number | null }).t
  }

  inflight(): OutboxRow[] {
    return (this.s.inflight!.all() as Raw[]).map(toRow)
  }

  /** Inflight rows whose reconcile is due: a crash's at once, a cut answer's after its backoff. */
  inflightDue(now: number): OutboxRow[] {
    return (this.s.inflightDue!.all(now) as Raw[]).map(toRow)
  }

  /**
   * Stays inflight (the carrier may have it) until `next`, with the error that left it so: the
   * worker asks the carrier then, before anything is sent again.
   */
  awaitReconcile(id: number, next: number, error: StoredError, now: number): boolean {
    return this.s.awaitReconcile!.run({ id, next, code: error.code, error: encodeError(error), now }).changes === 1
  }

  /** pending -> inflight; false when another run took it first. */
  claim(id: number, now: number): boolean {
    return this.s.claim!.run({ id, now }).changes === 1
  }

  /** Back to pending, due now, without recording an error (a reconcile found it was not sent). */
  release(id: number, now: number): boolean {
    return this.s.release!.run({ id, now }).changes === 1
  }

  /** Replaces a row's payload (a kind's own notes, e.g. "resent after a crash"). */
  setPayload(id: number, payload: Record<string, unknown>, now: number): boolean {
    return this.db.prepare('UPDATE outbox SET payload = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(payload), now, id).changes === 1
  }

  markSent(id: number, result: unknown, now: number): boolean {
    return this.s.markSent!.run({ id, now, result: result === undefined ? null : JSON.stringify(result) }).changes === 1
  }

  retryLater(id: number, next: number, error: StoredError, now: number): boolean {
    return this.s.retryLater!.run({ id, next, code: error.code, error: encodeError(error), now }).changes === 1
  }

  markFailed(id: number, error: StoredError, now: number): boolean {
    return this.s.markFailed!.run({ id, code: error.code, error: encodeError(error), now }).changes === 1
  }

  requeue(id: number, payload: Record<string, unknown>, key: string, now: number): boolean {
    return this.s.requeue!.run({ id, payload: JSON.stringify(payload), key, now }).changes === 1
  }

  discard(id: number, now: number): boolean {
    return this.s.discard!.run({ id, now }).changes === 1
  }

  list(f: { shipmentId?: number; state?: OutboxState; kind?: string; limit: number }): OutboxRow[] {
    const where: string[] = []
    const args: unknown[] = []
    if (f.kind !== undefined) {
      where.push('kind = ?')
      args.push(f.kind)
    }
    if (f.shipmentId !== undefined) {
      where.push('shipment_id = ?')
      args.push(f.shipmentId)
    }
    if (f.state) {
      where.push('state = ?')
      args.push(f.state)
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : ''
    return (this.db.prepare(`SELECT * FROM outbox ${clause} ORDER BY id DESC LIMIT ?`).all(...args, f.limit) as Raw[]).map(toRow)
  }

  counts(): OutboxCounts {
    const rows = this.s.counts!.all() as Array<{ shipmentId: number | null; pending: number; failed: number }>
    let pending = 0
    let failed = 0
    const byShipment: OutboxCounts['byShipment'] = []
    for (const r of rows) {
      pending += r.pending
      failed += r.failed
      if (r.shipmentId != null) byShipment.push({ shipmentId: r.shipmentId, pending: r.pending, failed: r.failed })
    }
    return { pending, failed, byShipment }
  }
}
