// The ECOTRACK adapter: every endpoint of seed 001 plus creation, label, reference data and the
// token check, over the shared HTTP core. It returns the carrier's own words (NativeEvents);
// mapping to unified statuses is the status pipeline's job, with ecotrackMapping.
import { CARRIER_NAMES } from '../../../shared/domain'
import type { DeliveryPoint } from '../../../shared/domain'
import type { PickupPoint } from '../../../shared/points'
import { HttpClient, type HttpRequest } from '../http/client'
import type { RateWindow } from '../http/rate-limiter'
import { normaliseEcotrack } from './mapping'
import {
  CarrierError,
  type CarrierAccount,
  type CarrierAdapter,
  type CarrierDeps,
  type Capability,
  type NativeEvent,
  type RateBudget,
  type TrackResult
} from '../types'

export const ECOTRACK_WINDOWS: readonly RateWindow[] = [
  { name: 'Minute', limit: 50, windowMs: 60_000 },
  { name: 'Hour', limit: 1500, windowMs: 3_600_000 },
  { name: 'Day', limit: 15_000, windowMs: 86_400_000 }
]

export const ECOTRACK_BATCH = 100
export const ECOTRACK_CONTENT_MAX = 255

/** Extra knobs for tests and demo mode (simulated time, short deadlines). */
export interface EcotrackDepsExtra extends CarrierDeps {
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  timeoutMs?: number
  maxRetries?: number
  maxQueueWaitMs?: number
}

export interface EcotrackOrderInput {
  reference?: string
  nom_client: string
  telephone: string
  telephone_2?: string
  adresse: string
  code_postal?: string
  commune: string
  code_wilaya: number
  montant: number
  remarque?: string
  produit?: string
  boutique?: string
  type: 1 | 2 | 3 | 4
  stop_desk?: 0 | 1
  weight?: number
  fragile?: 0 | 1
  gps_link?: string
}

export interface EcotrackOrderRow {
  tracking: string
  reference: string | null
  client: string
  phone: string
  commune: string
  wilaya_id: number
  montant: string
  created_at: string
  status: string
  [k: string]: unknown
}

export interface EcotrackAdapter extends CarrierAdapter {
  history(trackingNumber: string): Promise<NativeEvent[]>
  /** get/trackings/info: the activity codes of up to 100 parcels in one call (`trackings[]` repeated). */
  histories(trackingNumbers: string[]): Promise<Map<string, NativeEvent[]>>
  listRemarks(trackingNumber: string): Promise<Array<{ text: string; author: string | null; at: number }>>
  createOrder(input: EcotrackOrderInput): Promise<{ trackingNumber: string }>
  /** create/orders: up to 100 at once; one result per order, keyed by its reference upstream. */
  createOrders(
    inputs: Array<EcotrackOrderInput & { reference: string }>
  ): Promise<
    Array<{ reference: string; ok: true; trackingNumber: string } | { reference: string; ok: false; errors: Record<string, string[]> }>
  >
  /** valid/returns: the merchant confirms it received these returns; false when none was eligible. */
  confirmReturns(trackingNumbers: string[]): Promise<boolean>
  updateOrder(trackingNumber: string, fields: Record<string, string | number>): Promise<void>
  validateOrder(trackingNumber: string, askCollection?: boolean): Promise<void>
  listOrders(opts?: {
    page?: number
    startDate?: string
    endDate?: string
    tracking?: string
  }): Promise<{ page: number; lastPage: number; total: number; orders: EcotrackOrderRow[] }>
  wilayas(): Promise<Array<{ wilaya_id: number; wilaya_name: string }>>
  communes(wilayaId?: number): Promise<Array<{ nom: string; wilaya_id: number; code_postal: string; has_stop_desk: number }>>
  fees(): Promise<Record<string, Array<Record<string, unknown>>>>
  checkToken(): Promise<{ valid: boolean; message: string }>
  /** get/orders/status with a filter: the current order status of those trackings (max 100) in the given statuses. */
  filterByStatus(trackingNumbers: string[], statuses: string[] | 'all'): Promise<Record<string, string>>
}

interface Business {
  success?: boolean
  error?: number
  message?: string
}

