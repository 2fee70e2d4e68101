// The Shipway adapter (contract note §5.3, third-party material only: kept small). It speaks the
// newer generation only (base https://app.shipway.com, paths under /api, HTTP Basic with
// base64(email:licence key)), because it is the one whose documented slugs cover everything we
// need (push, order lookup, shipment cancel) under one auth; the legacy shipway.in body-credential
// API is not used at all. Calls: POST /api/v2orders (push), GET /api/getorders?orderid= or
// ?awb_number= (AWB, carrier, status scans), POST /api/Cancel {awb_number: [...]}.
import { CARRIER_NAMES } from '../../../shared/domain'
import { HttpClient, type HttpRequest } from '../http/client'
import type { AggregatorDepsExtra } from '../shiprocket/client'
import { CarrierError, type CarrierAccount, type CarrierAdapter, type Capability, type NativeEvent, type TrackResult } from '../types'

const NAME = CARRIER_NAMES.shipway

interface ShipwayShipment {
  orderId: string
  awb: string | null
  carrier: string | null
  currentStatusCode: string | null
  labelUrl: string | null
}

export interface ShipwayAdapter extends CarrierAdapter {
  pushOrder(order: Record<string, unknown>): Promise<void>
  orderShipment(orderId: string): Promise<ShipwayShipment | null>
  fetchLabel(url: string): Promise<{ contentType: string; data: Uint8Array }>
}

/** One order of a getorders answer (the SDK's order list item; only the fields we read). */
interface SwOrderItem {
  order_id?: string
  tracking_number?: string
  carrier_title?: string
  shipment_status?: string
  shipment_status_name?: string | null
  /** Not in the SDK's order list item: the name the push answer gives the label link (see README). */
  shipping_url?: string
  shipment_status_scan?: Array<{ status?: string; datetime?: string; sub_status?: string }>
}

/** "2024-05-01 10:00:00" India time, or ISO. */
export function shipwayTime(s: unknown): number {
  if (typeof s !== 'string' || !s.trim()) return NaN
  const t = s.trim().replace(' ', 'T')
  return /[zZ]|[+-]\d{2}:?\d{2}$/.test(t) ? Date.parse(t) : Date.parse(`${t}+05:30`)
}

