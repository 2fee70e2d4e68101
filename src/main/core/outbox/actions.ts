import type { Database } from 'better-sqlite3'
import type { Remark } from '../../../shared/domain'
import type { OutboxCounts, OutboxItem, OutboxState } from '../../../shared/contract/actions'
import { GuichetError } from '../../../shared/result'
import { iso, type Clock } from '../../platform/clock'
import { ShipmentRefs, type ShipmentRef } from '../shipments/refs'
import { remarkKind, returnRequestKind } from './kinds'
import type { Outbox } from './outbox'
import { durably, newIdempotencyKey, type OutboxStore } from './store'
import { parsePayload, type OutboxRow } from './types'

/** A clerk's second click on the same action within this window is the same action. */
const DOUBLE_CLICK_MS = 10_000

/**
 * The counter's carrier writes. Each answers at once from the local store: the local record and
 * its outbox row are written in ONE durable transaction, and the worker reaches the carrier later.
 * Table owner: `remarks` rows written here (the carrier's own remarks come with tracking).
 */
export class ActionService {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly store: OutboxStore,
    private readonly clock: Clock
  ) {}

  private get kinds() {
    return this.outbox.kinds
  }

  private changed(rows: OutboxRow[]): void {
    this.outbox.changed(rows)
  }

  private shipment(id: number): ShipmentRef {
    const s = new ShipmentRefs(this.db).get(id)
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
        return this.outbox.enqueue(remarkKind, {
          shipmentId,
          carrier: s.carrier,
          account: s.account,
          idempotencyKey: key,
          actedAt: now,
          payload: { trackingNumber: s.trackingNumber, text, remarkId: Number(info.lastInsertRowid) }
        })
      })
    return { remark: this.remark(row.payload.remarkId as number), outbox: this.item(row) }
  }

  requestReturn(shipmentId: number): OutboxItem {
    const s = this.shipment(shipmentId)
    const now = this.clock.now()
    // One open return request per parcel: a second click, or a second clerk, gets the first one.
    const existing = this.openRow(shipmentId, 'return_request', now, Number.POSITIVE_INFINITY)
    if (existing) return this.item(existing)
    const row = this.outbox.enqueue(returnRequestKind, {
      shipmentId,
      carrier: s.carrier,
      account: s.account,
      actedAt: now,
      payload: { trackingNumber: s.trackingNumber }
    })
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
      const parsed = kind ? parsePayload(kind, row.payload) : null
      if (parsed && !parsed.ok) throw new GuichetError('conflict', parsed.message)
      durably(this.db, () => {
        const payload =
          kind?.applyFix && parsed?.ok && fix.text !== undefined ? kind.applyFix(this.db, row, parsed.value, fix) : row.payload
        // The old key was refused (or is in doubt and the clerk checked): a fresh one, so a carrier
        // that remembers keys does not answer with the old refusal.
        if (row.state === 'pending') this.store.markFailed(id, { code: 'conflict', message: 'Resent by the clerk.' }, now)
        this.store.requeue(id, payload as Record<string, unknown>, newIdempotencyKey(row.kind), now)
        if (parsed?.ok) kind?.onRequeued?.(this.db, row, parsed.value)
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
    const kind = this.kinds.get(row.kind)
    const parsed = kind ? parsePayload(kind, row.payload) : null
    durably(this.db, () => {
      if (this.store.discard(id, this.clock.now()) && parsed?.ok) kind?.onDiscarded?.(this.db, row, parsed.value)
    })
    const after = this.store.get(id)!
    this.changed([after])
    return this.item(after)
  }

  item(r: OutboxRow): OutboxItem {
    return this.outbox.item(r)
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
