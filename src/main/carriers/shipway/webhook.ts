// Shipway notifications. No official payload schema or signature was found (contract note §5.3),
// and a callback is registered as a bare URL: the shared secret therefore travels in that URL
// (?token=..., set by the warehouse when registering) or in an x-shipway-token header. The
// payload read is the tracking shape Shipway's clients use: awbno / current_status_code / time.
import { CarrierError, type CarrierAccount, type WebhookHandler, type WebhookRequest, type WebhookUpdate } from '../types'
import { parseJsonObject, sameSecret } from '../shiprocket/webhook'
import { shipwayTime } from './client'

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '')

export const shipwayWebhook: WebhookHandler = {
  verify(req: WebhookRequest, account: CarrierAccount) {
    const expected = account.credentials.webhookSecret ?? account.credentials.webhook_secret
    if (!expected) throw new CarrierError('unauthorized', `No shared secret is set for Shipway account "${account.alias}"`)
    const given = req.headers['x-shipway-token'] ?? req.query.get('token') ?? undefined
    if (!sameSecret(given, expected)) throw new CarrierError('unauthorized', 'Shipway notification has a wrong or missing shared secret')
  },
  parse(req: WebhookRequest): WebhookUpdate[] {
    const b = parseJsonObject(req, 'Shipway')
    const awb = str(b.awbno ?? b.awb ?? b.awb_number)
    if (!awb) throw new CarrierError('invalid_input', 'Shipway notification has no awbno', { field: 'awbno' })
    const code = str(b.current_status_code ?? b.status_code ?? b.event).toUpperCase()
    if (!/^[A-Z]{2,5}$/.test(code))
      throw new CarrierError('invalid_input', 'Shipway notification has no status code', { field: 'current_status_code' })
    const stamp = str(b.status_time ?? b.timestamp ?? b.time)
    const at = shipwayTime(stamp)
    if (!Number.isFinite(at)) throw new CarrierError('invalid_input', 'Shipway notification has no readable time', { field: 'status_time' })
    return [
      {
        trackingNumber: awb,
        events: [
          {
            at,
            nativeStatus: code,
            label: str(b.current_status) || null,
            location: str(b.location) || null,
            waybill: awb,
            dedupeKey: `sw|${code}|${stamp}`
          }
        ]
      }
    ]
  }
}