export function createShipwayAdapter(account: CarrierAccount, deps: AggregatorDepsExtra): ShipwayAdapter {
  const email = account.credentials.email ?? account.credentials.username ?? ''
  const licence = account.credentials.license_key ?? account.credentials.password ?? ''
  const basic = Buffer.from(`${email}:${licence}`).toString('base64')
  const http = new HttpClient({
    baseUrl: account.baseUrl,
    logger: deps.logger,
    now: deps.now,
    sleep: deps.sleep,
    random: deps.random,
    limits: [],
    timeoutMs: deps.timeoutMs,
    maxRetries: deps.maxRetries,
    maxQueueWaitMs: deps.maxQueueWaitMs,
    secrets: [licence, basic],
    carrierName: `${NAME} (${account.alias})`
  })

  async function call<T extends { success?: unknown; message?: unknown; error?: unknown }>(
    method: 'GET' | 'POST',
    path: string,
    payload: Record<string, unknown>,
    safe: boolean,
    subject?: string
  ): Promise<T> {
    if (!email || !licence) throw new CarrierError('unauthorized', `${NAME} account "${account.alias}" has no e-mail or licence key`)
    const req: HttpRequest = {
      method,
      path,
      headers: {
        authorization: `Basic ${basic}`,
        accept: 'application/json',
        ...(method === 'POST' ? { 'content-type': 'application/json' } : {})
      },
      ...(method === 'GET' ? { query: payload as Record<string, string> } : { body: JSON.stringify(payload) }),
      safe,
      subject
    }
    const { status, body: b } = await http.json<T>(req)
    if (status === 401 || status === 403)
      throw http.error('unauthorized', `${NAME} refused the e-mail or licence key (HTTP ${status})`, req, { httpStatus: status })
    const msg = String((typeof b?.message === 'string' ? b.message : '') || (typeof b?.error === 'string' ? b.error : '') || 'failed')
    if (status === 400 || status === 422) throw http.error('carrier_refused', `${NAME} refused: ${msg}`, req, { httpStatus: status })
    if (status >= 400) throw http.error('carrier_error', `${NAME} answered HTTP ${status}`, req, { httpStatus: status })
    if (b?.success !== true && b?.success !== 'true' && b?.success !== 1) {
      if (/not found|no record|invalid awb|invalid order/i.test(msg)) throw http.error('not_found', `${NAME}: ${msg}`, req)
      throw http.error('carrier_refused', `${NAME} refused: ${msg}`, req)
    }
    return b
  }

  /** The one order getorders finds for this filter, or a not_found error. */
  async function findOne(query: Record<string, string>, subject: string): Promise<SwOrderItem> {
    const b = await call<{ success?: unknown; message?: unknown }>('GET', '/api/getorders', query, true, subject)
    const list = Array.isArray(b.message) ? (b.message as SwOrderItem[]) : []
    const hit = list.find((o) => (query.orderid ? o.order_id === query.orderid : o.tracking_number === query.awb_number))
    if (!hit) throw new CarrierError('not_found', `${NAME} has no order or shipment ${subject}`)
    return hit
  }

  const capabilities = new Set<Capability>(['track_one', 'create_shipment', 'cancel', 'label', 'webhook'])
  const adapter: ShipwayAdapter = {
    carrier: 'shipway',
    account: account.alias,
    capabilities,
    batchSize: 1,
    async track(awbs) {
      const out: TrackResult[] = []
      for (const awb of awbs) {
        try {
          const r = await findOne({ awb_number: awb }, awb)
          const events: NativeEvent[] = (r.shipment_status_scan ?? [])
            .map((s) => ({
              at: shipwayTime(s.datetime),
              nativeStatus: String(s.status ?? '').toUpperCase(),
              label: s.sub_status || null,
              location: null,
              waybill: awb,
              dedupeKey: `sw|${s.status}|${s.datetime}`
            }))
            .filter((e) => Number.isFinite(e.at) && e.nativeStatus)
          const last = events.reduce((m, e) => Math.max(m, e.at), 0)
          const code = String(r.shipment_status ?? '').toUpperCase()
          const current = code
            ? { at: last || deps.now(), nativeStatus: code, label: r.shipment_status_name ?? null, dedupeKey: `sw|current|${code}` }
            : undefined
          out.push({ trackingNumber: awb, ok: true, events, ...(current ? { current } : {}) })
        } catch (e) {
          out.push({
            trackingNumber: awb,
            ok: false,
            error: e instanceof CarrierError ? e : new CarrierError('carrier_error', `${NAME} tracking answer could not be read`)
          })
        }
      }
      return out
    },
    budget: () => http.limiter.snapshot(),
    async pushOrder(order) {
      // Repeating a push with the same order_id updates that order instead of making a second one.
      await call('POST', '/api/v2orders', order, true, String(order.order_id ?? ''))
    },
    async orderShipment(orderId) {
      try {
        const r = await findOne({ orderid: orderId }, orderId)
        return {
          orderId: r.order_id ?? orderId,
          awb: r.tracking_number || null,
          carrier: r.carrier_title || null,
          currentStatusCode: r.shipment_status || null,
          labelUrl: r.shipping_url || null
        }
      } catch (e) {
        if (e instanceof CarrierError && e.code === 'not_found') return null
        throw e
      }
    },
    async fetchLabel(url) {
      const req: HttpRequest = { method: 'GET', path: url, headers: { accept: 'application/pdf' }, subject: 'label' }
      const res = await http.send(req)
      if (res.status !== 200 || res.body.subarray(0, 5).toString('latin1') !== '%PDF-')
        throw http.error('carrier_error', `${NAME} label is not a PDF (HTTP ${res.status})`, req, { httpStatus: res.status })
      return { contentType: 'application/pdf', data: new Uint8Array(res.body) }
    },
    async cancel(awb) {
      // The SDK sends awb_number as a list (several shipments per call); we cancel one.
      await call('POST', '/api/Cancel', { awb_number: [awb] }, true, awb)
    }
  }
  return adapter
}
