// The Shipway adapter (contract note §5.3, third-party material only: kept small). Legacy JSON API
// with username (account e-mail) + password (licence key) in every body: pushOrderData (an upsert
// by order_id, so a repeat does not make a second order), getOrderShipmentDetails (AWB, carrier,
// label once Shipway has assigned one), getShipmentDetails (tracking), Cancel.
import { CARRIER_NAMES } from '../../../shared/domain'
import { HttpClient, type HttpRequest } from '../http/client'
import type { AggregatorDepsExtra } from '../shiprocket/client'
import { CarrierError, type CarrierAccount, type CarrierAdapter, type Capability, type NativeEvent, type TrackResult } from '../types'

const NAME = CARRIER_NAMES.shipway

export interface ShipwayShipment {
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

/** "2024-05-01 10:00:00" India time, or ISO. */
export function shipwayTime(s: unknown): number {
  if (typeof s !== 'string' || !s.trim()) return NaN
  const t = s.trim().replace(' ', 'T')
  return /[zZ]|[+-]\d{2}:?\d{2}$/.test(t) ? Date.parse(t) : Date.parse(`${t}+05:30`)
}

export function createShipwayAdapter(account: CarrierAccount, deps: AggregatorDepsExtra): ShipwayAdapter {
  const username = account.credentials.username ?? account.credentials.email ?? ''
  const password = account.credentials.password ?? account.credentials.license_key ?? ''
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
    secrets: [password],
    carrierName: `${NAME} (${account.alias})`
  })

  async function call<T extends { status?: string; message?: string }>(
    path: string,
    body: Record<string, unknown>,
    safe: boolean,
    subject?: string
  ): Promise<T> {
    if (!username || !password) throw new CarrierError('unauthorized', `${NAME} account "${account.alias}" has no username or licence key`)
    const req: HttpRequest = {
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password, ...body }),
      safe,
      subject
    }
    const { status, body: b } = await http.json<T>(req)
    if (status === 401 || status === 403)
      throw http.error('unauthorized', `${NAME} refused the licence key (HTTP ${status})`, req, { httpStatus: status })
    if (status >= 400) throw http.error('carrier_error', `${NAME} answered HTTP ${status}`, req, { httpStatus: status })
    if (String(b?.status ?? '').toLowerCase() !== 'success') {
      const msg = String(b?.message ?? 'failed')
      if (/auth|licen[cs]e|password|username/i.test(msg)) throw http.error('unauthorized', `${NAME} refused the credentials: ${msg}`, req)
      if (/not found|no record|invalid (awb|order)/i.test(msg)) throw http.error('not_found', `${NAME}: ${msg}`, req)
      throw http.error('carrier_refused', `${NAME} refused: ${msg}`, req)
    }
    return b
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
          const b = await call<{
            status?: string
            response?: {
              current_status?: string
              current_status_code?: string
              scan?: Array<{ time?: string; status?: string; status_code?: string; location?: string }>
            }
          }>('/api/getShipmentDetails', { waybill: awb }, true, awb)
          const r = b.response ?? {}
          const events: NativeEvent[] = (r.scan ?? [])
            .map((s) => ({
              at: shipwayTime(s.time),
              nativeStatus: String(s.status_code ?? ''),
              label: s.status ?? null,
              location: s.location ?? null,
              waybill: awb,
              dedupeKey: `sw|${s.status_code}|${s.time}`
            }))
            .filter((e) => Number.isFinite(e.at) && e.nativeStatus)
          const last = events.reduce((m, e) => Math.max(m, e.at), 0)
          const current = r.current_status_code
            ? {
                at: last || deps.now(),
                nativeStatus: r.current_status_code,
                label: r.current_status ?? null,
                dedupeKey: `sw|current|${r.current_status_code}`
              }
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
      // Shipway upserts by order_id: repeating the same push does not make a second order.
      await call('/api/pushOrderData', order, true, String(order.order_id ?? ''))
    },
    async orderShipment(orderId) {
      try {
        const b = await call<{
          status?: string
          response?: { awbno?: string; carrier?: string; current_status_code?: string; label_url?: string; order_id?: string }
        }>('/api/getOrderShipmentDetails', { order_id: orderId }, true, orderId)
        const r = b.response ?? {}
        return {
          orderId: r.order_id ?? orderId,
          awb: r.awbno || null,
          carrier: r.carrier ?? null,
          currentStatusCode: r.current_status_code ?? null,
          labelUrl: r.label_url ?? null
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
      await call('/api/Cancel', { awb_number: awb }, true, awb)
    }
  }
  return adapter
}