/** "2021-03-04" + "22:32:47" in Algiers time (UTC+1, no DST) to ms. */
export function ecotrackTime(date: string, time = '00:00:00'): number {
  const t = Date.parse(`${date}T${time}+01:00`)
  return Number.isNaN(t) ? 0 : t
}

export function createEcotrackAdapter(account: CarrierAccount, deps: EcotrackDepsExtra): EcotrackAdapter {
  const token = account.credentials.token ?? account.credentials.api_token ?? ''
  const http = new HttpClient({
    baseUrl: account.baseUrl,
    logger: deps.logger,
    now: deps.now,
    sleep: deps.sleep,
    random: deps.random,
    limits: ECOTRACK_WINDOWS,
    timeoutMs: deps.timeoutMs,
    maxRetries: deps.maxRetries,
    maxQueueWaitMs: deps.maxQueueWaitMs,
    secrets: [token],
    // The limits are per token upstream; the alias and URL tell accounts apart without keeping the token.
    limiterKey: `ecotrack:${account.alias}:${account.baseUrl}`,
    carrierName: CARRIER_NAMES.ecotrack
  })
  const auth = { authorization: `Bearer ${token}` }

  if (!token) deps.logger.warn('carrier.no_credentials', { carrier: 'ecotrack', account: account.alias })

  /** Sends with the Bearer header (and api_token where the API requires it), parses, judges errors. */
  async function call<T>(req: HttpRequest & { apiToken?: boolean }, opts: { trackingParam?: boolean } = {}): Promise<T> {
    const query = req.apiToken ? { api_token: token, ...req.query } : req.query
    const { status, body } = await http.json<T>({ ...req, query, headers: { ...auth, ...req.headers } })
    judge(status, body, req, opts.trackingParam ?? false)
    return body
  }

  function judge(status: number, body: unknown, req: HttpRequest, trackingParam: boolean): void {
    if (status === 401 || status === 403)
      throw http.error('unauthorized', `${CARRIER_NAMES.ecotrack} refused the API token (HTTP ${status})`, req, { httpStatus: status })
    if (status === 422) {
      const errors = ((body as { errors?: Record<string, string[]> })?.errors ?? {}) as Record<string, string[]>
      const fields = Object.keys(errors)
      if (trackingParam && fields.length === 1 && fields[0] === 'tracking') {
        throw http.error('not_found', `${CARRIER_NAMES.ecotrack} does not know this tracking number`, req, { httpStatus: 422 })
      }
      const detail = fields.map((f) => `${f}: ${(errors[f] ?? []).join(' ')}`).join('; ')
      throw http.error('invalid_input', `${CARRIER_NAMES.ecotrack} rejected the data: ${detail || 'invalid data'}`, req, {
        httpStatus: 422,
        field: fields[0]
      })
    }
    if (status === 404)
      throw http.error('unsupported', `${CARRIER_NAMES.ecotrack} has no such endpoint (HTTP 404)`, req, { httpStatus: 404 })
    if (status >= 400)
      throw http.error('carrier_error', `${CARRIER_NAMES.ecotrack} answered HTTP ${status}`, req, {
        httpStatus: status,
        retryable: status >= 500
      })
    const b = body as Business | null
    if (b && typeof b === 'object' && !Array.isArray(b) && b.success === false && typeof b.error === 'number') {
      throw http.error('carrier_refused', `${CARRIER_NAMES.ecotrack} refused (${b.error}): ${b.message ?? ''}`.trim(), req, {
        carrierCode: b.error
      })
    }
  }

  const capabilities = new Set<Capability>([
    'track_one',
    'track_many',
    'list_orders',
    'create_shipment',
    'cancel',
    'label',
    'remark',
    'list_remarks',
    'return_request',
    'points_search'
  ])

  /** Stop desks: the communes flagged has_stop_desk (no coordinates or hours are published). */
  async function stopDesks(): Promise<PickupPoint[]> {
    const rows = await adapter.communes()
    return rows
      .filter((c) => Number(c.has_stop_desk) === 1 && c.nom)
      .map((c) => ({
        id: `desk:${c.nom}`,
        carrier: 'ecotrack' as const,
        account: account.alias,
        name: `Stop desk ${c.nom}`,
        type: 'stop_desk' as const,
        street: null,
        houseNo: null,
        zip: c.code_postal || null,
        city: c.nom,
        country: 'DZ',
        lat: null,
        lon: null,
        openingTimes: null,
        openTomorrow: null,
        openThisWeek: null,
        distanceM: null,
        services: []
      }))
  }
  const foldName = (x: string) => normaliseEcotrack(x).replace(/_/g, ' ')

  const adapter: EcotrackAdapter = {
    carrier: 'ecotrack',
    account: account.alias,
    capabilities,
    batchSize: ECOTRACK_BATCH,

    async track(trackingNumbers) {
      const out: TrackResult[] = []
      for (let i = 0; i < trackingNumbers.length; i += ECOTRACK_BATCH) {
        const batch = trackingNumbers.slice(i, i + ECOTRACK_BATCH)
        try {
          const body = await call<{ data?: Record<string, EcoStatusEntry> | unknown[] }>({
            method: 'GET',
            path: '/api/v1/get/orders/status',
            apiToken: true,
            query: { trackings: batch.join(','), status: 'all' },
            subject: batch.length === 1 ? batch[0] : `${batch.length} parcels`
          })
          // An empty PHP array serialises as [] rather than {}.
          const data = body && typeof body === 'object' && body.data && !Array.isArray(body.data) ? body.data : {}
          if (!body || typeof body !== 'object' || !('data' in body))
            throw http.error('carrier_error', `${CARRIER_NAMES.ecotrack} status answer has no data`, {
              method: 'GET',
              path: '/api/v1/get/orders/status'
            })
          for (const t of batch) {
            const e = data[t]
            if (!e || typeof e !== 'object' || typeof e.status !== 'string') {
              out.push({
                trackingNumber: t,
                ok: false,
                error: new CarrierError('not_found', `${CARRIER_NAMES.ecotrack} does not know ${t}`)
              })
              continue
            }
            out.push(statusToResult(t, e, deps.now()))
          }
        } catch (e) {
          const err = e instanceof CarrierError ? e : http.error('carrier_error', `${CARRIER_NAMES.ecotrack} answer could not be read`)
          for (const t of batch) out.push({ trackingNumber: t, ok: false, error: err })
        }
      }
      return out
    },

    budget(): RateBudget {
      return http.limiter.snapshot()
    },

    async history(trackingNumber) {
      const body = await call<{
        activity?: Array<{ date: string; time: string; status: string; scanLocation?: string; station?: string }>
      }>(
        { method: 'GET', path: '/api/v1/get/tracking/info', query: { tracking: trackingNumber }, subject: trackingNumber },
        { trackingParam: true }
      )
      return (body.activity ?? []).map((a) => ({
        at: ecotrackTime(a.date, a.time),
        nativeStatus: a.status,
        location: a.scanLocation ?? a.station ?? null,
        dedupeKey: `${a.date} ${a.time} ${a.status}`
      }))
    },

    async histories(trackingNumbers) {
      if (trackingNumbers.length > ECOTRACK_BATCH)
        throw new CarrierError('invalid_input', `At most ${ECOTRACK_BATCH} tracking numbers per call`, { field: 'trackings' })
      const out = new Map<string, NativeEvent[]>()
      if (!trackingNumbers.length) return out
      // No success sample is published: read it as get/orders/status is keyed (by tracking), each
      // with the activity codes of get/tracking/info.
      const body = await call<{ data?: Record<string, { activity?: Array<{ date: string; time: string; status: string }> }> }>(
        { method: 'GET', path: '/api/v1/get/trackings/info', query: { 'trackings[]': trackingNumbers } },
        { trackingParam: true }
      )
      for (const t of trackingNumbers)
        out.set(
          t,
          (body.data?.[t]?.activity ?? []).map((a) => ({
            at: ecotrackTime(a.date, a.time),
            nativeStatus: a.status,
            dedupeKey: `${a.date} ${a.time} ${a.status}`
          }))
        )
      return out
    },

    async addRemark(trackingNumber, text, _opts) {
      if (!text.trim()) throw new CarrierError('invalid_input', 'A remark cannot be empty', { field: 'content' })
      if (text.length > ECOTRACK_CONTENT_MAX)
        throw new CarrierError('invalid_input', `A remark is at most ${ECOTRACK_CONTENT_MAX} characters (this one has ${text.length})`, {
          field: 'content'
        })
      // Not safe to repeat: a retried remark would show twice to the courier.
      await call(
        {
          method: 'POST',
          path: '/api/v1/add/maj',
          query: { tracking: trackingNumber, content: text },
          safe: false,
          subject: trackingNumber
        },
        { trackingParam: true }
      )
    },

    async listRemarks(trackingNumber) {
      const body = await call<Array<{ remarque: string; station: string; livreur: string; created_at: string }>>(
        { method: 'GET', path: '/api/v1/get/maj', query: { tracking: trackingNumber }, subject: trackingNumber },
        { trackingParam: true }
      )
      if (!Array.isArray(body)) throw http.error('carrier_error', `${CARRIER_NAMES.ecotrack} remarks answer is not a list`)
      return body.map((r) => {
        const [date, time] = (r.created_at ?? '').split(' ')
        return { text: r.remarque, author: r.livreur || r.station || null, at: ecotrackTime(date ?? '', time) }
      })
    },

    async requestReturn(trackingNumber, _opts) {
      try {
        const body = await call<Business>(
          {
            method: 'POST',
            path: '/api/v1/ask/for/order/return',
            query: { tracking: trackingNumber },
            safe: false,
            subject: trackingNumber
          },
          { trackingParam: true }
        )
        return { accepted: true, message: body.message ?? 'Retour demandé' }
      } catch (e) {
        // 10003: the parcel is not out for delivery; an answer, not a failure.
        if (e instanceof CarrierError && e.carrierCode === 10003) return { accepted: false, message: e.message }
        throw e
      }
    },

    async cancel(trackingNumber, _opts) {
      await call(
        { method: 'DELETE', path: '/api/v1/delete/order', query: { tracking: trackingNumber }, safe: false, subject: trackingNumber },
        { trackingParam: true }
      )
    },

    async label(trackingNumber) {
      const req: HttpRequest = {
        method: 'GET',
        path: '/api/v1/get/order/label',
        query: { tracking: trackingNumber },
        headers: { ...auth, accept: 'application/pdf' },
        subject: trackingNumber
      }
      const res = await http.send(req)
      if (res.status !== 200 || !res.contentType.includes('pdf')) {
        let body: unknown = null
        try {
          body = JSON.parse(res.text())
        } catch {
          // not JSON: judged by status below
        }
        judge(res.status, body, req, true)
        throw http.error('carrier_error', `${CARRIER_NAMES.ecotrack} label is not a PDF (${res.contentType || 'no content type'})`, req)
      }
      return { contentType: 'application/pdf', data: new Uint8Array(res.body) }
    },

    async createOrder(input) {
      const problems = checkOrder(input)
      if (problems) throw new CarrierError('invalid_input', problems.message, { field: problems.field })
      const query: Record<string, string> = {}
      for (const [k, v] of Object.entries(input)) if (v !== undefined && v !== null && v !== '') query[k] = String(v)
      // Creation is not idempotent upstream: never repeated automatically.
      const body = await call<{ success: boolean; tracking?: string }>({
        method: 'POST',
        path: '/api/v1/create/order',
        query,
        safe: false,
        subject: input.reference ?? input.nom_client
      })
      if (!body.tracking) throw http.error('carrier_error', `${CARRIER_NAMES.ecotrack} created no tracking number`)
      return { trackingNumber: body.tracking }
    },

    async createOrders(inputs) {
      if (!inputs.length || inputs.length > ECOTRACK_BATCH)
        throw new CarrierError('invalid_input', `Send 1 to ${ECOTRACK_BATCH} orders at once`, { field: 'orders' })
      const refs = new Set(inputs.map((i) => i.reference))
      if (refs.size !== inputs.length)
        throw new CarrierError('invalid_input', 'Each order needs its own reference (results are keyed by it)', { field: 'reference' })
      const orders: Record<string, EcotrackOrderInput> = {}
      inputs.forEach((o, i) => (orders[String(i)] = o))
      const req: HttpRequest = {
        method: 'POST',
        path: '/api/v1/create/orders',
        body: JSON.stringify({ orders }),
        headers: { ...auth, 'content-type': 'application/json' },
        safe: false,
        subject: `${inputs.length} orders`
      }
      const { status, body } = await http.json<{
        results?: Record<string, { success?: boolean; tracking?: string } & Record<string, unknown>>
      }>(req)
      // A mixed batch comes back 422 with per-order results: that is an answer, not a failure.
      if (!body?.results || typeof body.results !== 'object') {
        judge(status, body, req, false)
        throw http.error('carrier_error', `${CARRIER_NAMES.ecotrack} bulk answer has no results`, req)
      }
      return inputs.map((o) => {
        const r = body.results![o.reference]
        if (r && r.success === true && typeof r.tracking === 'string')
          return { reference: o.reference, ok: true as const, trackingNumber: r.tracking }
        return {
          reference: o.reference,
          ok: false as const,
          errors: (r as Record<string, string[]> | undefined) ?? { reference: ['missing from the answer'] }
        }
      })
    },

    async confirmReturns(trackingNumbers) {
      if (!trackingNumbers.length) throw new CarrierError('invalid_input', 'No return to confirm', { field: 'trackings' })
      const body = await call<{ returned?: string }>({
        method: 'POST',
        path: '/api/v1/valid/returns',
        body: JSON.stringify({ trackings: trackingNumbers }),
        headers: { 'content-type': 'application/json' },
        safe: true
      })
      return body.returned === 'success'
    },

    async updateOrder(trackingNumber, fields) {
      const query: Record<string, string> = { tracking: trackingNumber }
      for (const [k, v] of Object.entries(fields)) query[k] = String(v)
      await call({ method: 'POST', path: '/api/v1/update/order', query, safe: true, subject: trackingNumber }, { trackingParam: true })
    },

    async validateOrder(trackingNumber, askCollection = false) {
      await call(
        {
          method: 'POST',
          path: '/api/v1/valid/order',
          query: { tracking: trackingNumber, ask_collection: askCollection ? 1 : 0 },
          safe: true,
          subject: trackingNumber
        },
        { trackingParam: true }
      )
    },

    async listOrders(opts = {}) {
      const body = await call<{ current_page: number; last_page: number; total: number; data: EcotrackOrderRow[] }>({
        method: 'GET',
        path: '/api/v1/get/orders',
        query: { page: opts.page, start_date: opts.startDate, end_date: opts.endDate, tracking: opts.tracking }
      })
      if (!Array.isArray(body.data)) throw http.error('carrier_error', `${CARRIER_NAMES.ecotrack} orders answer has no data`)
      return { page: body.current_page, lastPage: body.last_page, total: body.total, orders: body.data }
    },

    async wilayas() {
      return call({ method: 'GET', path: '/api/v1/get/wilayas' })
    },

    async communes(wilayaId) {
      const body = await call<Record<string, { nom: string; wilaya_id: number; code_postal: string; has_stop_desk: number }>>({
        method: 'GET',
        path: '/api/v1/get/communes',
        query: { wilaya_id: wilayaId }
      })
      // An object keyed by index strings upstream, not an array.
      return Object.keys(body)
        .sort((a, b) => Number(a) - Number(b))
        .map((k) => body[k]!)
    },

    async searchPoints(q) {
      if (q.country.toUpperCase() !== 'DZ') return []
      if (q.types?.length && !q.types.includes('stop_desk')) return []
      // Communes carry no coordinates: a position alone cannot be matched.
      if (!q.postalCode && !q.city && !q.address) return []
      const zip = q.postalCode?.trim()
      const city = q.city ? foldName(q.city) : null
      const text = q.address ? foldName(q.address) : null
      return (await stopDesks())
        .filter(
          (p) =>
            (zip ? (p.zip ?? '').startsWith(zip) : true) &&
            (city ? foldName(p.city) === city : true) &&
            (text ? text.includes(foldName(p.city)) : true)
        )
        .slice(0, q.limit ?? 50)
    },

    async getPoint(id) {
      return (await stopDesks()).find((p) => p.id === id) ?? null
    },

    async fees() {
      return call({ method: 'GET', path: '/api/v1/get/fees' })
    },

    async filterByStatus(trackingNumbers, statuses) {
      if (trackingNumbers.length > ECOTRACK_BATCH)
        throw new CarrierError('invalid_input', `At most ${ECOTRACK_BATCH} tracking numbers per status call`, { field: 'trackings' })
      const body = await call<{ data?: Record<string, EcoStatusEntry> | unknown[] }>({
        method: 'GET',
        path: '/api/v1/get/orders/status',
        apiToken: true,
        query: { trackings: trackingNumbers.join(','), status: statuses === 'all' ? 'all' : statuses.join(',') }
      })
      const data = body.data && !Array.isArray(body.data) ? body.data : {}
      return Object.fromEntries(Object.entries(data).map(([t, e]) => [t, e.status]))
    },

    async checkToken() {
      const body = await call<Business>({ method: 'GET', path: '/api/v1/validate/token', apiToken: true })
      return { valid: body.success === true, message: body.message ?? '' }
    }
  }
  return adapter
}

