// The Shiprocket adapter (contract note §5.1): login token (valid 10 days, renewed a day early and
// once on a 401), create order, assign AWB, generate label (PDF URL fetched and kept as bytes),
// track one or up to 50 AWBs, cancel, create return + return AWB, and find an order by our own
// reference (what the order guard asks after a crash, since Shiprocket takes no idempotency key).
// Wire shapes and their reading are in wire.ts.
import { CARRIER_NAMES } from '../../../shared/domain'
import { DAY } from '../../platform/clock'
import { HttpClient, type HttpRequest } from '../http/client'
import { CarrierError, type CarrierAccount, type CarrierAdapter, type CarrierDeps, type Capability, type TrackResult } from '../types'
import {
  checkOrder,
  trackingToResult,
  type ShiprocketAwb,
  type ShiprocketCreated,
  type ShiprocketOrderInput,
  type ShiprocketReturnInput,
  type TrackingData
} from './wire'

const SHIPROCKET_TOKEN_TTL_MS = 10 * DAY
/** Renew this long before expiry so a call never carries a token about to die. */
const RENEW_MARGIN_MS = DAY
const SHIPROCKET_TRACK_BATCH = 50
const NAME = CARRIER_NAMES.shiprocket

export interface AggregatorDepsExtra extends CarrierDeps {
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  timeoutMs?: number
  maxRetries?: number
  maxQueueWaitMs?: number
}

export interface ShiprocketAdapter extends CarrierAdapter {
  login(): Promise<void>
  createOrder(input: ShiprocketOrderInput): Promise<ShiprocketCreated>
  /** Our channel order id -> the order Shiprocket holds, or null. */
  findOrder(channelOrderId: string): Promise<(ShiprocketCreated & { awb: string | null }) | null>
  assignAwb(shipmentId: number, opts?: { courierId?: number; isReturn?: boolean }): Promise<ShiprocketAwb>
  generateLabel(shipmentIds: number[]): Promise<{ url: string; notCreated: number[] }>
  fetchLabel(url: string): Promise<{ contentType: string; data: Uint8Array }>
  createReturn(input: ShiprocketReturnInput): Promise<ShiprocketCreated>
  cancelAwbs(awbs: string[]): Promise<void>
}

/** The documented API base (CONTRACTS §5.1); every path below is relative to it. */
export const SHIPROCKET_BASE_URL = 'https://apiv2.shiprocket.in/v1/external'

