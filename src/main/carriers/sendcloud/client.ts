// The Sendcloud adapter: Basic auth (public key : secret key); service points through v3 (search,
// one point, availability); parcels to a service point through v2 (to_service_point, to_post_number
// for lockers, external_reference for idempotence), the label as PDF (A6) or ZPL at a dpi, the
// parcel's current status by tracking number, and setup diagnostics that answer seed 003's
// "why doesn't the point map show?". Reads and writes have their own documented budgets. The
// service point calls are in points.ts.
import { CARRIER_NAMES } from '../../../shared/domain'
import type { PickupPoint } from '../../../shared/points'
import { HttpClient, type HttpRequest } from '../http/client'
import type { RateWindow } from '../http/rate-limiter'
import {
  CarrierError,
  type CarrierAccount,
  type CarrierAdapter,
  type CarrierDeps,
  type Capability,
  type PointQuery,
  type TrackResult
} from '../types'
import { SENDCLOUD_MESSAGES } from './mapping'
import { sendcloudPoints } from './points'

const NAME = CARRIER_NAMES.sendcloud

const SENDCLOUD_READ_WINDOWS: readonly RateWindow[] = [{ name: 'Minute', limit: 1000, windowMs: 60_000 }]
const SENDCLOUD_WRITE_WINDOWS: readonly RateWindow[] = [
  { name: 'Minute', limit: 100, windowMs: 60_000 },
  { name: 'Second', limit: 15, windowMs: 1000 }
]

interface SendcloudDepsExtra extends CarrierDeps {
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  timeoutMs?: number
  maxRetries?: number
  maxQueueWaitMs?: number
}

interface ScParcelInput {
  /** Unique per parcel: a retried create finds the first parcel instead of making a second. */
  externalReference: string
  orderNumber?: string
  name: string
  companyName?: string
  /** The recipient's own address (Sendcloud requires one even for a service point delivery). */
  address: string
  houseNumber?: string
  city: string
  postalCode: string
  country: string
  email?: string
  telephone?: string
  servicePointId: number
  /** The customer's locker account number: required for lockers and PO boxes. */
  postNumber?: string
  shippingMethodId?: number
  weightKg?: number
  requestLabel?: boolean
}

interface ScParcel {
  id: number
  trackingNumber: string
  carrier: string
  statusId: number
  statusMessage: string
  servicePointId: string | null
  externalReference: string | null
}

interface ScDiagnostics {
  credentialsValid: boolean
  servicePointsEnabled: boolean | null
  carriersEnabled: string[]
  webhookActive: boolean | null
  /** Last connection errors, newest first (no secrets). */
  lastErrors: Array<{ at: number; code: string; message: string }>
  /** Plain-language reasons the point map would stay empty (seed 003). */
  problems: string[]
}

export interface SendcloudAdapter extends CarrierAdapter {
  searchPoints(q: PointQuery): Promise<PickupPoint[]>
  getPoint(id: string): Promise<PickupPoint | null>
  checkAvailability(id: string): Promise<boolean>
  createParcel(input: ScParcelInput): Promise<ScParcel>
  labelDocument(
    parcelId: number,
    opts: { format: 'pdf' | 'zpl'; dpi?: 72 | 150 | 203 | 300 | 600 }
  ): Promise<{ contentType: string; data: Buffer }>
  diagnose(): Promise<ScDiagnostics>
}

interface V2Parcel {
  id: number
  tracking_number?: string
  carrier?: { code?: string }
  status?: { id?: number; message?: string }
  to_service_point?: string | number | null
  external_reference?: string | null
}

