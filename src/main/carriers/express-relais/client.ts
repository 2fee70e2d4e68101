// The Express Relais adapter: Basic auth; create to an address or a smart locker, status of one
// or many parcels, tracking (the status log with waybills), lockers, cancel, return. Settings
// (seed 000) come from CarrierAccount.options; username and password from credentials.
import type { DeliveryPoint } from '../../../shared/domain'
import { distanceMetres, type PickupPoint } from '../../../shared/points'
import { CARRIER_NAMES } from '../../../shared/domain'
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
import { expressRelaisSettingsSchema, isMobileAllowed, missingPickupFields, normaliseMobile, type ExpressRelaisSettings } from './settings'

const NAME = CARRIER_NAMES['express-relais']
const ER_BATCH = 50

interface ErDepsExtra extends CarrierDeps {
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  timeoutMs?: number
  maxRetries?: number
  maxQueueWaitMs?: number
}

export interface ErOrderInput {
  idParcelClient: string
  firstName: string
  lastName: string
  mobile: string
  /** A smart locker / relay point id, or an address. */
  delivery: { type: 'LOCKER'; lockerId: string } | { type: 'ADDRESS'; city: string; address: string }
  cashOnDelivery?: number
  productName?: string
  comment?: string
  weightKg?: number
  allowOpenParcel?: boolean
  insureValue?: number
}

interface ErStatus {
  idParcelClient: string
  status: string
  statusDescription: string | null
  statusComment: string
  statusUpdateTime: string
  waybill: string | null
  deliveryPoint: { id: string; name: string; address: string; type?: string } | null
}

export interface ExpressRelaisAdapter extends CarrierAdapter {
  readonly settings: ExpressRelaisSettings
  /** May this mobile choose Express Relais? (allowed prefixes of the settings) */
  offersDeliveryTo(mobile: string): boolean
  createShipment(input: ErOrderInput): Promise<{ trackingNumber: string; status: ErStatus }>
  status(idParcelClient: string): Promise<ErStatus>
  lockers(city?: string): Promise<DeliveryPoint[]>
  checkCredentials(): Promise<boolean>
}

/** "2026-11-28 10:00:00" in Casablanca time (UTC+1) to ms. */
function erTime(text: string): number {
  const t = Date.parse(`${text.replace(' ', 'T')}+01:00`)
  return Number.isNaN(t) ? 0 : t
}

function parseErSettings(account: CarrierAccount): ExpressRelaisSettings {
  const r = expressRelaisSettingsSchema.safeParse({
    apiUrl: account.baseUrl,
    ...(account.options ?? {}),
    username: account.credentials.username ?? '',
    password: account.credentials.password ?? ''
  })
  if (!r.success) {
    const issue = r.error.issues[0]!
    // Never echo the values: the password is among them.
    throw new CarrierError('invalid_input', `Express Relais settings: ${issue.path.join('.')} ${issue.message}`, {
      field: issue.path.join('.')
    })
  }
  return r.data
}

const toPoint = (p: ErStatus['deliveryPoint']): DeliveryPoint | null =>
  p ? { id: p.id, name: p.name, address: p.address, carrier: 'express-relais', type: p.type === 'LOCKER' ? 'locker' : 'counter' } : null