export function createShiprocketAdapter(account: CarrierAccount, deps: AggregatorDepsExtra): ShiprocketAdapter {
  const email = account.credentials.email ?? ''
  const password = account.credentials.password ?? ''
  const http = new HttpClient({
    baseUrl: account.baseUrl || SHIPROCKET_BASE_URL,
    logger: deps.logger,
    now: deps.now,
    sleep: deps.sleep,
    random: deps.random,
    // No numbers are published: the limiter learns only from 429s.
    limits: [],
    timeoutMs: deps.timeoutMs,
    maxRetries: deps.maxRetries,
    maxQueueWaitMs: deps.maxQueueWaitMs,
    secrets: [password, ...(account.credentials.token ? [account.credentials.token] : [])],
    carrierName: `${NAME} (${account.alias})`
  })
  let token: { value: string; expiresAt: number } | null = null
  let loggingIn: Promise<void> | null = null

  async function login(): Promise<void> {
    if (!email || !password) throw new CarrierError('unauthorized', `${NAME} account "${account.alias}" has no API user e-mail or password`)
    const req: HttpRequest = {
      method: 'POST',
      path: '/auth/login',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
      safe: true
    }
    const { status, body } = await http.json<{ token?: string; message?: string }>(req)
    if (status === 401 || status === 403 || status === 400)
      throw http.error('unauthorized', `${NAME} refused the API user's login (HTTP ${status})`, req, { httpStatus: status })
    judge(status, body, req)
    if (typeof body.token !== 'string' || !body.token) throw http.error('carrier_error', `${NAME} login returned no token`, req)
    http.addSecret(body.token)
    token = { value: body.token, expiresAt: deps.now() + SHIPROCKET_TOKEN_TTL_MS }
  }

  async function ensureToken(): Promise<string> {
    if (!token || deps.now() >= token.expiresAt - RENEW_MARGIN_MS) {
      loggingIn ??= login().finally(() => (loggingIn = null))
      await loggingIn
    }
    return token!.value
  }

  function judge(status: number, body: unknown, req: HttpRequest): void {
    const b = (body && typeof body === 'object' ? body : {}) as {
      message?: string
      errors?: Record<string, string[] | string>
      status_code?: number
    }
    if (status === 422) {
      const fields = Object.keys(b.errors ?? {})
      const detail = fields.map((f) => `${f}: ${[b.errors![f]].flat().join(' ')}`).join('; ')
      throw http.error('invalid_input', `${NAME} rejected the data: ${detail || b.message || 'invalid data'}`, req, {
        httpStatus: 422,
        field: fields[0]
      })
    }
    if (status === 404) throw http.error('not_found', `${NAME}: ${b.message ?? 'not found'}`, req, { httpStatus: 404 })
    if (status === 401 || status === 403)
      throw http.error('unauthorized', `${NAME} refused the token (HTTP ${status})`, req, { httpStatus: status })
    if (status >= 400)
      throw http.error('carrier_refused', `${NAME} refused: ${b.message ?? `HTTP ${status}`}`, req, {
        httpStatus: status,
        carrierCode: b.status_code ?? status
      })
  }

  /** Calls with the Bearer token; a 401 means the token died early: log in again, once. */
  async function call<T>(req: HttpRequest): Promise<{ status: number; body: T }> {
    for (let attempt = 0; ; attempt++) {
      const t = await ensureToken()
      const r = req.body !== undefined ? { ...req, headers: { 'content-type': 'application/json', ...req.headers } } : req
      const res = await http.json<T>({ ...r, headers: { ...r.headers, authorization: `Bearer ${t}` } })
      if (res.status === 401 && attempt === 0) {
        token = null
        continue
      }
      judge(res.status, res.body, req)
      return res
    }
  }

  const post = <T>(path: string, body: unknown, opts: { safe?: boolean; subject?: string } = {}) =>
    call<T>({ method: 'POST', path, body: JSON.stringify(body), safe: opts.safe ?? false, subject: opts.subject })

  function created(b: { order_id?: number; shipment_id?: number; status?: string; status_code?: number }, req: string): ShiprocketCreated {
    if (typeof b.order_id !== 'number' || typeof b.shipment_id !== 'number')
      throw new CarrierError('carrier_error', `${NAME} ${req}: no order or shipment id in the answer`)
    return { orderId: b.order_id, shipmentId: b.shipment_id, status: b.status ?? '', statusCode: b.status_code ?? 0 }
  }

  const capabilities = new Set<Capability>(['track_one', 'track_many', 'create_shipment', 'cancel', 'label', 'return_request', 'webhook'])

  return {
    carrier: 'shiprocket',
    account: account.alias,
    capabilities,
    batchSize: SHIPROCKET_TRACK_BATCH,
    login,

    async track(awbs) {
      const out: TrackResult[] = []
      for (let i = 0; i < awbs.length; i += SHIPROCKET_TRACK_BATCH) {
        const batch = awbs.slice(i, i + SHIPROCKET_TRACK_BATCH)
        try {
          if (batch.length === 1) {
            const { body } = await call<{ tracking_data?: TrackingData }>({
              method: 'GET',
              path: `/courier/track/awb/${encodeURIComponent(batch[0]!)}`,
              subject: batch[0]
            })
            out.push(trackingToResult(batch[0]!, body.tracking_data, deps.now()))
          } else {
            // Reading many AWBs changes nothing: safe to repeat.
            const { body } = await post<Record<string, { tracking_data?: TrackingData }>>(
              '/courier/track/awbs',
              { awbs: batch },
              { safe: true, subject: `${batch.length} AWBs` }
            )
            for (const a of batch) out.push(trackingToResult(a, body?.[a]?.tracking_data, deps.now()))
          }
        } catch (e) {
          const err = e instanceof CarrierError ? e : new CarrierError('carrier_error', `${NAME} tracking answer could not be read`)
          for (const a of batch) out.push({ trackingNumber: a, ok: false, error: err })
        }
      }
      return out
    },

    budget() {
      return http.limiter.snapshot()
    },

    async createOrder(input) {
      const problem = checkOrder(input)
      if (problem) throw new CarrierError('invalid_input', problem.message, { field: problem.field })
      // Never repeated automatically: Shiprocket has no idempotency key (the order guard decides).
      const { body } = await post<{ order_id?: number; shipment_id?: number; status?: string; status_code?: number }>(
        '/orders/create/adhoc',
        input,
        { subject: input.order_id }
      )
      return created(body, 'create order')
    },

    async findOrder(channelOrderId) {
      const { body } = await call<{
        data?: Array<{
          id: number
          channel_order_id: string
          status: string
          status_code: number
          shipments?: Array<{ id: number; awb?: string | null }>
        }>
      }>({
        method: 'GET',
        path: '/orders',
        query: { search: channelOrderId },
        subject: channelOrderId
      })
      const o = (body.data ?? []).find((x) => x.channel_order_id === channelOrderId)
      if (!o) return null
      const s = o.shipments?.[0]
      return { orderId: o.id, shipmentId: s?.id ?? 0, status: o.status, statusCode: o.status_code, awb: s?.awb || null }
    },

    async assignAwb(shipmentId, opts = {}) {
      const body: Record<string, unknown> = { shipment_id: shipmentId }
      if (opts.courierId !== undefined) body.courier_id = opts.courierId
      if (opts.isReturn) body.is_return = 1
      // Assigning twice gives the same AWB or "already assigned": safe to repeat.
      const { body: b } = await post<{
        awb_assign_status?: number
        message?: string
        response?: { data?: { awb_code?: string; courier_name?: string; courier_company_id?: number; shipment_id?: number } }
      }>('/courier/assign/awb', body, { safe: true, subject: String(shipmentId) })
      const d = b.response?.data
      if (b.awb_assign_status !== 1 || !d?.awb_code)
        throw new CarrierError(
          'carrier_refused',
          `${NAME} assigned no AWB to shipment ${shipmentId}: ${b.message ?? 'no courier available'}`
        )
      return {
        awb: d.awb_code,
        courierName: d.courier_name ?? '',
        courierId: d.courier_company_id ?? null,
        shipmentId: d.shipment_id ?? shipmentId
      }
    },

    async generateLabel(shipmentIds) {
      const { body } = await post<{ label_created?: number; label_url?: string; not_created?: number[]; response?: string }>(
        '/courier/generate/label',
        { shipment_id: shipmentIds },
        { safe: true, subject: shipmentIds.join(',') }
      )
      if (body.label_created !== 1 || !body.label_url)
        throw new CarrierError(
          'carrier_refused',
          `${NAME} created no label for shipment ${shipmentIds.join(', ')}${body.response ? `: ${body.response}` : ''}`
        )
      return { url: body.label_url, notCreated: body.not_created ?? [] }
    },

    async fetchLabel(url) {
      // The label lives on a file host, not the API: no token goes with it.
      const req: HttpRequest = { method: 'GET', path: url, headers: { accept: 'application/pdf' }, subject: 'label' }
      const res = await http.send(req)
      if (res.status !== 200)
        throw http.error('carrier_error', `${NAME} label download failed (HTTP ${res.status})`, req, {
          httpStatus: res.status,
          retryable: res.status >= 500
        })
      if (!res.contentType.includes('pdf') || res.body.subarray(0, 5).toString('latin1') !== '%PDF-') {
        throw http.error('carrier_error', `${NAME} label is not a PDF (${res.contentType || 'no content type'})`, req)
      }
      return { contentType: 'application/pdf', data: new Uint8Array(res.body) }
    },

    async label(awb) {
      const { body } = await call<{ data?: Array<{ shipments?: Array<{ id: number; awb?: string | null }> }> }>({
        method: 'GET',
        path: '/orders',
        query: { search: awb },
        subject: awb
      })
      const s = (body.data ?? []).flatMap((o) => o.shipments ?? []).find((x) => x.awb === awb)
      if (!s) throw new CarrierError('not_found', `${NAME} does not know AWB ${awb}`)
      const { url } = await this.generateLabel([s.id])
      return this.fetchLabel(url)
    },

    async createReturn(input) {
      const { body } = await post<{ order_id?: number; shipment_id?: number; status?: string; status_code?: number }>(
        '/orders/create/return',
        input,
        { subject: input.order_id }
      )
      return created(body, 'create return')
    },

    async cancelAwbs(awbs) {
      if (awbs.length === 0 || awbs.length > 2000)
        throw new CarrierError('invalid_input', 'Cancel between 1 and 2000 AWBs at a time', { field: 'awbs' })
      const res = await http.send({
        method: 'POST',
        path: '/orders/cancel/shipment/awbs',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await ensureToken()}` },
        body: JSON.stringify({ awbs }),
        safe: true
      })
      if (res.status === 200 || res.status === 204) return
      let body: unknown = null
      try {
        body = JSON.parse(res.text())
      } catch {
        // judged by status
      }
      judge(res.status, body, { method: 'POST', path: '/orders/cancel/shipment/awbs' })
    },

    async cancel(awb) {
      await this.cancelAwbs([awb])
    }
  }
}
