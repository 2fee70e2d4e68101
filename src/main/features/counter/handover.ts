// Hand-over: the parcels the clerk ticked leave with their customer, after a check (ID document
// or pickup code) and, when cash is due, an explicitly confirmed amount and method. Each parcel's
// shipment gets a "handed over, receipt R-…" event; the carrier is told through the outbox when its
// API takes it. The customer's receipt carries no internal note (no override reason, no sync).
import type { CarrierSync, CounterParcel, HandoverResult } from '../../../shared/contract/counter'
import { checkCod } from '../../../shared/counter'
import { GuichetError } from '../../../shared/result'
import { iso } from '../../platform/clock'
import { checkIdLast, type IdType } from './core'
import { carrierName, isCarrier, type CounterContext } from './context'
import { textDocument } from './documents'
import type { CheckMethod } from './words'

/** A second identical hand-over within this window is the same click. */
const SAME_ACTION_MS = 10_000

export interface HandoverInput {
  parcelIds: number[]
  idType?: IdType
  idLast?: string
  pickupCode?: string
  cod?: { amount: number; method: 'cash' | 'card' }
  signature?: string
  overrideReason?: string
}

interface HandoverRow {
  id: number
  at: number
  clerk: string
  method: string
  id_type: IdType | null
  id_last4: string | null
  cod_amount: number | null
  cod_currency: string | null
  cod_method: string | null
  signature: string | null
  override_reason: string | null
  parcel_ids: string
}

export class Handover {
  constructor(private readonly c: CounterContext) {}