interface EcoStatusEntry {
  status: string
  order_id?: string
  driver_phone?: string
  estimated_fee?: number
  desk_phone?: string
  desk_commune?: string
  desk_map_link?: string
  desk_address?: string
  activity?: Array<{
    reason?: string
    details?: string
    station?: string
    driver?: string
    date?: string
    time?: string
    postponed_to?: string | null
  }>
}

/** A remark (the merchant's add/maj or the station's) listed among the attempts: not an attempt. */
const isRemark = (reason: string | undefined) =>
  /^(ecrire une remarque|remarque)$/.test(
    (reason ?? '')
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .trim()
      .toLowerCase()
  )

function statusToResult(t: string, e: EcoStatusEntry, now: number): TrackResult {
  // Delivery-attempt reasons: in ECOTRACK's activity-code words, an attempt_delivery.
  const events: NativeEvent[] = (e.activity ?? []).map((a) => ({
    at: ecotrackTime(a.date ?? '', a.time),
    nativeStatus: isRemark(a.reason) ? 'notification_on_order' : 'attempt_delivery',
    label: a.reason ?? null,
    comment: [a.details, a.postponed_to ? `reporté au ${a.postponed_to}` : ''].filter(Boolean).join(' — ') || null,
    location: a.station || null,
    dedupeKey: `${a.date} ${a.time} ${a.reason ?? ''}`
  }))
  const last = events.reduce((m, x) => Math.max(m, x.at), 0)
  const current: NativeEvent = { at: last || now, nativeStatus: e.status, dedupeKey: `status:${e.status}` }
  const point: DeliveryPoint | null = e.desk_address
    ? {
        id: `desk:${e.desk_commune ?? ''}`,
        name: e.desk_commune || 'Stop desk',
        address: e.desk_address,
        carrier: 'ecotrack',
        type: 'stop_desk'
      }
    : null
  const carrierData: Record<string, unknown> = {}
  for (const k of ['order_id', 'driver_phone', 'estimated_fee', 'desk_phone', 'desk_map_link'] as const)
    if (e[k] !== undefined && e[k] !== '') carrierData[k] = e[k]
  return { trackingNumber: t, ok: true, events, current, point, carrierData }
}

