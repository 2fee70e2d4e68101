// Clickpost's webhook (contract note §5.2): JSON POST with the `webhook_key` header from the
// registration. Clickpost retries until it gets a 200 and does not keep order, so each
// notification yields its own event plus additional.latest_status (keyed on code + time, so
// retries and replays dedupe and the latest event by time decides the status).
import { CarrierError, type CarrierAccount, type NativeEvent, type WebhookHandler, type WebhookRequest, type WebhookUpdate } from '../types'
import { parseJsonObject, sameSecret } from '../shiprocket/webhook'
import { clickpostEvent } from './client'

export const clickpostWebhook: WebhookHandler = {
  verify(req: WebhookRequest, account: CarrierAccount) {
    const expected = account.credentials.webhookKey ?? account.credentials.webhook_key
    if (!expected) throw new CarrierError('unauthorized', `No webhook_key is set for Clickpost account "${account.alias}"`)
    if (!sameSecret(req.headers['webhook_key'] ?? req.headers['webhook-key'], expected))
      throw new CarrierError('unauthorized', 'Clickpost notification has a wrong or missing webhook_key')
  },
  parse(req: WebhookRequest): WebhookUpdate[] {
    const b = parseJsonObject(req, 'Clickpost')
    const waybill = typeof b.waybill === 'string' ? b.waybill.trim() : typeof b.waybill === 'number' ? String(b.waybill) : ''
    if (!waybill) throw new CarrierError('invalid_input', 'Clickpost notification has no waybill', { field: 'waybill' })
    const code =
      typeof b.clickpost_status_code === 'number'
        ? b.clickpost_status_code
        : typeof b.clickpost_status_code === 'string' && /^\d+$/.test(b.clickpost_status_code)
          ? Number(b.clickpost_status_code)
          : NaN
    if (!Number.isInteger(code))
      throw new CarrierError('invalid_input', 'Clickpost notification has no clickpost_status_code', { field: 'clickpost_status_code' })
    const add = (b.additional && typeof b.additional === 'object' ? b.additional : {}) as Record<string, unknown>
    const own = clickpostEvent(
      {
        ...(b as object),
        clickpost_status_code: code,
        ndr_status_code: add.ndr_status_code as number | undefined,
        ndr_status_description: add.ndr_status_description as string | undefined
      },
      waybill
    )
    if (!own) throw new CarrierError('invalid_input', 'Clickpost notification has no readable timestamp', { field: 'timestamp' })
    const events: NativeEvent[] = [own]
    const latest =
      add.latest_status && typeof add.latest_status === 'object'
        ? clickpostEvent(add.latest_status as Record<string, unknown>, waybill)
        : null
    if (latest && latest.dedupeKey !== own.dedupeKey) events.push(latest)
    return [{ trackingNumber: waybill, events }]
  }
}
