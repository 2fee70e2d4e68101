// The ECOTRACK adapter: every endpoint of seed 001 plus creation, label, reference data and the
// token check, over the shared HTTP core. It returns the carrier's own words (NativeEvents);
// mapping to unified statuses is the status pipeline's job, with ecotrackMapping. Order calls are
// in orders.ts, wire shapes and their reading in wire.ts.
import { CARRIER_NAMES } from '../../../shared/domain'
import type { PickupPoint } from '../../../shared/points'
import { HttpClient, type HttpRequest } from '../http/client'
import type { RateWindow } from '../http/rate-limiter'
import { normaliseEcotrack } from './mapping'
import { ecotrackOrders, type EcotrackOrders } from './orders'
import { ECOTRACK_BATCH, ECOTRACK_CONTENT_MAX, ecotrackTime, statusToResult, type Business, type EcoStatusEntry } from './wire'
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

/** Extra knobs for tests and demo mode (simulated time, short deadlines). */
interface EcotrackDepsExtra extends CarrierDeps {
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  timeoutMs?: number
  maxRetries?: number
  maxQueueWaitMs?: number
}

export interface EcotrackAdapter extends CarrierAdapter, EcotrackOrders {
  history(trackingNumber: string): Promise<NativeEvent[]>
  /** get/trackings/info: the activity codes of up to 100 parcels in one call (`trackings[]` repeated). */
  histories(trackingNumbers: string[]): Promise<Map<string, NativeEvent[]>>
  listRemarks(trackingNumber: string): Promise<Array<{ text: string; author: string | null; at: number }>>
  wilayas(): Promise<Array<{ wilaya_id: number; wilaya_name: string }>>
  communes(wilayaId?: number): Promise<Array<{ nom: string; wilaya_id: number; code_postal: string; has_stop_desk: number }>>
  fees(): Promise<Record<string, Array<Record<string, unknown>>>>
  checkToken(): Promise<{ valid: boolean; message: string }>
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

    ...ecotrackOrders({ http, call, judge, auth }),

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

    async checkToken() {
      const body = await call<Business>({ method: 'GET', path: '/api/v1/validate/token', apiToken: true })
      return { valid: body.success === true, message: body.message ?? '' }
    }
  }
  return adapter
}