export function createExpressRelaisAdapter(account: CarrierAccount, deps: ErDepsExtra): ExpressRelaisAdapter {
  const settings = parseErSettings(account)
  const http = new HttpClient({
    baseUrl: settings.apiUrl,
    logger: deps.logger,
    now: deps.now,
    sleep: deps.sleep,
    random: deps.random,
    timeoutMs: deps.timeoutMs,
    maxRetries: deps.maxRetries,
    maxQueueWaitMs: deps.maxQueueWaitMs,
    // No limits are published; the core still honours 429 + Retry-After.
    limits: [],
    limiterKey: `express-relais:${account.alias}:${settings.apiUrl}`,
    secrets: [settings.password, Buffer.from(`${settings.username}:${settings.password}`).toString('base64')],
    carrierName: NAME
  })
  const auth = { authorization: `Basic ${Buffer.from(`${settings.username}:${settings.password}`).toString('base64')}` }

  const disabled = () => new CarrierError('unsupported', `${NAME} is switched off in the settings`)

  async function call<T>(req: HttpRequest): Promise<T> {
    if (!settings.enabled) throw disabled()
    const { status, body } = await http.json<{ status?: string; message?: string; errors?: Record<string, string>; data?: T }>({
      ...req,
      headers: { ...auth, ...req.headers }
    })
    if (status === 401 || status === 403)
      throw http.error('unauthorized', `${NAME} refused the username or password (HTTP ${status})`, req, { httpStatus: status })
    if (status === 404) throw http.error('not_found', `${NAME}: ${body?.message ?? 'not found'}`, req, { httpStatus: 404 })
    if (status === 400 || status === 422) {
      const fields = Object.keys(body?.errors ?? {})
      const detail = fields.map((f) => `${f}: ${body!.errors![f]}`).join('; ')
      throw http.error('invalid_input', `${NAME} rejected the data: ${detail || body?.message || 'invalid'}`, req, {
        httpStatus: status,
        field: fields[0]
      })
    }
    if (status === 409) throw http.error('carrier_refused', `${NAME} refused: ${body?.message ?? 'conflict'}`, req, { httpStatus: 409 })
    if (status >= 400) throw http.error('carrier_error', `${NAME} answered HTTP ${status}`, req, { httpStatus: status })
    if (!body || body.status !== 'success' || body.data === undefined) throw http.error('carrier_error', `${NAME} answer has no data`, req)
    return body.data
  }

  const form = (fields: Record<string, string | number | undefined>) => {
    const p = new URLSearchParams()
    for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== '') p.set(k, String(v))
    return { body: p.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } }
  }

  const statusEvent = (s: ErStatus): NativeEvent => ({
    at: erTime(s.statusUpdateTime),
    nativeStatus: s.status,
    label: s.statusDescription,
    description: s.statusDescription,
    comment: s.statusComment || null,
    waybill: s.waybill,
    dedupeKey: `${s.statusUpdateTime} ${s.status}`
  })

  /** getTrackingParcel: the per-parcel status log (status, description, comment, time, waybill). */
  async function trackingLog(
    id: string
  ): Promise<{ events: NativeEvent[]; waybill: string | null; deliveryPoint: ErStatus['deliveryPoint'] }> {
    const t = await call<{
      waybill: string | null
      deliveryPoint: ErStatus['deliveryPoint']
      history: Array<{ status: string; statusDescription: string | null; statusComment: string; date: string; waybill: string | null }>
    }>({
      method: 'GET',
      path: '/getTrackingParcel',
      query: { idParcelClient: id },
      subject: id
    })
    if (!t || !Array.isArray(t.history)) throw http.error('carrier_error', `${NAME} tracking answer has no history`)
    const events = t.history.map((h) => ({
      at: erTime(h.date),
      nativeStatus: h.status,
      label: h.statusDescription,
      description: h.statusDescription,
      comment: h.statusComment || null,
      waybill: h.waybill,
      dedupeKey: `${h.date} ${h.status}`
    }))
    return { events, waybill: t.waybill, deliveryPoint: t.deliveryPoint }
  }

  type RawPoint = { id: string; name: string; address: string; city: string; type: string; latitude?: number; longitude?: number }
  const rawPoints = (city?: string) => call<RawPoint[]>({ method: 'GET', path: '/getSmartLocker', query: { city } })
  const toPickupPoint = (x: RawPoint): PickupPoint => ({
    id: x.id,
    carrier: 'express-relais',
    account: account.alias,
    name: x.name,
    type: x.type === 'LOCKER' ? 'locker' : 'counter',
    // ER gives one address line; it is kept whole as the street.
    street: x.address,
    houseNo: null,
    zip: /\b(\d{5})\b/.exec(x.address)?.[1] ?? null,
    city: x.city,
    country: 'MA',
    lat: typeof x.latitude === 'number' ? x.latitude : null,
    lon: typeof x.longitude === 'number' ? x.longitude : null,
    openingTimes: null,
    openTomorrow: null,
    openThisWeek: null,
    distanceM: null,
    services: []
  })

  const capabilities = new Set<Capability>(['track_one', 'track_many', 'create_shipment', 'cancel', 'return_request', 'points_search'])

  return {
    carrier: 'express-relais',
    account: account.alias,
    capabilities,
    batchSize: ER_BATCH,
    settings,

    offersDeliveryTo: (mobile) => isMobileAllowed(mobile, settings),

    async track(ids) {
      const out: TrackResult[] = []
      for (let i = 0; i < ids.length; i += ER_BATCH) {
        const batch = ids.slice(i, i + ER_BATCH)
        try {
          if (batch.length === 1) {
            // One parcel: the full log (every status with its waybill), not only the latest.
            const id = batch[0]!
            const t = await trackingLog(id)
            out.push({
              trackingNumber: id,
              ok: true,
              events: t.events,
              current: t.events.at(-1),
              point: toPoint(t.deliveryPoint),
              carrierData: { waybill: t.waybill }
            })
            continue
          }
          const data = await call<ErStatus[]>({
            method: 'GET',
            path: '/getStatusMultipleParcels',
            query: { idParcelClient: batch.join(',') },
            subject: `${batch.length} parcels`
          })
          if (!Array.isArray(data)) throw http.error('carrier_error', `${NAME} status answer is not a list`)
          const byId = new Map(data.map((s) => [s.idParcelClient, s]))
          for (const id of batch) {
            const s = byId.get(id)
            if (!s) out.push({ trackingNumber: id, ok: false, error: new CarrierError('not_found', `${NAME} does not know ${id}`) })
            else
              out.push({
                trackingNumber: id,
                ok: true,
                events: [statusEvent(s)],
                current: statusEvent(s),
                point: toPoint(s.deliveryPoint),
                carrierData: { waybill: s.waybill }
              })
          }
        } catch (e) {
          const err = e instanceof CarrierError ? e : http.error('carrier_error', `${NAME} answer could not be read`)
          for (const id of batch) out.push({ trackingNumber: id, ok: false, error: err })
        }
      }
      return out
    },

    budget: () => http.limiter.snapshot(),

    async history(id) {
      return (await trackingLog(id)).events
    },

    async status(id) {
      return call<ErStatus>({ method: 'GET', path: '/getStatusParcel', query: { idParcelClient: id }, subject: id })
    },

    async createShipment(input) {
      if (!settings.enabled) throw disabled()
      const missing = missingPickupFields(settings)
      if (missing.length) {
        throw new CarrierError('invalid_input', `Fill in the Express Relais pickup settings first: ${missing.join(', ')}`, {
          field: missing[0]
        })
      }
      if (!isMobileAllowed(input.mobile, settings)) {
        throw new CarrierError('invalid_input', `Express Relais only delivers to mobiles starting with ${settings.allowedMobilePrefixes}`, {
          field: 'mobile'
        })
      }
      if (input.weightKg !== undefined && !(input.weightKg >= 1 && input.weightKg <= 20))
        throw new CarrierError('invalid_input', 'Weight must be between 1 and 20 kg', { field: 'weightKg' })
      const d = input.delivery
      const s = await call<ErStatus>({
        method: 'POST',
        path: '/createAioOrder',
        // Not repeated automatically: after a lost answer a repeat would only say 409 "already exists".
        safe: false,
        subject: input.idParcelClient,
        ...form({
          idParcelClient: input.idParcelClient,
          cityPickup: settings.pickupCity,
          addressPickup: settings.pickupAddress,
          contactPickup: settings.pickupContact,
          contactPickupPhone: settings.pickupPhone,
          emailPickup: settings.pickupEmail,
          typeDelivery: d.type,
          lastNameRecipient: input.lastName,
          firstNameRecipient: input.firstName,
          mobileRecipient: normaliseMobile(input.mobile, settings.mobilePrefix),
          cityDelivery: d.type === 'ADDRESS' ? d.city : undefined,
          addressDelivery: d.type === 'ADDRESS' ? d.address : undefined,
          smartLocker: d.type === 'LOCKER' ? d.lockerId : undefined,
          cashOnDelivery: input.cashOnDelivery,
          productName: input.productName,
          commentParcel: input.comment,
          weightParcel: input.weightKg,
          allowOpenParcel: input.allowOpenParcel === undefined ? undefined : input.allowOpenParcel ? 1 : 0,
          insureValue: input.insureValue
        })
      })
      return { trackingNumber: s.idParcelClient, status: s }
    },

    async cancel(id, _opts) {
      await call({ method: 'POST', path: '/cancelAioOrder', safe: true, subject: id, ...form({ idParcelClient: id }) })
    },

    async requestReturn(id, _opts) {
      try {
        const s = await call<ErStatus>({ method: 'POST', path: '/returnParcel', safe: true, subject: id, ...form({ idParcelClient: id }) })
        return { accepted: true, message: s.statusDescription ?? s.status }
      } catch (e) {
        if (e instanceof CarrierError && e.code === 'carrier_refused') return { accepted: false, message: e.message }
        throw e
      }
    },

    async lockers(city) {
      const list = await rawPoints(city)
      return list.map((x) => ({
        id: x.id,
        name: x.name,
        address: x.address,
        carrier: 'express-relais' as const,
        type: x.type === 'LOCKER' ? ('locker' as const) : ('counter' as const)
      }))
    },

    async searchPoints(q) {
      if (q.country.toUpperCase() !== 'MA') return []
      const list = (await rawPoints(q.city)).map(toPickupPoint)
      const here = q.position
      const near = here
        ? list
            .map((p) => ({
              ...p,
              distanceM: p.lat !== null && p.lon !== null ? Math.round(distanceMetres(here, { lat: p.lat, lon: p.lon })) : null
            }))
            .filter((p) => q.radiusM === undefined || (p.distanceM !== null && p.distanceM <= q.radiusM))
            .sort((a, b) => (a.distanceM ?? Infinity) - (b.distanceM ?? Infinity))
        : list
      return near.filter((p) => !q.types?.length || q.types.includes(p.type)).slice(0, q.limit ?? 50)
    },

    async getPoint(id) {
      return (await rawPoints()).map(toPickupPoint).find((p) => p.id === id) ?? null
    },

    async checkCredentials() {
      try {
        await call({ method: 'GET', path: '/getInfoClient' })
        return true
      } catch (e) {
        if (e instanceof CarrierError && e.code === 'unauthorized') return false
        throw e
      }
    }
  }
}