export function createSendcloudAdapter(account: CarrierAccount, deps: SendcloudDepsExtra): SendcloudAdapter {
  // username/password: the generic account form's names for the same two keys.
  const publicKey = account.credentials.public_key ?? account.credentials.username ?? ''
  const secretKey = account.credentials.secret_key ?? account.credentials.password ?? ''
  const basic = `Basic ${Buffer.from(`${publicKey}:${secretKey}`).toString('base64')}`
  const common = {
    baseUrl: account.baseUrl,
    logger: deps.logger,
    now: deps.now,
    sleep: deps.sleep,
    random: deps.random,
    timeoutMs: deps.timeoutMs,
    maxRetries: deps.maxRetries,
    maxQueueWaitMs: deps.maxQueueWaitMs,
    secrets: [secretKey, basic.slice(6)],
    carrierName: NAME
  }
  const reads = new HttpClient({ ...common, limits: SENDCLOUD_READ_WINDOWS })
  const writes = new HttpClient({ ...common, limits: SENDCLOUD_WRITE_WINDOWS })
  const lastErrors: ScDiagnostics['lastErrors'] = []

  const remember = (e: unknown) => {
    if (e instanceof CarrierError) {
      lastErrors.unshift({ at: deps.now(), code: e.code, message: e.message })
      lastErrors.splice(5)
    }
  }

  function judge(status: number, body: unknown, req: HttpRequest, http: HttpClient): void {
    if (status < 400) return
    const v2 = (body as { error?: { message?: string } } | null)?.error?.message
    const v3 = (body as { errors?: Array<{ detail?: string; code?: string; source?: { parameter?: string } }> } | null)?.errors?.[0]
    const detail = v2 ?? (v3 ? `${v3.detail ?? v3.code ?? ''}` : `HTTP ${status}`)
    if (status === 401 || status === 403)
      throw http.error('unauthorized', `${NAME} refused the API keys (HTTP ${status})`, req, { httpStatus: status })
    if (status === 404) throw http.error('not_found', `${NAME}: ${detail}`, req, { httpStatus: 404 })
    if (status === 400 || status === 422)
      throw http.error('invalid_input', `${NAME} refused: ${detail}`, req, {
        httpStatus: status,
        field: v3?.source?.parameter ?? (v2 ? v2.split(':')[0] : undefined)
      })
    throw http.error('carrier_error', `${NAME} answered HTTP ${status}: ${detail}`, req, { httpStatus: status, retryable: status >= 500 })
  }

  async function call<T>(req: HttpRequest, http: HttpClient = req.method === 'GET' ? reads : writes): Promise<T> {
    try {
      const full = { ...req, headers: { authorization: basic, ...req.headers } }
      const res = await http.send(full)
      let body: T = null as T
      const text = res.text()
      if (/json/i.test(res.contentType)) {
        try {
          body = JSON.parse(text) as T
        } catch {
          throw http.error('carrier_error', `${NAME} sent malformed or truncated JSON (HTTP ${res.status})`, req, {
            httpStatus: res.status,
            retryable: true
          })
        }
      } else if (res.status < 400) {
        throw http.error(
          'carrier_error',
          `${NAME} answered ${res.contentType || 'no content type'} instead of JSON (HTTP ${res.status})`,
          req,
          { httpStatus: res.status, retryable: true }
        )
      }
      judge(res.status, body, req, http)
      return body
    } catch (e) {
      remember(e)
      throw e
    }
  }

  const parcelOf = (p: V2Parcel): ScParcel => ({
    id: p.id,
    trackingNumber: p.tracking_number ?? '',
    carrier: p.carrier?.code ?? '',
    statusId: Number(p.status?.id ?? 0),
    statusMessage: p.status?.message ?? SENDCLOUD_MESSAGES.get(Number(p.status?.id)) ?? '',
    servicePointId: p.to_service_point != null ? String(p.to_service_point) : null,
    externalReference: p.external_reference ?? null
  })

  const capabilities = new Set<Capability>(['track_one', 'points_search', 'create_shipment', 'label', 'webhook'])

  const adapter: SendcloudAdapter = {
    carrier: 'sendcloud',
    account: account.alias,
    capabilities,
    batchSize: 1,

    async track(numbers): Promise<TrackResult[]> {
      const out: TrackResult[] = []
      for (const tn of numbers) {
        try {
          const body = await call<{ parcels?: V2Parcel[] }>({
            method: 'GET',
            path: '/api/v2/parcels',
            query: { tracking_number: tn },
            subject: tn
          })
          const p = body.parcels?.[0]
          if (!p) {
            out.push({ trackingNumber: tn, ok: false, error: new CarrierError('not_found', `${NAME} does not know ${tn}`) })
            continue
          }
          const sc = parcelOf(p)
          const current = {
            at: deps.now(),
            nativeStatus: String(sc.statusId),
            label: sc.statusMessage,
            dedupeKey: `${sc.id}:${sc.statusId}`
          }
          out.push({
            trackingNumber: tn,
            ok: true,
            events: [current],
            current,
            carrierData: { sendcloudParcelId: sc.id, carrier: sc.carrier, servicePointId: sc.servicePointId }
          })
        } catch (e) {
          out.push({
            trackingNumber: tn,
            ok: false,
            error: e instanceof CarrierError ? e : new CarrierError('carrier_error', `${NAME} answer could not be read`)
          })
        }
      }
      return out
    },

    budget: () => reads.limiter.snapshot(),

    ...sendcloudPoints(account, { call, reads, writes }, deps.now),

    async createParcel(input) {
      if (!input.externalReference?.trim())
        throw new CarrierError('invalid_input', 'A parcel needs an external reference (it makes a retried create safe)', {
          field: 'externalReference'
        })
      const requestLabel = input.requestLabel ?? true
      // The label is announced for a shipping method: the one asked for, else the account's default.
      // (Choosing one per point carrier in the app is still to do; without one Sendcloud decides.)
      const methodId = input.shippingMethodId ?? (Number(account.options?.shippingMethodId) || undefined)
      const parcel: Record<string, unknown> = {
        name: input.name,
        company_name: input.companyName,
        address: input.address,
        house_number: input.houseNumber,
        city: input.city,
        postal_code: input.postalCode,
        country: input.country.toUpperCase(),
        email: input.email,
        telephone: input.telephone,
        to_service_point: input.servicePointId,
        to_post_number: input.postNumber,
        shipment: methodId ? { id: methodId } : undefined,
        weight: input.weightKg != null ? input.weightKg.toFixed(3) : undefined,
        order_number: input.orderNumber,
        external_reference: input.externalReference,
        request_label: requestLabel
      }
      const req: HttpRequest = {
        method: 'POST',
        path: '/api/v2/parcels',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ parcel }),
        safe: false,
        subject: input.externalReference
      }
      try {
        const body = await call<{ parcel?: V2Parcel }>(req)
        if (!body?.parcel?.id) throw writes.error('carrier_error', `${NAME} parcel answer has no parcel`, req)
        return parcelOf(body.parcel)
      } catch (e) {
        // external_reference is unique: a create that already went through (lost answer, retry) is found again.
        if (e instanceof CarrierError && e.code === 'invalid_input' && /external_reference/.test(e.message) && /exist/.test(e.message)) {
          const found = await call<{ parcels?: V2Parcel[] }>({
            method: 'GET',
            path: '/api/v2/parcels',
            query: { external_reference: input.externalReference }
          })
          const p = found.parcels?.[0]
          if (p) return parcelOf(p)
        }
        throw e
      }
    },

    async labelDocument(parcelId, opts) {
      const req: HttpRequest = {
        method: 'GET',
        path: `/api/v2/parcels/${parcelId}/documents/label`,
        query: { dpi: opts.dpi ?? (opts.format === 'zpl' ? 203 : 72) },
        headers: { authorization: basic, accept: opts.format === 'zpl' ? 'application/zpl' : 'application/pdf' },
        subject: String(parcelId)
      }
      try {
        const res = await reads.send(req)
        if (res.status >= 400) {
          let body: unknown = null
          try {
            body = JSON.parse(res.text())
          } catch {
            // not JSON: judged on the status alone
          }
          judge(res.status, body, req, reads)
        }
        const want = opts.format === 'zpl' ? /zpl/i : /pdf/i
        if (!want.test(res.contentType))
          throw reads.error(
            'carrier_error',
            `${NAME} sent ${res.contentType || 'no content type'} instead of a ${opts.format.toUpperCase()} label`,
            req
          )
        return { contentType: opts.format === 'zpl' ? 'application/zpl' : 'application/pdf', data: res.body }
      } catch (e) {
        remember(e)
        throw e
      }
    },

    async label(trackingNumber) {
      const [r] = await adapter.track([trackingNumber])
      if (!r || !r.ok) throw r && !r.ok ? r.error : new CarrierError('not_found', `${NAME} does not know ${trackingNumber}`)
      const id = Number(r.carrierData?.sendcloudParcelId)
      return adapter.labelDocument(id, { format: 'pdf' })
    },

    async diagnose() {
      const problems: string[] = []
      let integrations: Array<{ service_point_enabled?: boolean; service_point_carriers?: string[]; webhook_active?: boolean }> = []
      let credentialsValid = true
      try {
        integrations = await call<typeof integrations>({ method: 'GET', path: '/api/v2/integrations' })
      } catch (e) {
        if (e instanceof CarrierError && e.code === 'unauthorized') {
          credentialsValid = false
          problems.push('The Sendcloud API keys are refused: check the public and secret key.')
        } else problems.push(`Sendcloud could not be reached: ${(e as Error).message}`)
      }
      const list = Array.isArray(integrations) ? integrations : []
      const spEnabled = list.length ? list.some((i) => i.service_point_enabled === true) : credentialsValid ? false : null
      const carriers = [...new Set(list.flatMap((i) => i.service_point_carriers ?? []))]
      if (credentialsValid && spEnabled === false)
        problems.push('The "service points" option is off in Sendcloud (Settings > Integrations).')
      if (credentialsValid && spEnabled && carriers.length === 0) problems.push('No carrier is enabled for service points in Sendcloud.')
      return {
        credentialsValid,
        servicePointsEnabled: spEnabled,
        carriersEnabled: carriers,
        webhookActive: list.length ? list.some((i) => i.webhook_active === true) : null,
        lastErrors: [...lastErrors],
        problems
      }
    }
  }
  return adapter
}
