// The end of the day: what came in and went out, per carrier, with the COD collected; the
// report for A4 and the spreadsheet in the clerk's locale. And the audit trail, read back.
import { CARRIER_NAMES } from '../../../shared/domain'
import type { CounterAuditEntry, CounterDayReport } from '../../../shared/contract/counter'
import { iso } from '../../platform/clock'
import { buildReport, csvConventions, namedDayBounds, reportCsv } from './core'
import { isCarrier, type CounterContext, type ParcelRow } from './context'
import { textDocument } from './documents'

export class Day {
  constructor(private readonly c: CounterContext) {}

  endOfDay(day?: string): CounterDayReport {
    const c = this.c
    const { day: name, start, end } = day ? namedDayBounds(day, c.d.timeZone) : c.day(c.now())
    const between = (col: string) => c.rowsWhere(`${col} >= ? AND ${col} < ?`, start, end)
    const arrived = between('arrived_at')
    const handovers = c.q('SELECT * FROM counter_handovers WHERE at >= ? AND at < ?').all(start, end) as Array<{
      cod_amount: number | null
      cod_currency: string | null
      cod_method: string | null
      parcel_ids: string
    }>
    const handedIds = handovers.flatMap((h) => JSON.parse(h.parcel_ids) as number[])
    const handedRows = handedIds.length ? c.rowsWhere('id IN (SELECT value FROM json_each(?))', JSON.stringify(handedIds)) : []
    const handed = new Map(c.parcels(handedRows).map((p) => [p.id, p]))
    const info = (id: number) => {
      const p = handed.get(id)
      return { carrier: p?.carrier ?? null, cod: (p?.codAmount ?? 0) > 0 }
    }
    const handedOver: Parameters<typeof buildReport>[0]['handedOver'] = []
    for (const h of handovers) {
      const parcels = (JSON.parse(h.parcel_ids) as number[]).map(info)
      // One COD line per hand-over, on the carrier of the parcel that carried the COD (else the first).
      const codAt = Math.max(
        0,
        parcels.findIndex((p) => p.cod)
      )
      parcels.forEach((p, i) =>
        handedOver.push({
          carrier: p.carrier,
          codAmount: i === codAt ? h.cod_amount : null,
          currency: h.cod_currency,
          codMethod: h.cod_method
        })
      )
    }
    const overrides = (
      c
        .q(`SELECT count(*) AS n FROM counter_audit WHERE reason IS NOT NULL AND action LIKE '%override%' AND at >= ? AND at < ?`)
        .get(start, end) as {
        n: number
      }
    ).n
    const onShelf = (c.q(`SELECT count(*) AS n FROM counter_parcels WHERE state IN ('on_shelf','to_return')`).get() as { n: number }).n
    const carrierOf = (r: ParcelRow) => (isCarrier(r.carrier) ? r.carrier : null)
    const report = buildReport({
      day: name,
      checkedIn: arrived
        .filter((r) => r.origin === 'driver' && r.state !== 'refused')
        .map((r) => ({
          carrier: carrierOf(r),
          damaged: r.damaged === 1,
          notForPoint: r.not_for_point === 1,
          unmatched: r.shipment_id === null
        })),
      refused: arrived.filter((r) => r.state === 'refused').map((r) => ({ carrier: carrierOf(r) })),
      handedOver,
      droppedOff: arrived.filter((r) => r.origin === 'dropoff').map((r) => ({ carrier: carrierOf(r) })),
      collected: between('collected_at').map((r) => ({ carrier: carrierOf(r) })),
      preparedForReturn: between('return_at')
        .filter((r) => r.origin === 'driver')
        .map((r) => ({ carrier: carrierOf(r) })),
      overrides,
      onShelf
    })
    const t = report.totals
    const x = report.exceptions
    const L = c.doc()
    const { w } = L
    const lines = [
      L.code(c.pointLine()),
      w.reportIn(t.in, t.droppedOff, t.refused),
      w.reportOut(t.out, t.handedOver, t.collected),
      w.reportReturns(t.preparedForReturn, t.onShelf),
      w.reportExceptions(x.damaged, x.notForPoint, x.unmatched, x.overrides),
      '',
      ...report.carriers.flatMap((l) => [
        w.reportCarrier(l.carrier === 'unknown' ? w.unknownCarrier : CARRIER_NAMES[l.carrier], l.in, l.out, l.handedOver),
        ...l.cod.map((cod) => `   ${w.cod} ${L.money(cod.cents / 100, cod.currency)} ${L.pay(cod.method)} (${cod.count})`)
      ])
    ]
    c.audit('end_of_day', null, { day: name })
    return {
      ...report,
      csv: reportCsv(report, csvConventions(L.lang, w.csv), { total: w.totalRow, unknown: w.unknownCarrier }),
      document: textDocument(w.dayTitle(L.day(name)), lines, { widthMm: 210, lang: L.lang })
    }
  }

  auditLog(limit: number): CounterAuditEntry[] {
    return (
      this.c.q('SELECT * FROM counter_audit ORDER BY id DESC LIMIT ?').all(limit) as Array<{
        id: number
        at: number
        clerk: string
        action: string
        parcel_id: number | null
        detail: string | null
        reason: string | null
      }>
    ).map((r) => ({
      id: r.id,
      at: iso(r.at)!,
      clerk: r.clerk,
      action: r.action,
      parcelId: r.parcel_id,
      detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
      reason: r.reason
    }))
  }
}