  handover(input: HandoverInput): HandoverResult {
    const c = this.c
    const ids = [...new Set(input.parcelIds)]
    const rows = ids.map((id) => c.row(id))
    const now = c.now()
    // The same click twice: the first hand-over's receipt again, not an error.
    const prior = rows[0]!.handover_id
    if (
      prior !== null &&
      rows.every((r) => r.handover_id === prior && r.state === 'handed_over') &&
      now - (rows[0]!.handed_over_at ?? 0) <= SAME_ACTION_MS
    ) {
      return this.result(prior)
    }
    const gone = rows.find((r) => r.state !== 'on_shelf')
    if (gone)
      throw new GuichetError('conflict', `Parcel ${gone.tracking_number} is not on the shelf (${gone.state.replace('_', ' ')}).`, {
        field: 'parcelIds'
      })

    const idLast = input.idLast !== undefined && input.idLast.trim() !== '' ? checkIdLast(input.idLast) : null
    if (idLast && !input.idType) throw new GuichetError('invalid_input', 'Say which ID document was shown.', { field: 'idType' })
    const code = input.pickupCode?.trim() || null
    const codeOk = code !== null && rows.some((r) => r.pickup_code === code)
    if (code !== null && !codeOk && !input.overrideReason)
      throw new GuichetError('invalid_input', 'This pickup code does not match these parcels.', { field: 'pickupCode' })
    const idOk = idLast !== null && !!input.idType
    if (!idOk && !codeOk && !input.overrideReason) {
      throw new GuichetError(
        'invalid_input',
        'Check an ID document (type and last digits) or the pickup code, or give a reason to hand over without.',
        { field: 'idLast' }
      )
    }
    const parcels = c.parcels(rows)
    const due = parcels.reduce((sum, p) => sum + (p.codAmount ?? 0), 0)
    const currency = parcels.find((p) => p.codAmount)?.currency ?? null
    const cod = checkCod(due, { amount: input.cod?.amount ?? null, method: input.cod?.method ?? null })
    if (cod.state === 'unconfirmed' && !input.overrideReason)
      throw new GuichetError('invalid_input', `Confirm the ${due.toFixed(2)} ${currency ?? ''} cash on delivery collected, and how.`, {
        field: 'cod'
      })
    if (cod.state === 'short' && !input.overrideReason)
      throw new GuichetError(
        'invalid_input',
        `The amount collected is less than the ${due.toFixed(2)} ${currency ?? ''} due; give a reason.`,
        {
          field: 'cod'
        }
      )
    const method: CheckMethod = input.overrideReason && !idOk && !codeOk ? 'override' : idOk && codeOk ? 'id+code' : idOk ? 'id' : 'code'
    const clerk = c.clerk()

    const handoverId = c.d.db.transaction(() => {
      const info = c
        .q(
          `INSERT INTO counter_handovers (at, clerk, method, id_type, id_last4, cod_amount, cod_currency, cod_method, signature, override_reason, parcel_ids)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
        )
        .run(
          now,
          clerk,
          method,
          idOk ? input.idType! : null,
          idLast,
          due > 0 || input.cod ? (input.cod?.amount ?? 0) : null,
          currency,
          input.cod?.method ?? null,
          input.signature ?? null,
          input.overrideReason ?? null,
          JSON.stringify(ids)
        )
      const hid = Number(info.lastInsertRowid)
      const receiptNo = this.number(hid, now)
      const upd = c.q(
        `UPDATE counter_parcels SET state = 'handed_over', handover_id = ?, handed_over_at = ? WHERE id = ? AND state = 'on_shelf'`
      )
      for (const r of rows) {
        if (upd.run(hid, now, r.id).changes !== 1)
          throw new GuichetError('conflict', `Parcel ${r.tracking_number} was handed over meanwhile.`)
        c.audit(
          'handover',
          r.id,
          { handover: hid, method, idType: idOk ? input.idType : null, cod: input.cod ?? null },
          input.overrideReason ?? null
        )
        c.recordStep(r.shipment_id, { step: 'handover', at: now, document: receiptNo }, hid)
      }
      if (input.overrideReason) c.audit('handover_override', null, { handover: hid }, input.overrideReason)
      for (const r of rows) {
        if (r.shipment_id !== null && isCarrier(r.carrier))
          c.d.queueHandover({ shipmentId: r.shipment_id, carrier: r.carrier, handoverId: hid, at: now })
      }
      return hid
    })()
    c.d.changed?.(rows.map((r) => r.shipment_id).filter((x): x is number => x !== null))
    return this.result(handoverId)
  }

  /** The receipt's number: R-, the day, and the rank of this hand-over among the day's. */
  private number(handoverId: number, at: number): string {
    const { start, end } = this.c.day(at)
    const rank = (
      this.c.q('SELECT count(*) AS n FROM counter_handovers WHERE at >= ? AND at < ? AND id <= ?').get(start, end, handoverId) as {
        n: number
      }
    ).n
    return this.c.docNumber('R', at, rank)
  }

  result(handoverId: number): HandoverResult {
    const c = this.c
    const h = c.q('SELECT * FROM counter_handovers WHERE id = ?').get(handoverId) as HandoverRow
    const parcels = (JSON.parse(h.parcel_ids) as number[]).map((id) => c.parcel(id))
    const L = c.doc()
    const { w } = L
    const no = this.number(handoverId, h.at)
    const carrierSync = parcels.map((p) => this.sync(p, handoverId))
    const checked = h.method in w.checkMethod ? w.checkMethod[h.method as CheckMethod] : h.method
    // What the customer takes home: who, what, how it was checked, what was paid. Nothing internal.
    const lines = [
      L.code(c.pointLine()),
      `${L.time(h.at)} · ${h.clerk}`,
      '',
      ...parcels.map((p) => `${carrierName(p.carrier)} ${L.code(p.trackingNumber)}${p.recipientName ? ` · ${p.recipientName}` : ''}`),
      '',
      L.label(w.check, `${checked}${h.id_type ? ` · ${w.idType[h.id_type]} ${L.code(`••••${h.id_last4 ?? ''}`)}` : ''}`),
      ...(h.cod_amount !== null ? [L.label(w.cod, `${L.money(h.cod_amount, h.cod_currency)} (${L.pay(h.cod_method)})`)] : [])
    ]
    return {
      handoverId,
      number: no,
      at: iso(h.at)!,
      parcels,
      carrierSync,
      receipt: textDocument(w.receiptTitle(no), lines, { signature: h.signature, lang: L.lang })
    }
  }

  /** What happens with the carrier, for the clerk (a code the renderer words), not on the receipt. */
  private sync(p: CounterParcel, handoverId: number): CarrierSync {
    const tracking = p.trackingNumber
    if (p.shipmentId === null || !p.carrier)
      return { parcelId: p.id, mode: 'local_only', note: { code: 'not_matched', params: { tracking } }, outbox: null }
    const carrier = p.carrier
    const outbox = this.c.d.handoverOutbox?.(p.shipmentId, handoverId) ?? null
    if (outbox) return { parcelId: p.id, mode: 'outbox', note: { code: 'handover_outbox', params: { tracking, carrier } }, outbox }
    return { parcelId: p.id, mode: 'local_only', note: { code: 'handover_local_only', params: { tracking, carrier } }, outbox: null }
  }
}
