// The shelf: what waits here, where, and where the carrier and the shelf disagree; and finding a
// customer's parcels for a hand-over (what was asked for, plus the same customer's others as
// unticked proposals, with why they match: shared/counter.ts proposeHandover).
import type { CounterParcel, CounterStock } from '../../../shared/contract/counter'
import { foldName, phoneTail, proposeHandover, type ShelfPerson } from '../../../shared/counter'
import { looksLikeCode, normalizeScan, phoneDigits, trackingKey } from '../../../shared/scan'
import { DAY, iso } from '../../platform/clock'
import type { CounterContext, ParcelRow } from './context'

export class Shelf {
  constructor(private readonly c: CounterContext) {}

  stock(): CounterStock {
    const c = this.c
    c.matchUnmatched()
    const rows = c.rowsWhere(`state IN ('on_shelf','to_return') ORDER BY slot, arrived_at`)
    const parcels = c.parcels(rows)
    const slots = new Map<string, { slot: string; count: number; oldest: number }>()
    for (const r of rows) {
      const k = r.slot ?? '—'
      const s = slots.get(k) ?? { slot: k, count: 0, oldest: r.arrived_at }
      s.count++
      s.oldest = Math.min(s.oldest, r.arrived_at)
      slots.set(k, s)
    }
    const pointId = c.d.pointId()
    const known = new Set(
      (
        c.q(`SELECT shipment_id FROM counter_parcels WHERE shipment_id IS NOT NULL AND state <> 'refused'`).all() as Array<{
          shipment_id: number
        }>
      ).map((r) => r.shipment_id)
    )
    const missing = pointId ? c.d.shipments.waitingAtPoint(pointId, c.now() - 30 * DAY, 500).filter((s) => !known.has(s.id)) : []
    return {
      parcels,
      slots: [...slots.values()]
        .sort((a, b) => a.oldest - b.oldest)
        .map((s) => ({ slot: s.slot, count: s.count, oldestAt: iso(s.oldest)! })),
      carrierDeliveredNotOnShelf: missing.slice(0, 200).map((m) => ({
        shipmentId: m.id,
        carrier: m.carrier,
        trackingNumber: m.trackingNumber,
        recipientName: m.recipientName,
        status: m.unifiedStatus,
        kind: m.statusKind
      })),
      onShelfCarrierInTransit: parcels.filter(
        (p) =>
          p.state === 'on_shelf' &&
          p.origin === 'driver' &&
          (p.carrierStatus === null ||
            (!['delivered', 'cancelled', 'return', 'delivery_failure'].includes(p.carrierStatus) &&
              p.carrierStatusKind !== 'waiting_at_point'))
      )
    }
  }

  /**
   * The customer's parcels: the one(s) found by scan, pickup code, phone or name (ticked), then
   * their others on the shelf, proposed unticked with why they match.
   */
  find(query: string): CounterParcel[] {
    const c = this.c
    c.matchUnmatched()
    const q = normalizeScan(query)
    if (!q) return []
    const onShelf = `state = 'on_shelf'`
    let found: ParcelRow[] = []
    if (/^\d{6}$/.test(q)) found = c.rowsWhere(`${onShelf} AND pickup_code = ?`, q)
    if (found.length === 0 && looksLikeCode(q)) found = c.rowsWhere(`${onShelf} AND tracking_key = ?`, trackingKey(q))
    // Name and phone are matched on light rows (id, name, phone); full rows only for the matches.
    type Light = { id: number; recipient_name: string | null; recipient_phone: string | null }
    let light: Light[] | null = null
    const shelf = (): Light[] =>
      (light ??= c.q(`SELECT id, recipient_name, recipient_phone FROM counter_parcels WHERE state = 'on_shelf'`).all() as Light[])
    const full = (ids: number[]): ParcelRow[] =>
      ids.length ? c.rowsWhere(`${onShelf} AND id IN (SELECT value FROM json_each(?)) ORDER BY id`, JSON.stringify(ids)) : []
    const digits = phoneDigits(q)
    if (found.length === 0 && digits.length >= 6 && digits.length >= q.replace(/\s/g, '').length - 1) {
      const tail = digits.replace(/^0+/, '')
      found = full(
        shelf()
          .filter((r) => r.recipient_phone && phoneDigits(r.recipient_phone).endsWith(tail))
          .map((r) => r.id)
      )
    }
    if (found.length === 0 && q.length >= 2 && /\p{L}/u.test(q)) {
      const f = foldName(q)
      found = full(
        shelf()
          .filter((r) => r.recipient_name && foldName(r.recipient_name).includes(f))
          .map((r) => r.id)
      )
    }
    if (found.length === 0) return []
    // Several different customers answer a name: the clerk picks; nothing more is proposed.
    const phones = new Set(found.map((r) => phoneTail(r.recipient_phone)).filter(Boolean))
    const names = new Set(found.map((r) => (r.recipient_name ? foldName(r.recipient_name) : '')).filter(Boolean))
    const one = found.length === 1 || phones.size === 1 || (phones.size === 0 && names.size === 1)
    const person = (r: { id: number; recipient_name: string | null; recipient_phone: string | null }): ShelfPerson => ({
      id: r.id,
      recipientName: r.recipient_name,
      recipientPhone: r.recipient_phone
    })
    const proposals = one
      ? proposeHandover(found.map(person), shelf().map(person))
      : found.map((r) => ({ id: r.id, reason: 'asked' as const, ticked: true }))
    const byId = new Map(full(proposals.map((p) => p.id)).map((r) => [r.id, r]))
    const rows = proposals.map((p) => byId.get(p.id)).filter((r): r is ParcelRow => !!r)
    const parcels = c.parcels(rows)
    return parcels.map((p, i) => ({ ...p, match: proposals.find((x) => x.id === rows[i]!.id)!.reason }))
  }
}
