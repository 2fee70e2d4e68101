// The Shiprocket adapter (contract note §5.1): login token (valid 10 days, renewed a day early and
// once on a 401), create order, assign AWB, generate label (PDF URL fetched and kept as bytes),
// track one or up to 50 AWBs, cancel, create return + return AWB, and find an order by our own
// reference (what the order guard asks after a crash, since Shiprocket takes no idempotency key).
import { CARRIER_NAMES } from '../../../shared/domain'
import { DAY } from '../../platform/clock'
import { HttpClient, type HttpRequest } from '../http/client'
import {
  CarrierError,
  type CarrierAccount,
  type CarrierAdapter,
  type CarrierDeps,
  type Capability,
  type NativeEvent,
  type TrackResult
} from '../types'

export const SHIPROCKET_TOKEN_TTL_MS = 10 * DAY
/** Renew this long before expiry so a call never carries a token about to die. */
const RENEW_MARGIN_MS = DAY
export const SHIPROCKET_TRACK_BATCH = 50
const NAME = CARRIER_NAMES.shiprocket

export interface AggregatorDepsExtra extends CarrierDeps {
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  timeoutMs?: number
  maxRetries?: number
  maxQueueWaitMs?: number
}

export interface ShiprocketOrderItem {
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
interface TrackingData {
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
