import type { Database } from 'better-sqlite3'
import type { CarrierId, Remark } from '../../../shared/domain'
import type { OutboxCounts, OutboxItem, OutboxState } from '../../../shared/contract/actions'
import { GuichetError } from '../../../shared/result'
import { iso, type Clock } from '../../platform/clock'
import { durably, newIdempotencyKey, type OutboxStore } from './store'
import type { OutboxRow } from './types'
import type { OutboxKinds } from './worker'

/** A clerk's second click on the same action within this window is the same action. */
const DOUBLE_CLICK_MS = 10_000

interface ShipmentRef {
  id: number
  carrier: CarrierId
  account: string
  tracking_number: string
}

/**
 * The counter's carrier writes. Each answers at once from the local store: the local record and
 * its outbox row are written in ONE durable transaction, and the worker reaches the carrier later.
 */
export class ActionService {
  constructor(
    private readonly db: Database,
    private readonly store: OutboxStore,
    private readonly kinds: OutboxKinds,
    private readonly clock: Clock,
    /** Told after every change (wakes the worker, tells the UI). */
    private readonly changed: (rows: OutboxRow[]) => void = () => {}
  ) {}

  private shipment(id: number): ShipmentRef {
    const s = this.db.prepare('SELECT id, carrier, account, tracking_number FROM shipments WHERE id = ?').get(id) as ShipmentRef | undefined
    if (!s) throw new GuichetError('not_found', `No shipment with id ${id}.`, { field: 'shipmentId' })
    return s
  }

  addRemark(shipmentId: number, text: string, author: string | null = null): { remark: Remark; outbox: OutboxItem } {
    const s = this.shipment(shipmentId)
    const now = this.clock.now()
    const existing = this.openRow(shipmentId, 'remark', now, DOUBLE_CLICK_MS, (r) => r.payload.text === text)
    const row =
      existing ??
      durably(this.db, () => {
        const key = newIdempotencyKey('remark')
        const info = this.db
          .prepare(
            `INSERT INTO remarks (shipment_id, text, author, origin, state, created_at, dedupe_key)
            VALUES (?, ?, ?, 'local', 'pending', ?, ?)`
          )
          .run(shipmentId, text, author, now, key)
        return this.store.insert(
          {
            kind: 'remark',
            shipmentId,
            carrier: s.carrier,
            account: s.account,
            idempotencyKey: key,
            actedAt: now,
            payload: { trackingNumber: s.tracking_number, text, remarkId: Number(info.lastInsertRowid) }
          },
          now
        )
      })
    if (!existing) this.changed([row])
    return { remark: this.remark(row.payload.remarkId as number), outbox: this.item(row) }
  }

  requestReturn(shipmentId: number): OutboxItem {
    const s = this.shipment(shipmentId)
    const now = this.clock.now()
    // One open return request per parcel: a second click, or a second clerk, gets the first one.
    const existing = this.openRow(shipmentId, 'return_request', now, Number.POSITIVE_INFINITY)
    if (existing) return this.item(existing)
    const row = durably(this.db, () =>
      this.store.insert(
        {
          kind: 'return_request',
          shipmentId,
          carrier: s.carrier,
          account: s.account,
          actedAt: now,
          payload: { trackingNumber: s.tracking_number }
        },
        now
      )
    )
    this.changed([row])
    return this.item(row)
  }

  list(f: { shipmentId?: number; state?: OutboxState; limit: number }): OutboxItem[] {
    return this.store.list(f).map((r) => this.item(r))
  }

  counts(): OutboxCounts {
    return this.store.counts()
  }

