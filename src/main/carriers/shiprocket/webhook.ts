// Shiprocket's tracking webhook (contract note §5.1): JSON POST, the optional shared token in the
// x-api-key header, no signature. One notification = one event (its current status); its `scans`
// repeat history the poller reads anyway, so they are not replayed into the timeline.
import { timingSafeEqual } from 'node:crypto'
import { CarrierError, type CarrierAccount, type NativeEvent, type WebhookHandler, type WebhookRequest, type WebhookUpdate } from '../types'
import { shiprocketReturnLabel } from './mapping'
import { shiprocketTime } from './wire'

/** Compares secrets in constant time (a timing side channel would leak the token byte by byte). */
export function sameSecret(given: string | undefined, expected: string | undefined): boolean {
  if (!given || !expected) return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** JSON object or a typed invalid_input; never a raw SyntaxError. */
export function parseJsonObject(req: WebhookRequest, carrier: string): Record<string, unknown> {
  let v: unknown
  try {
    v = JSON.parse(req.rawBody.toString('utf8'))
  } catch {
    throw new CarrierError('invalid_input', `${carrier} notification is not valid JSON`)
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new CarrierError('invalid_input', `${carrier} notification is not a JSON object`)
  return v as Record<string, unknown>
}

const intOf = (v: unknown): number | null =>
  typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : null

export const shiprocketWebhook: WebhookHandler = {
  verify(req: WebhookRequest, account: CarrierAccount) {
    // The vault names fields in snake_case (credentials.set); tests and demo use camelCase.
    const expected = account.credentials.webhook_token ?? account.credentials.webhookToken
    // With no token configured, the receiver would accept anyone: refuse instead.
    if (!expected) throw new CarrierError('unauthorized', `No webhook token is set for Shiprocket account "${account.alias}"`)
    if (!sameSecret(req.headers['x-api-key'], expected))
      throw new CarrierError('unauthorized', 'Shiprocket notification has a wrong or missing x-api-key')
  },
  parse(req: WebhookRequest): WebhookUpdate[] {
    const b = parseJsonObject(req, 'Shiprocket')
    const awb = typeof b.awb === 'string' ? b.awb.trim() : typeof b.awb === 'number' ? String(b.awb) : ''
    if (!awb) throw new CarrierError('invalid_input', 'Shiprocket notification has no awb', { field: 'awb' })
    const at = shiprocketTime(b.current_timestamp)
    if (!Number.isFinite(at))
      throw new CarrierError('invalid_input', 'Shiprocket notification has no readable current_timestamp', { field: 'current_timestamp' })
    const shipmentId = intOf(b.shipment_status_id)
    const orderId = intOf(b.current_status_id)
    if (shipmentId === null && orderId === null)
      throw new CarrierError('invalid_input', 'Shiprocket notification has no status id', { field: 'shipment_status_id' })
    const isReturn = intOf(b.is_return) === 1
    const label = String(b.shipment_status ?? b.current_status ?? '').trim() || null
    const scan = Array.isArray(b.scans) ? (b.scans.at(-1) as Record<string, unknown> | undefined) : undefined
    const native = shipmentId !== null ? (isReturn ? `return:${shipmentId}` : `shipment:${shipmentId}`) : `order:${orderId}`
    const shown = isReturn && shipmentId !== null ? shiprocketReturnLabel(shipmentId, label ?? '') : label
    const activity = typeof scan?.activity === 'string' ? scan.activity : null
    const event: NativeEvent = {
      at,
      nativeStatus: native,
      label: shown,
      // A return's own name leads, so the timeline says RETURN_PICKED_UP, not just PICKED UP.
      description: isReturn ? [shown, activity].filter(Boolean).join(' — ') || null : activity,
      location: typeof scan?.location === 'string' ? scan.location : null,
      waybill: awb,
      // The same notification retried is the same event; a new status or time is a new one.
      dedupeKey: `sr-webhook|${native}|${String(b.current_timestamp)}`
    }
    return [{ trackingNumber: awb, events: [event] }]
  }
}
