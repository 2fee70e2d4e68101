// Shiprocket wire shapes (CONTRACTS §5.1, the official Postman collection): order and return
// bodies, the created order and AWB, India-time dates, a tracking_data block read as NativeEvents,
// and the create rules checked before a call is spent.
import { CARRIER_NAMES } from '../../../shared/domain'
import { CarrierError, type NativeEvent, type TrackResult } from '../types'

const NAME = CARRIER_NAMES.shiprocket

interface ShiprocketOrderItem {
  name: string
  sku: string
  units: number
  selling_price: number
  discount?: number
  tax?: number
  hsn?: string
}

/** POST /orders/create/adhoc, the required fields and the usual optional ones. */
export interface ShiprocketOrderInput {
  order_id: string
  order_date: string
  pickup_location: string
  billing_customer_name: string
  billing_last_name?: string
  billing_address: string
  billing_city: string
  billing_pincode: number
  billing_state: string
  billing_country: string
  billing_email: string
  billing_phone: number
  shipping_is_billing: boolean
  order_items: ShiprocketOrderItem[]
  payment_method: 'COD' | 'Prepaid'
  sub_total: number
  length: number
  breadth: number
  height: number
  weight: number
  [k: string]: unknown
}

/** POST /orders/create/return: "pickup" is the buyer, "shipping" the seller. */
export interface ShiprocketReturnInput {
  order_id: string
  order_date: string
  pickup_customer_name: string
  pickup_address: string
  pickup_city: string
  pickup_state: string
  pickup_country: string
  pickup_pincode: number
  pickup_email: string
  pickup_phone: string
  shipping_customer_name: string
  shipping_address: string
  shipping_city: string
  shipping_country: string
  shipping_pincode: number
  shipping_state: string
  shipping_phone: string
  order_items: Array<ShiprocketOrderItem & { discount: number }>
  payment_method: 'Prepaid'
  sub_total: number
  length: number
  breadth: number
  height: number
  weight: number
  [k: string]: unknown
}

export interface ShiprocketCreated {
  orderId: number
  shipmentId: number
  status: string
  statusCode: number
}

export interface ShiprocketAwb {
  awb: string
  courierName: string
  courierId: number | null
  shipmentId: number
}

/** "23 05 2023 11:43:52" or "2023-05-19 11:59:16", India time (UTC+05:30), to ms. */
export function shiprocketTime(s: unknown): number {
  if (typeof s !== 'string') return NaN
  let m = /^(\d{2}) (\d{2}) (\d{4}) (\d{2}:\d{2}:\d{2})$/.exec(s.trim())
  if (m) return Date.parse(`${m[3]}-${m[2]}-${m[1]}T${m[4]}+05:30`)
  m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)$/.exec(s.trim())
  if (m) return Date.parse(`${m[1]}T${m[2]}+05:30`)
  return Date.parse(s)
}

interface TrackActivity {
  date?: string
  status?: string
  activity?: string
  location?: string
  'sr-status'?: string | number
  'sr-status-label'?: string
}
export interface TrackingData {
  track_status?: number
  shipment_status?: number
  shipment_track?: Array<{ awb_code?: string; current_status?: string; destination?: string; courier_name?: string; edd?: string | null }>
  shipment_track_activities?: TrackActivity[] | null
  track_url?: string
  error?: string
}

/** One tracking_data block -> the TrackResult for that AWB. */
export function trackingToResult(awb: string, td: TrackingData | undefined, now: number): TrackResult {
  if (!td || td.track_status === 0 || td.error) {
    return { trackingNumber: awb, ok: false, error: new CarrierError('not_found', `${NAME}: ${td?.error ?? 'no tracking data'} [${awb}]`) }
  }
  const events: NativeEvent[] = []
  for (const a of td.shipment_track_activities ?? []) {
    const at = shiprocketTime(a.date)
    const sr = String(a['sr-status'] ?? '').trim()
    if (!Number.isFinite(at) || !/^\d+$/.test(sr)) continue // "NA": a courier scan with no Shiprocket status
    events.push({
      at,
      nativeStatus: `shipment:${sr}`,
      label: a['sr-status-label'] ?? null,
      description: a.activity ?? null,
      location: a.location ?? null,
      dedupeKey: `sr:${a.date}|${sr}|${a.activity ?? ''}`
    })
  }
  const last = events.reduce((m, e) => Math.max(m, e.at), 0)
  const track = td.shipment_track?.[0]
  const current: NativeEvent | undefined =
    typeof td.shipment_status === 'number'
      ? {
          at: last || now,
          nativeStatus: `shipment:${td.shipment_status}`,
          label: track?.current_status ?? null,
          dedupeKey: `sr:current|${td.shipment_status}`
        }
      : undefined
  const carrierData: Record<string, unknown> = {}
  if (track?.courier_name) carrierData.courierName = track.courier_name
  if (td.track_url) carrierData.trackUrl = td.track_url
  return { trackingNumber: awb, ok: true, events, ...(current ? { current } : {}), carrierData }
}

/** The rules the API enforces on create, checked before a call (and an order) is spent. */
export function checkOrder(i: ShiprocketOrderInput): { field: string; message: string } | null {
  for (const k of [
    'order_id',
    'order_date',
    'pickup_location',
    'billing_customer_name',
    'billing_address',
    'billing_city',
    'billing_state',
    'billing_country',
    'billing_email'
  ] as const) {
    if (typeof i[k] !== 'string' || !i[k].trim()) return { field: k, message: `${k} is required` }
  }
  if (i.order_id.length > 50) return { field: 'order_id', message: 'order_id is at most 50 characters' }
  if (i.billing_city.length > 30) return { field: 'billing_city', message: 'billing_city is at most 30 characters' }
  if (!Number.isInteger(i.billing_pincode)) return { field: 'billing_pincode', message: 'billing_pincode must be a number' }
  if (!Number.isInteger(i.billing_phone)) return { field: 'billing_phone', message: 'billing_phone must be a number' }
  if (!Array.isArray(i.order_items) || i.order_items.length === 0)
    return { field: 'order_items', message: 'order_items needs at least one item' }
  if (!['COD', 'Prepaid'].includes(i.payment_method)) return { field: 'payment_method', message: 'payment_method is COD or Prepaid' }
  if (!(i.sub_total > 0)) return { field: 'sub_total', message: 'sub_total must be given (Shiprocket does not compute it)' }
  for (const k of ['length', 'breadth', 'height'] as const) if (!(i[k] > 0.5)) return { field: k, message: `${k} must be more than 0.5 cm` }
  if (!(i.weight > 0)) return { field: 'weight', message: 'weight must be more than 0 kg' }
  return null
}
