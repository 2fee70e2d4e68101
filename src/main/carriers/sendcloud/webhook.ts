// Sendcloud's parcel_status_changed webhook: the HMAC-SHA256 of the raw body, keyed with the
// integration's secret (or its webhook signature key), arrives hex in Sendcloud-Signature. A wrong
// or missing signature is refused before anything is read; the payload becomes one NativeEvent.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { CarrierError, type CarrierAccount, type NativeEvent, type WebhookHandler, type WebhookRequest, type WebhookUpdate } from '../types'

/** Sendcloud timestamps are epoch numbers; seconds and milliseconds are both seen. */
const toMs = (t: unknown): number | null => {
  const n = typeof t === 'string' ? Number(t) : t
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) return null
  return n < 1e12 ? Math.round(n * 1000) : Math.round(n)
}

export function signSendcloud(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex')
}

export const sendcloudWebhook: WebhookHandler = {
  signsBody: true,
  verify(req: WebhookRequest, account: CarrierAccount): void {
    const secret = account.credentials.webhook_secret || account.credentials.secret_key || account.credentials.password
    if (!secret) throw new CarrierError('unauthorized', 'No Sendcloud webhook secret is set for this account')
    const given = (req.headers['sendcloud-signature'] ?? req.headers['Sendcloud-Signature'] ?? '').trim().toLowerCase()
    if (!/^[0-9a-f]{64}$/.test(given)) throw new CarrierError('unauthorized', 'Sendcloud webhook without a valid signature')
    const expected = Buffer.from(signSendcloud(req.rawBody, secret), 'hex')
    if (!timingSafeEqual(expected, Buffer.from(given, 'hex')))
      throw new CarrierError('unauthorized', 'Sendcloud webhook signature does not match')
  },

  parse(req: WebhookRequest): WebhookUpdate[] {
    let body: unknown
    try {
      body = JSON.parse(req.rawBody.toString('utf8'))
    } catch {
      throw new CarrierError('invalid_input', 'Sendcloud webhook body is not JSON')
    }
    if (!body || typeof body !== 'object') throw new CarrierError('invalid_input', 'Sendcloud webhook body is not an object')
    const b = body as {
      action?: unknown
      timestamp?: unknown
      carrier_status_change_timestamp?: unknown
      parcel?: { id?: unknown; tracking_number?: unknown; status?: { id?: unknown; message?: unknown } }
    }
    // Other actions (integration connected/modified/deleted, return created) carry no parcel status.
    if (b.action !== 'parcel_status_changed') return []
    const p = b.parcel
    const tn = typeof p?.tracking_number === 'string' ? p.tracking_number.trim() : ''
    const statusId = p?.status?.id
    if (!tn || (typeof statusId !== 'number' && typeof statusId !== 'string'))
      throw new CarrierError('invalid_input', 'Sendcloud webhook without a tracking number or status id')
    const at = toMs(b.carrier_status_change_timestamp) ?? toMs(b.timestamp)
    if (at === null) throw new CarrierError('invalid_input', 'Sendcloud webhook without a timestamp')
    const event: NativeEvent = {
      at,
      nativeStatus: String(statusId),
      label: typeof p?.status?.message === 'string' ? p.status.message : null,
      // The same status at the same time is the same event: Sendcloud retries deliveries.
      dedupeKey: `sc:${String(p?.id ?? tn)}:${String(statusId)}:${at}`
    }
    return [{ trackingNumber: tn, events: [event] }]
  }
}
