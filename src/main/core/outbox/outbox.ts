// Table owner: `outbox`. Every other module reaches outbox rows through this API (enqueue, rowFor,
// item...), never by SQL: a feature declares its kind (with a payload schema) and enqueues rows.
import type { Database } from 'better-sqlite3'
import type { CarrierId } from '../../../shared/domain'
import type { OutboxItem } from '../../../shared/contract/actions'
import { GuichetError } from '../../../shared/result'
import { iso } from '../../platform/clock'
import { durably, OutboxStore } from './store'
import { parsePayload, type AnyOutboxKind, type OutboxKind, type OutboxRow } from './types'
import { OutboxKinds, type OutboxWorker, type SendOutcome } from './worker'

interface Enqueue<P> {
  shipmentId: number | null
  carrier: CarrierId
  account: string
  payload: P
  /** The clerk's time. */
  actedAt: number
  /** Given when the caller already holds one (a webhook's digest...); else a fresh UUID. */
  idempotencyKey?: string
}

export class Outbox {
  constructor(
    readonly db: Database,
    private readonly store: OutboxStore,
    readonly kinds: OutboxKinds,
    /** Told after every change (wakes the worker, tells the UI). */
    private readonly onChange: (rows: OutboxRow[]) => void = () => {},
    /** The worker, for a clerk who waits for the carrier's answer; left out: rows wait for a run. */
    private readonly sender: Pick<OutboxWorker, 'sendNow'> | null = null
  ) {}

  /** Sends this row now and tells what happened (see OutboxWorker.sendNow). */
  sendNow(id: number): Promise<{ outcome: SendOutcome; error: unknown }> {
    if (!this.sender) throw new GuichetError('internal', 'This outbox has no worker to send with.')
    return this.sender.sendNow(id)
  }

  /** The newest row of `kind` whose payload matches (on this shipment, when given). */
  find<P>(kind: OutboxKind<P>, match: (payload: P, row: OutboxRow) => boolean, shipmentId?: number): OutboxRow | null {
    const f = shipmentId === undefined ? { kind: kind.kind, limit: 200 } : { shipmentId, kind: kind.kind, limit: 200 }
    for (const r of this.store.list(f)) {
      const p = parsePayload(kind, r.payload)
      if (p.ok && match(p.value, r)) return r
    }
    return null
  }

  /** A row that failed while the clerk watched: they have the refusal on screen; nothing waits. */
  dropRefused(id: number, now: number): void {
    durably(this.db, () => this.store.discard(id, now))
  }

  /**
   * Queues one carrier write, durably. The payload is checked against the kind's schema first: a
   * row the worker could not read is refused here, where the bug is, not days later at send time.
   * Inside a caller's transaction it commits with it (the local record and its row together).
   */
  enqueue<P>(kind: OutboxKind<P>, r: Enqueue<P>, now: number = r.actedAt): OutboxRow {
    if (!this.kinds.get(kind.kind)) throw new GuichetError('internal', `Outbox kind "${kind.kind}" is not registered.`)
    const parsed = parsePayload(kind, r.payload)
    if (!parsed.ok) throw new GuichetError('internal', parsed.message)
    const row = durably(this.db, () =>
      this.store.insert(
        {
          kind: kind.kind,
          shipmentId: r.shipmentId,
          carrier: r.carrier,
          account: r.account,
          payload: parsed.value as Record<string, unknown>,
          actedAt: r.actedAt,
          ...(r.idempotencyKey !== undefined ? { idempotencyKey: r.idempotencyKey } : {})
        },
        now
      )
    )
    this.changed([row])
    return row
  }

  /** Rows changed outside enqueue (resend, discard...): wake the worker, tell the UI. */
  changed(rows: OutboxRow[]): void {
    this.onChange(rows)
  }

  get(id: number): OutboxRow | null {
    return this.store.get(id)
  }

  /** Whether a row with this idempotency key exists (a webhook forwarded once is queued once). */
  hasKey(key: string): boolean {
    return this.store.byKey(key) !== null
  }

  /** The newest rows of one kind, as the delivery logs show them. */
  listKind(kind: string, limit: number): OutboxRow[] {
    return this.store.list({ kind, limit })
  }

  /** The row of `kind` for this shipment whose payload matches, as the UI sees it (newest first). */
  rowFor<P>(kind: OutboxKind<P>, shipmentId: number, match: (payload: P) => boolean): OutboxItem | null {
    const r = this.find(kind, (p) => match(p), shipmentId)
    return r ? this.item(r) : null
  }

  itemById(id: number): OutboxItem | null {
    const row = this.store.get(id)
    return row ? this.item(row) : null
  }

  /** A row as the UI sees it; a payload that no longer fits its schema keeps the kind's name. */
  item(r: OutboxRow): OutboxItem {
    const kind = this.kinds.get(r.kind)
    const p = kind ? parsePayload(kind, r.payload) : null
    return {
      id: r.id,
      kind: r.kind,
      shipmentId: r.shipmentId,
      carrier: r.carrier,
      account: r.account,
      state: r.state,
      summary: kind && p?.ok ? kind.summary(p.value, r) : r.kind,
      details: (kind && p?.ok ? kind.details?.(p.value, r) : undefined) ?? {},
      actedAt: iso(r.actedAt)!,
      attempts: r.attempts,
      nextAttemptAt: r.state === 'pending' ? iso(r.nextAttemptAt) : null,
      lastError: r.lastError
        ? {
            code: r.lastErrorCode ?? 'carrier_error',
            message: r.lastError,
            at: iso(r.lastErrorAt ?? r.actedAt)!,
            carrier: r.carrier,
            ...(r.lastErrorField ? { field: r.lastErrorField } : {}),
            ...(r.lastErrorParams ? { params: r.lastErrorParams } : {})
          }
        : null,
      sentAt: iso(r.sentAt),
      editable: Boolean(kind?.editable) && r.state === 'failed' && Boolean(p?.ok)
    }
  }
}

/** An outbox over `db` that knows `kinds` (tools, tests and the demo slice; the backend builds its own). */
export function outboxOn(db: Database, kinds: readonly AnyOutboxKind[], onChange?: (rows: OutboxRow[]) => void): Outbox {
  return new Outbox(db, new OutboxStore(db), new OutboxKinds(kinds), onChange ?? (() => {}))
}
