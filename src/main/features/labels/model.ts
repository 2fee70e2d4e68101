// Builds a LabelModel from what a carrier adapter or the shipment store knows, and refuses what
// would print a wrong label (no tracking number, a PickPost parcel without User ID).
import type { Shipment } from '../../../shared/domain'
import {
  labelWords,
  pickPostName2,
  type LabelAddress,
  type LabelBarcode,
  type LabelDraft,
  type LabelModel,
  type PointAddress
} from '../../../shared/label'
export type { LabelDraft, PointAddress } from '../../../shared/label'
import { GuichetError } from '../../../shared/result'

/** Code 128 takes printable ASCII; these also stay clear of ZPL's ^ ~ and ^BC's > escapes. */
const TRACKING = /^[A-Za-z0-9][A-Za-z0-9 ._/+-]{2,39}$/

const bad = (field: string, message: string) => new GuichetError('invalid_input', message, { field })

function checkAddress(a: LabelAddress | null | undefined, field: string): void {
  if (!a) throw bad(field, `The ${field} address is missing.`)
  if (!a.name1?.trim()) throw bad(`${field}.name1`, `The ${field}'s name is missing.`)
  if (!a.city?.trim()) throw bad(`${field}.city`, `The ${field}'s city is missing.`)
}

export function buildLabelModel(d: LabelDraft): LabelModel {
  const tracking = (d.trackingNumber ?? '').trim()
  if (!TRACKING.test(tracking)) {
    throw bad('trackingNumber', 'The tracking number must be 3 to 40 letters, digits or . _ / + - (it is printed as a Code 128 barcode).')
  }
  if (!d.service?.trim()) throw bad('service', 'The carrier service is missing.')
  if (d.sender) checkAddress(d.sender, 'sender')
  if (d.weightGrams != null && !(d.weightGrams > 0 && d.weightGrams < 1_000_000))
    throw bad('weightGrams', 'The weight must be a positive number of grams.')
  if (d.cod && !(d.cod.amount >= 0 && /^[A-Z]{3}$/.test(d.cod.currency)))
    throw bad('cod', 'Cash on delivery needs an amount and a 3-letter currency.')

  const marks = [...(d.marks ?? [])]
  let recipient: LabelAddress = { ...d.recipient }
  let billing = d.billing ?? null

  if (d.pickPost) {
    if (d.carrier !== 'swisspost') throw bad('pickPost', 'PickPost and My Post 24 are Swiss Post services.')
    const { keyword, userId } = d.pickPost
    if (!userId || !userId.trim()) {
      throw bad(
        'pickPost.userId',
        `A ${keyword} parcel needs the customer's ${keyword} User ID: it goes in the recipient's Name2 as "${keyword} <User ID>". Ask the customer for it.`
      )
    }
    // The account's own line is taken when it ends with this User ID and fits Name2's 35 characters.
    const own = d.pickPost.name2?.trim()
    const name2 =
      own && own.length <= 35 && own.endsWith(` ${userId.trim()}`) && pickPostName2(keyword, userId) ? own : pickPostName2(keyword, userId)
    if (!name2)
      throw bad('pickPost.userId', `"${userId.trim().slice(0, 24)}" is not a ${keyword} User ID (letters and digits only, 4 to 20).`)
    const point = d.deliveryPoint
    if (!point?.address?.city)
      throw bad('deliveryPoint.address', `A ${keyword} parcel is addressed to the point: the point's address is missing.`)
    // The person's own address is the billing address; the point's address is where the parcel goes.
    if (!billing && (d.recipient.street || d.recipient.zip)) billing = { ...d.recipient }
    recipient = {
      name1: d.recipient.name1,
      name2,
      name3: d.recipient.name3 ?? null,
      street: point.address.street ?? null,
      houseNo: point.address.houseNo ?? null,
      zip: point.address.zip ?? null,
      city: point.address.city,
      country: point.address.country ?? 'CH',
      phone: d.recipient.phone ?? null
    }
    if (!marks.includes(keyword)) marks.unshift(keyword)
  } else if (d.deliveryPoint?.address?.city) {
    if (!billing && (d.recipient.street || d.recipient.zip)) billing = { ...d.recipient }
    recipient = {
      ...d.deliveryPoint.address,
      name1: d.recipient.name1,
      name2: d.recipient.name2 ?? null,
      name3: d.recipient.name3 ?? null,
      phone: d.recipient.phone ?? null,
      city: d.deliveryPoint.address.city
    }
  }
  checkAddress(recipient, 'recipient')
  if (d.cod && !marks.includes('COD')) marks.push('COD')

  const barcodes: LabelBarcode[] = [
    { kind: 'code128', payload: tracking, role: 'tracking' },
    ...(d.barcodes ?? []),
    { kind: 'datamatrix', payload: tracking, role: 'tracking' }
  ]
  for (const b of barcodes) {
    if (!b.payload || b.payload.length > 200) throw bad('barcodes', 'A barcode payload must be 1 to 200 characters.')
    if (b.kind === 'code128' && !TRACKING.test(b.payload))
      throw bad('barcodes', `"${b.payload.slice(0, 40)}" can't be printed as Code 128 here.`)
  }

  return {
    carrier: d.carrier,
    trackingNumber: tracking,
    reference: d.reference?.trim() || null,
    sender: d.sender ?? null,
    recipient,
    billing,
    deliveryPoint: d.deliveryPoint ? { id: d.deliveryPoint.id, name: d.deliveryPoint.name, type: d.deliveryPoint.type ?? null } : null,
    service: d.service.trim(),
    weightGrams: d.weightGrams ?? null,
    cod: d.cod ?? null,
    barcodes,
    marks,
    warnings: []
  }
}

/**
 * A label draft from what the local store knows of a shipment. Address details a carrier adapter
 * saved under carrier_data.label (LabelDraft fields) win over the store's summary columns.
 */
export function draftFromShipment(s: Shipment, carrierData: Record<string, unknown> | null, sender: LabelAddress | null): LabelDraft {
  const saved = (carrierData?.label ?? null) as Partial<LabelDraft> | null
  const pointAddr = s.point ? parsePointAddress(s.point.address) : null
  const recipient = saved?.recipient ?? { name1: s.recipientName || '—', phone: s.recipientPhone, city: pointAddr?.city ?? '—' }
  // The service line in the label's own language when the carrier named none (never English on a French label).
  const words = labelWords(saved?.deliveryPoint?.address ?? recipient, s.carrier)
  return {
    carrier: s.carrier,
    trackingNumber: s.trackingNumber,
    reference: s.reference,
    sender,
    recipient,
    billing: saved?.billing ?? null,
    deliveryPoint:
      saved?.deliveryPoint ?? (s.point ? { id: s.point.id, name: s.point.name, type: s.point.type ?? null, address: pointAddr } : null),
    pickPost: saved?.pickPost ?? null,
    service: saved?.service ?? (s.point ? words.servicePoint : words.serviceHome),
    weightGrams: s.weightGrams,
    cod: s.codAmount != null && s.currency ? { amount: s.codAmount, currency: s.currency } : null,
    ...(saved?.barcodes ? { barcodes: saved.barcodes } : {}),
    ...(saved?.marks ? { marks: saved.marks } : {})
  }
}

/** "Rue du Marché 4, 1204 Genève" -> street / zip / city; anything unparsed stays in city. */
export function parsePointAddress(address: string): PointAddress {
  const parts = address
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
  const last = parts.pop() ?? address
  const m = /^(\d{4,6})\s+(.+)$/.exec(last)
  return { street: parts.join(', ') || null, zip: m ? m[1]! : null, city: m ? m[2]! : last }
}
