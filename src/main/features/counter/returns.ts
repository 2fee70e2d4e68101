// Returns: parcels kept past their hold period are prepared to go back (the carrier is asked for
// the return through the outbox when its API takes one), and customers drop off their own
// returns. Both become events of the shipment ("to return", "return dropped off").
import type { CarrierSync, CounterParcel, DropoffResult, PrepareReturnResult } from '../../../shared/contract/counter'
import { CARRIER_NAMES } from '../../../shared/domain'
import { GuichetError } from '../../../shared/result'
import { DAY } from '../../platform/clock'
import { suggestSlot } from './core'
import { carrierName, isCarrier, type CounterContext } from './context'
import { textDocument } from './documents'

export class Returns {
  constructor(private readonly c: CounterContext) {}

  expired(): CounterParcel[] {
    const c = this.c
    const hold = c.config().holdDays
    // Nothing that arrived within the shortest hold period can have expired: SQL skips it.
    const recent = c.now() - Math.min(...Object.values(hold)) * DAY
    return c
      .parcels(c.rowsWhere(`state = 'on_shelf' AND origin = 'driver' AND arrived_at < ? ORDER BY arrived_at`, recent))
      .filter((p) => p.expired)
  }

  prepareReturn(parcelIds: number[]): PrepareReturnResult {
    const c = this.c
    const ids = [...new Set(parcelIds)]
    const rows = ids.map((id) => c.row(id))
    const bad = rows.find((r) => r.state !== 'on_shelf' && r.state !== 'to_return')
    if (bad)
      throw new GuichetError('conflict', `Parcel ${bad.tracking_number} is not on the shelf (${bad.state.replace('_', ' ')}).`, {
        field: 'parcelIds'
      })
    const now = c.now()
    const L = c.doc()
    const no = this.listNumber(now)
    const sync: CarrierSync[] = []
    c.d.db.transaction(() => {
      for (const r of rows) {
        if (r.state === 'on_shelf') {
          c.q(`UPDATE counter_parcels SET state = 'to_return', return_at = ? WHERE id = ?`).run(now, r.id)
          c.audit('prepare_return', r.id, { tracking: r.tracking_number, list: no })
          c.recordStep(r.shipment_id, { step: 'return_prepared', at: now, slot: r.slot, document: no }, r.id)
        }
        const tracking = r.tracking_number
        // Dropped-off returns already travel on their own return label: nothing to ask the carrier.
        if (r.origin === 'driver' && r.shipment_id !== null && isCarrier(r.carrier)) {
          const q = c.d.queueReturn({ shipmentId: r.shipment_id, carrier: r.carrier })
          const code = q.reason === 'queued' ? 'return_queued' : q.reason === 'waits_account' ? 'return_waits_account' : 'return_no_api'
          const note = { code, params: { tracking, carrier: r.carrier } } as const
          sync.push({ parcelId: r.id, mode: q.outbox ? 'outbox' : 'local_only', note, outbox: q.outbox })
        } else {
          sync.push({ parcelId: r.id, mode: 'local_only', note: { code: 'recorded_here_only', params: { tracking } }, outbox: null })
        }
      }
    })()
    const parcels = ids.map((id) => c.parcel(id))
    c.d.changed?.(rows.map((r) => r.shipment_id).filter((x): x is number => x !== null))
    const lines = [
      L.code(c.pointLine()),
      `${L.time(now)} · ${c.clerk()}`,
      '',
      ...parcels.map((p) => `[ ] ${L.code(p.slot ?? '')} ${carrierName(p.carrier)} ${L.code(p.trackingNumber)}`),
      '',
      L.w.toReturn(L.parcels(parcels.length))
    ]
    return { parcels, carrierSync: sync, manifest: textDocument(L.w.returnTitle(no), lines, { widthMm: 210, lang: L.lang }) }
  }

  /** P-…: one list per preparation; its rank is the number of distinct preparation times that day. */
  private listNumber(now: number): string {
    const { start } = this.c.day(now)
    const before = (
      this.c
        .q(`SELECT count(DISTINCT return_at) AS n FROM counter_parcels WHERE origin = 'driver' AND return_at >= ? AND return_at < ?`)
        .get(start, now) as { n: number }
    ).n
    return this.c.docNumber('P', now, before + 1)
  }

  /** A customer's return: scanned from its return label or AWB, shelved for the driver. */
  dropoff(code: string, slot?: string): DropoffResult {
    const c = this.c
    const { key, number } = c.codeOf(code)
    c.matchUnmatched()
    const live = c.liveByKey(key)
    if (live) {
      if (live.origin !== 'dropoff')
        throw new GuichetError('conflict', `Parcel ${live.tracking_number} is already on the shelf as a parcel to collect.`)
      const p = c.parcels([live])[0]!
      return { parcel: p, receipt: this.receipt(p) }
    }
    const hit = c.shipmentByKey(key)
    const now = c.now()
    const carrier = hit?.carrier ?? null
    const shelfSlot = slot ?? `RET-${carrier ? suggestSlot(carrier, now, null).slice(0, 2) : '??'}`
    const id = c.d.db.transaction(() => {
      const info = c
        .q(
          `INSERT INTO counter_parcels (tracking_key, tracking_number, shipment_id, carrier, origin, state, slot, recipient_name, recipient_phone, arrived_at, return_at)
          VALUES (?, ?, ?, ?, 'dropoff', 'to_return', ?, ?, ?, ?, ?)`
        )
        .run(
          key,
          hit?.trackingNumber ?? number,
          hit?.id ?? null,
          carrier,
          shelfSlot,
          hit?.recipientName ?? null,
          hit?.recipientPhone ?? null,
          now,
          now
        )
      const pid = Number(info.lastInsertRowid)
      c.audit('dropoff', pid, { tracking: hit?.trackingNumber ?? number, matched: !!hit })
      c.recordStep(hit?.id ?? null, { step: 'dropoff', at: now, slot: shelfSlot, document: this.dropoffNumber(pid, now) }, pid)
      return pid
    })()
    const parcel = c.parcel(id)
    c.d.changed?.(hit ? [hit.id] : [])
    return { parcel, receipt: this.receipt(parcel) }
  }

  private dropoffNumber(parcelId: number, at: number): string {
    const { start, end } = this.c.day(at)
    const rank = (
      this.c
        .q(`SELECT count(*) AS n FROM counter_parcels WHERE origin = 'dropoff' AND arrived_at >= ? AND arrived_at < ? AND id <= ?`)
        .get(start, end, parcelId) as { n: number }
    ).n
    return this.c.docNumber('D', at, rank)
  }

  private receipt(p: CounterParcel): DropoffResult['receipt'] {
    const c = this.c
    const L = c.doc()
    const at = Date.parse(p.arrivedAt)
    return textDocument(
      L.w.dropoffTitle(this.dropoffNumber(p.id, at)),
      [
        L.code(c.pointLine()),
        `${L.time(at)} · ${c.clerk()}`,
        '',
        `${p.carrier ? CARRIER_NAMES[p.carrier] : L.w.carrierNotKnownYet} ${L.code(p.trackingNumber)}`,
        L.w.withNextCollection
      ],
      { lang: L.lang }
    )
  }
}