/** Checks the rules the API enforces, so the clerk hears about them before a call is spent. */
export function checkOrder(i: EcotrackOrderInput): { field: string; message: string } | null {
  for (const k of ['nom_client', 'telephone', 'adresse', 'commune'] as const)
    if (!String(i[k] ?? '').trim()) return { field: k, message: `${k} is required` }
  for (const k of ['reference', 'nom_client', 'adresse', 'commune', 'remarque', 'produit', 'boutique'] as const) {
    const v = i[k]
    if (v && v.length > 255) return { field: k, message: `${k} is at most 255 characters` }
  }
  for (const k of ['telephone', 'telephone_2'] as const) {
    const v = i[k]
    if (v !== undefined && v !== '' && !/^\d{9,10}$/.test(v)) return { field: k, message: `${k} must be 9 to 10 digits` }
  }
  if (!Number.isInteger(i.code_wilaya) || i.code_wilaya < 1 || i.code_wilaya > 58)
    return { field: 'code_wilaya', message: 'code_wilaya must be between 1 and 58' }
  if (![1, 2, 3, 4].includes(i.type)) return { field: 'type', message: 'type must be 1 to 4' }
  if (!Number.isFinite(i.montant) || i.montant < 0) return { field: 'montant', message: 'montant must be a positive amount' }
  return null
}