  /** A stopped row goes again (with the clerk's fix); a waiting one is tried now. */
  resend(id: number, fix: { text?: string } = {}): OutboxItem {
    const row = this.row(id)
    const kind = this.kinds.get(row.kind)
    if (fix.text !== undefined && !kind?.editable) {
      throw new GuichetError('invalid_input', "Only a remark's text can be changed before resending.", { field: 'text' })
    }
    const now = this.clock.now()
    if (row.state === 'pending' && fix.text === undefined) {
      durably(this.db, () => this.store.release(id, now))
    } else if (row.state === 'failed' || row.state === 'pending') {
      durably(this.db, () => {
        const payload = kind?.applyFix && fix.text !== undefined ? kind.applyFix(this.db, row, fix) : row.payload
        // The old key was refused (or is in doubt and the clerk checked): a fresh one, so a carrier
        // that remembers keys does not answer with the old refusal.
        if (row.state === 'pending') this.db.prepare("UPDATE outbox SET state = 'failed' WHERE id = ? AND state = 'pending'").run(id)
        this.store.requeue(id, payload, newIdempotencyKey(row.kind), now)
        kind?.onRequeued?.(this.db, row)
      })
    } else if (row.state === 'inflight') {
      throw new GuichetError('conflict', 'This is being sent right now; wait for the answer.')
    } else {
      throw new GuichetError(
        'conflict',
        row.state === 'sent' ? 'This was already sent.' : 'This was discarded; make the request again instead.'
      )
    }
    const after = this.store.get(id)!
    this.changed([after])
    return this.item(after)
  }

  discard(id: number): OutboxItem {
    const row = this.row(id)
    if (row.state === 'inflight') throw new GuichetError('conflict', 'This is being sent right now; it cannot be discarded.')
    if (row.state === 'sent') throw new GuichetError('conflict', 'This was already sent; it cannot be discarded.')
    if (row.state === 'discarded') return this.item(row)
    durably(this.db, () => {
      if (this.store.discard(id, this.clock.now())) this.kinds.get(row.kind)?.onDiscarded?.(this.db, row)
    })
    const after = this.store.get(id)!
    this.changed([after])
    return this.item(after)
  }

  item(r: OutboxRow): OutboxItem {
    const kind = this.kinds.get(r.kind)
    return {
      id: r.id,
      kind: r.kind,
      shipmentId: r.shipmentId,
      carrier: r.carrier,
      account: r.account,
      state: r.state,
      summary: kind ? kind.summary(r) : r.kind,
      details: kind?.details?.(r) ?? {},
      actedAt: iso(r.actedAt)!,
      attempts: r.attempts,
      nextAttemptAt: r.state === 'pending' ? iso(r.nextAttemptAt) : null,
      lastError: r.lastError
        ? { code: r.lastErrorCode ?? 'carrier_error', message: r.lastError, at: iso(r.lastErrorAt ?? r.actedAt)! }
        : null,
      sentAt: iso(r.sentAt),
      editable: Boolean(kind?.editable) && r.state === 'failed'
    }
  }

  private row(id: number): OutboxRow {
    const row = this.store.get(id)
    if (!row) throw new GuichetError('not_found', `No outbox entry with id ${id}.`, { field: 'id' })
    return row
  }

  private openRow(
    shipmentId: number,
    kind: string,
    now: number,
    windowMs: number,
    match: (r: OutboxRow) => boolean = () => true
  ): OutboxRow | null {
    const rows = this.store.list({ shipmentId, limit: 50 })
    return (
      rows.find((r) => r.kind === kind && (r.state === 'pending' || r.state === 'inflight') && now - r.actedAt <= windowMs && match(r)) ??
      null
    )
  }

  private remark(id: number): Remark {
    const r = this.db.prepare('SELECT * FROM remarks WHERE id = ?').get(id) as {
      id: number
      shipment_id: number
      text: string
      author: string | null
      origin: 'local' | 'carrier'
      state: Remark['state']
      created_at: number
    }
    return {
      id: r.id,
      shipmentId: r.shipment_id,
      text: r.text,
      author: r.author,
      origin: r.origin,
      state: r.state,
      createdAt: iso(r.created_at)!
    }
  }
}
