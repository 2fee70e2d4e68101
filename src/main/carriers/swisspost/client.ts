// The Swiss Post adapter: OAuth2 client credentials (the short-lived token cached and renewed,
// once more on a 401), the location search for PickPost points and My Post 24 lockers, the
// PickPost / My Post 24 User ID lookup (seed 004) and generateAddressLabel (one item per call;
// errors that arrive with HTTP 200 in item.errors are thrown as errors).
import { CARRIER_NAMES } from '../../../shared/domain'
import { pickPostName2, type PickPostKeyword } from '../../../shared/label'
import {
  CUSTOMER_STATUSES,
  isVerifiedCustomer,
  distanceMetres,
  emptyOpeningTimes,
  openingFlags,
  WEEKDAYS,
  type CustomerStatus,
  type OpeningTimes,
  type PickupPoint,
  type PointKind,
  type PointService
} from '../../../shared/points'
import { HttpClient, type HttpRequest } from '../http/client'
import { splitUrl, swissPostHosts } from './hosts'
import { name2Keyword, name2Line } from './name2'
import {
  CarrierError,
  type CarrierAccount,
  type CarrierAdapter,
  type CarrierDeps,
  type Capability,
  type PointQuery,
  type TrackResult
} from '../types'

/** The paths Guichet calls below each host (hosts.ts; user ID: DCAPI reference §7). */
const SP_PATHS = {
  geocode: '/Geocode',
  find: '/Find',
  poi: '/Poi',
  userId: '/users',
  label: '/generateAddressLabel'
} as const

const NAME = CARRIER_NAMES.swisspost

export interface SwissPostDepsExtra extends CarrierDeps {
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  timeoutMs?: number
  maxRetries?: number
}

export type SpLayout = 'A5' | 'A6' | 'A7' | 'FE'
export type SpFileType = 'PDF' | 'ZPL2'

export interface SpAddress {
  name1: string
  name2?: string | null
  street?: string | null
  houseNo?: string | null
  zip?: string | null
  city: string
  country?: string | null
}

export interface SpLabelInput {
  itemID: string
  /** The sender: name1, street (number included), zip, city; houseNo/email/phone are refused by the API. */
  customer: { name1: string; name2?: string; street: string; zip: string; city: string; country?: string }
  /** The delivery address (for PickPost / My Post 24: the point's address with Name2 "<keyword> <UserID>"). */
  recipient: SpAddress & { firstName?: string; phone?: string | null; email?: string | null }
  przl: string[]
  weightGrams?: number
  layout: SpLayout
  fileType: SpFileType
  resolution?: 200 | 300 | 600
  language?: 'DE' | 'FR' | 'IT' | 'EN'
  cod?: { amount: number }
}

export interface SpLabel {
  identCode: string
  contentType: 'application/pdf' | 'application/zpl'
  data: Buffer
  warnings: string[]
}

export interface SpUserIdLookup {
  orderReference: string
  service: PickPostKeyword
  customer: {
    firstName: string
    lastName: string
    email: string
    street?: string
    houseNo?: string
    zip: string
    city: string
    mobile?: string
    language?: 'DE' | 'FR' | 'IT' | 'EN'
  }
}

export interface SpUserIdResult {
  userId: string
  customerStatus: CustomerStatus
  /** MAIL, REGISTRED_MAIL and SUISSE-ID: Swiss Post has checked the identity (matters for lockers). */
  verified: boolean
  /** Always false: the documented answer {id, verified} does not say whether the call registered the person. */
  newlyRegistered: boolean
}

export interface SwissPostAdapter extends CarrierAdapter {
  searchPoints(q: PointQuery): Promise<PickupPoint[]>
  getPoint(id: string): Promise<PickupPoint | null>
  lookupUserId(input: SpUserIdLookup): Promise<SpUserIdResult>
  generateAddressLabel(input: SpLabelInput): Promise<SpLabel>
  /** Gets a token now: the setup check ("are the credentials valid?"). */
  checkCredentials(): Promise<{ valid: boolean; message: string }>
  /** Name2 for this account: "<its keyword> <User ID>" (name2.ts), null when not printable. */
  name2(keyword: PickPostKeyword, userId: string): string | null
  /** The sender printed on labels (account options.sender), null when not set up. */
  sender(): { name1: string; street: string; zip: string; city: string } | null
}

/** places.post.ch type tags: T1 partner counter, T6 My Post 24 terminal, T9 staffed branch. */
const TYPE_TAGS: Record<string, { type: PointKind; services: PointService[] }> = {
  T1: { type: 'counter', services: ['PickPost'] },
  T6: { type: 'locker', services: ['My Post 24'] },
  T9: { type: 'post_office', services: ['PickPost'] }
}

/** "Kasernenstrasse 97" -> street, house number. */
export function splitStreet(s: string): { street: string; houseNo: string | null } {
  const m = /^(.*?)\s+(\d+\s?[a-zA-Z]?)$/.exec(s.trim())
  return m ? { street: m[1]!, houseNo: m[2]!.replace(/\s/g, '') } : { street: s.trim(), houseNo: null }
}

const tag = (xml: string, name: string): string | null => {
  const m = new RegExp(`<${name}[^>]*>([\\s\\S]*?)</${name}>`).exec(xml)
  return m ? m[1]!.replace(/&lt;/g, '<').replace(/&amp;/g, '&').trim() : null
}

/** Reads a places.post.ch Poi XML document's weekly hours. */
export function parsePoiOpening(xml: string): OpeningTimes {
  const times = emptyOpeningTimes()
  const blocks = xml.match(/<OpeningHours>[\s\S]*?<\/OpeningHours>/g) ?? []
  for (const b of blocks) {
    const slices = [...b.matchAll(/<Timeslice>\s*<TimeFrom>([^<]+)<\/TimeFrom>\s*<TimeUntil>([^<]+)<\/TimeUntil>\s*<\/Timeslice>/g)].map(
      (m) => ({ from: m[1]!.trim(), to: m[2]!.trim() })
    )
    WEEKDAYS.forEach((d) => {
      const cap = d[0]!.toUpperCase() + d.slice(1)
      if (tag(b, cap) === 'true') times[d].push(...slices)
    })
  }
  return times
}

export function createSwissPostAdapter(account: CarrierAccount, deps: SwissPostDepsExtra): SwissPostAdapter {
  // username/password: the generic account form's names for the same two values.
  const clientId = account.credentials.client_id ?? account.credentials.username ?? ''
  const clientSecret = account.credentials.client_secret ?? account.credentials.password ?? ''
  const frankingLicense = String(account.options?.frankingLicense ?? account.credentials.franking_license ?? '')
  const scope = String(account.options?.scope ?? 'DCAPI_BARCODE_READ WEDEC_PICKPOST')
  const hosts = swissPostHosts(account)
  const tokenAt = splitUrl(hosts.tokenUrl)
  const mk = (baseUrl: string) =>
    new HttpClient({
      baseUrl,
      logger: deps.logger,
      now: deps.now,
      sleep: deps.sleep,
      random: deps.random,
      timeoutMs: deps.timeoutMs,
      maxRetries: deps.maxRetries,
      secrets: [clientSecret],
      carrierName: NAME
    })
  // One client per host: each keeps its own base path (and rate budget, as each host has its own).
  const auth = mk(tokenAt.base)
  const http = mk(hosts.barcodeUrl)
  const users = mk(hosts.userIdUrl)
  const places = mk(hosts.placesUrl)
  let token: { value: string; expiresAt: number } | null = null
  let pending: Promise<string> | null = null

  async function fetchToken(): Promise<string> {
    if (!clientId || !clientSecret)
      throw new CarrierError('unauthorized', `${NAME}: the client id and secret are not set for account "${account.alias}"`)
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      scope
    }).toString()
    const req: HttpRequest = {
      method: 'POST',
      path: tokenAt.path,
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      safe: true
    }
    const { status, body: b } = await auth.json<{ access_token?: string; expires_in?: number; error?: string }>(req)
    if (status === 400 || status === 401)
      throw auth.error('unauthorized', `${NAME} refused the client credentials (${b?.error ?? `HTTP ${status}`})`, req, {
        httpStatus: status
      })
    if (status !== 200 || !b?.access_token)
      throw auth.error('carrier_error', `${NAME} token answer has no access_token (HTTP ${status})`, req, {
        httpStatus: status,
        retryable: true
      })
    for (const c of [auth, http, users, places]) c.addSecret(b.access_token)
    const ttl = Math.max(1, Number(b.expires_in ?? 60)) * 1000
    // Renew a little early so a token never expires between our check and the carrier's.
    token = { value: b.access_token, expiresAt: deps.now() + ttl - Math.min(10_000, ttl / 4) }
    return b.access_token
  }

  async function accessToken(): Promise<string> {
    if (token && token.expiresAt > deps.now()) return token.value
    // One refresh at a time: concurrent calls share it.
    pending ??= fetchToken().finally(() => (pending = null))
    return pending
  }

  /** A DCAPI call with the Bearer token; a 401 renews the token once (it may have expired on the way). */
  async function authed<T>(http: HttpClient, req: HttpRequest): Promise<{ status: number; body: T; text: string }> {
    for (let attempt = 0; ; attempt++) {
      const t = await accessToken()
      const res = await http.send({ ...req, headers: { ...req.headers, authorization: `Bearer ${t}` } })
      if (res.status === 401 && attempt === 0) {
        token = null
        continue
      }
      if (res.status === 401 || res.status === 403)
        throw http.error('unauthorized', `${NAME} refused the access token (HTTP ${res.status})`, req, { httpStatus: res.status })
      if (res.status >= 500)
        throw http.error('carrier_error', `${NAME} answered HTTP ${res.status}`, req, { httpStatus: res.status, retryable: true })
      const text = res.text()
      let body: T = undefined as T
      if (/json/i.test(res.contentType) && text.trim()) {
        try {
          body = JSON.parse(text) as T
        } catch {
          throw http.error('carrier_error', `${NAME} sent malformed JSON (HTTP ${res.status})`, req, {
            httpStatus: res.status,
            retryable: true
          })
        }
      } else if (res.status === 200) {
        throw http.error('carrier_error', `${NAME} answered ${res.contentType || 'no content type'} instead of JSON`, req, {
          httpStatus: res.status,
          retryable: true
        })
      }
      return { status: res.status, body, text }
    }
  }

  async function placesJson<T>(req: HttpRequest): Promise<T> {
    const { status, body } = await places.json<T & { ok?: boolean; message?: string }>(req)
    if (status >= 400 || (body && body.ok === false))
      throw places.error('carrier_error', `${NAME} location search failed: ${body?.message ?? `HTTP ${status}`}`, req, {
        httpStatus: status
      })
    return body
  }

  async function centre(q: PointQuery): Promise<{ lat: number; lon: number } | null> {
    if (q.position) return q.position
    const text = [q.postalCode, q.city, q.address].filter(Boolean).join(' ').trim()
    if (!text) throw new CarrierError('invalid_input', 'Give a postal code, a city, an address or a position', { field: 'postalCode' })
    const body = await placesJson<{ locations?: Array<{ pt?: [number, number] }> }>({
      method: 'GET',
      path: SP_PATHS.geocode,
      query: { query: q.postalCode ?? text, lang: 'de', limit: 5 },
      subject: text
    })
    const pt = body.locations?.find((l) => Array.isArray(l.pt))?.pt
    return pt ? { lon: pt[0], lat: pt[1] } : null
  }

  async function details(id: string): Promise<{ times: OpeningTimes; xml: string } | null> {
    const req: HttpRequest = { method: 'GET', path: SP_PATHS.poi, query: { id, lang: 'de' }, subject: id }
    const res = await places.send(req)
    if (res.status === 404) return null
    if (res.status >= 400)
      throw places.error('carrier_error', `${NAME} point details failed (HTTP ${res.status})`, req, { httpStatus: res.status })
    const xml = res.text()
    if (!/<POI[\s>]/.test(xml)) throw places.error('carrier_error', `${NAME} point details are not the expected XML`, req)
    return { times: parsePoiOpening(xml), xml }
  }

  function toPoint(
    p: { id: string; name: string; typeTag: string; street: string; zip: string; city: string; lat: number; lon: number },
    times: OpeningTimes | null,
    from: { lat: number; lon: number } | null
  ): PickupPoint {
    const t = TYPE_TAGS[p.typeTag] ?? { type: 'post_office' as const, services: [] }
    const s = splitStreet(p.street)
    return {
      id: p.id,
      carrier: 'swisspost',
      account: account.alias,
      name: p.name,
      type: t.type,
      street: s.street,
      houseNo: s.houseNo,
      zip: p.zip,
      city: p.city,
      country: 'CH',
      lat: p.lat,
      lon: p.lon,
      openingTimes: times,
      ...openingFlags(times, deps.now()),
      distanceM: from ? distanceMetres(from, p) : null,
      services: t.services
    }
  }

  const capabilities = new Set<Capability>(['points_search', 'label', 'create_shipment'])

  return {
    carrier: 'swisspost',
    account: account.alias,
    capabilities,
    batchSize: 1,
    async track(numbers): Promise<TrackResult[]> {
      // Tracking is not part of this contract (seed 004 is about addressing and labels).
      return numbers.map((trackingNumber) => ({
        trackingNumber,
        ok: false,
        error: new CarrierError('unsupported', `${NAME} tracking is not connected in Guichet`)
      }))
    },
    budget: () => http.limiter.snapshot(),

    async searchPoints(q) {
      if (q.country && q.country.toUpperCase() !== 'CH' && q.country.toUpperCase() !== 'LI') return []
      const c = await centre(q)
      if (!c) return []
      const r = Math.min(Math.max(q.radiusM ?? 3000, 100), 50_000)
      const dLat = r / 111_320
      const dLon = r / (111_320 * Math.cos((c.lat * Math.PI) / 180))
      const wanted = q.types?.length ? q.types : (['counter', 'locker', 'post_office'] as PointKind[])
      const tags = Object.entries(TYPE_TAGS)
        .filter(([, v]) => wanted.includes(v.type))
        .map(([k]) => k)
      if (!tags.length) return []
      const body = await placesJson<{
        pois?: Array<{
          id: string
          name: string
          type: string
          x: number
          y: number
          info?: { Street?: string; Zip?: string; City?: string }
        }>
      }>({
        method: 'GET',
        path: SP_PATHS.find,
        query: {
          extent: [c.lon - dLon, c.lat - dLat, c.lon + dLon, c.lat + dLat].map((n) => n.toFixed(6)).join(','),
          query: tags.join(','),
          clusterdist: 0,
          agglevel: 5,
          lod: 3,
          lang: 'de',
          encoding: 'UTF-8',
          maxpois: 100
        }
      })
      const rows = (body.pois ?? [])
        .filter((p) => typeof p.x === 'number' && typeof p.y === 'number' && TYPE_TAGS[p.type])
        .map((p) => ({
          id: String(p.id),
          name: p.name,
          typeTag: p.type,
          street: p.info?.Street ?? '',
          zip: p.info?.Zip ?? '',
          city: p.info?.City ?? '',
          lat: p.y,
          lon: p.x
        }))
        .map((p) => ({ p, d: distanceMetres(c, p) }))
        .filter((x) => x.d <= r)
        .sort((a, b) => a.d - b.d)
        .slice(0, q.limit ?? 20)
      // Opening hours only come with each point's details.
      const out: PickupPoint[] = []
      for (const { p } of rows) out.push(toPoint(p, (await details(p.id))?.times ?? null, c))
      return out
    },

    async getPoint(id) {
      const d = await details(id)
      if (!d) return null
      const lat = Number(tag(d.xml, 'CoordinateLat'))
      const lon = Number(tag(d.xml, 'CoordinateLng'))
      const typeTag = /POITypeId="([^"]+)"/.exec(d.xml)?.[1] ?? ''
      return toPoint(
        {
          id,
          name: tag(d.xml, 'Description') ?? id,
          typeTag,
          street: tag(d.xml, 'Street') ?? '',
          zip: tag(d.xml, 'Zip') ?? '',
          city: tag(d.xml, 'City') ?? '',
          lat,
          lon
        },
        d.times,
        null
      )
    },

    async lookupUserId(input) {
      const c = input.customer
      // DCAPI reference §7: get-or-create, the customer's own address; "PICKPOST" is the only
      // service value documented, and the one ID serves both keywords (seed 004).
      const req: HttpRequest = {
        method: 'POST',
        path: SP_PATHS.userId,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        // Get-or-create: a repeated call hands back the same ID, so a retry is harmless.
        safe: true,
        body: JSON.stringify({
          userDetails: { firstName: c.firstName, lastName: c.lastName, language: c.language ?? 'DE' },
          address: {
            ...(c.street ? { house: { street: c.street, ...(c.houseNo ? { houseNumber: c.houseNo } : {}) } } : {}),
            zip: { zip: c.zip, city: c.city, countryCode: 'CH' }
          },
          notification: { notifyMode: 'EMAIL', email: c.email },
          service: 'PICKPOST'
        }),
        subject: input.orderReference
      }
      const { status, body } = await authed<{ id?: string; verified?: string } | Array<{ field?: string; error?: string }>>(users, req)
      if (status === 400) {
        const list = Array.isArray(body) ? body : []
        throw users.error(
          'invalid_input',
          `${NAME} refused the User ID call: ${list.map((e) => `${e.field ?? ''} ${e.error ?? ''}`.trim()).join('; ') || 'HTTP 400'}`,
          req,
          { httpStatus: 400, field: list[0]?.field }
        )
      }
      const ok = !Array.isArray(body) ? body : undefined
      if (status !== 200 || !ok?.id)
        throw users.error('carrier_error', `${NAME} User ID answer has no id (HTTP ${status})`, req, { httpStatus: status })
      // A status no document lists is kept as UNKNOWN (unverified): it never blocks the label.
      const raw = String(ok.verified ?? '')
      const st: CustomerStatus = (CUSTOMER_STATUSES as readonly string[]).includes(raw) ? (raw as CustomerStatus) : 'UNKNOWN'
      if (!pickPostName2(input.service, ok.id)) throw users.error('carrier_error', `${NAME} sent a User ID Guichet cannot print`, req)
      return { userId: ok.id, customerStatus: st, verified: isVerifiedCustomer(st), newlyRegistered: false }
    },

    async generateAddressLabel(input) {
      if (!frankingLicense)
        throw new CarrierError('invalid_input', `${NAME}: the franking licence is not set for account "${account.alias}"`, {
          field: 'frankingLicense'
        })
      const rec = input.recipient
      const recipient: Record<string, unknown> = { name1: rec.name1, city: rec.city }
      for (const k of ['firstName', 'name2', 'street', 'houseNo', 'zip', 'country', 'phone', 'email'] as const)
        if (rec[k]) recipient[k] = rec[k]
      const payload = {
        language: input.language ?? 'DE',
        frankingLicense,
        ppFranking: false,
        customer: input.customer,
        labelDefinition: {
          labelLayout: input.layout,
          printAddresses: 'RECIPIENT_AND_CUSTOMER',
          imageFileType: input.fileType,
          imageResolution: input.resolution ?? 300,
          printPreview: false
        },
        item: {
          itemID: input.itemID,
          recipient,
          attributes: { przl: input.przl, ...(input.weightGrams ? { weight: Math.round(input.weightGrams) } : {}) },
          ...(input.cod ? { additionalData: [{ type: 'NN_BETRAG', value: input.cod.amount.toFixed(2) }] } : {})
        }
      }
      // Not safe to repeat: a second call would number a second parcel.
      const req: HttpRequest = {
        method: 'POST',
        path: SP_PATHS.label,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        safe: false,
        subject: input.itemID
      }
      const { status, body } = await authed<{
        item?: {
          identCode?: string
          label?: string[]
          errors?: Array<{ code: string; message: string }>
          warnings?: Array<{ message: string }>
        }
      }>(http, req)
      if (status === 400)
        throw http.error(
          'invalid_input',
          `${NAME} rejected the label request (HTTP 400${body ? '' : ', no details'}; the sender takes name1, street, zip and city only)`,
          req,
          { httpStatus: 400 }
        )
      if (status !== 200) throw http.error('carrier_error', `${NAME} answered HTTP ${status}`, req, { httpStatus: status })
      const errs = body?.item?.errors ?? []
      if (errs.length) {
        throw http.error('carrier_refused', `${NAME} refused the label: ${errs.map((e) => `${e.code} ${e.message}`).join('; ')}`, req, {
          carrierCode: errs[0]!.code,
          httpStatus: 200
        })
      }
      const identCode = body?.item?.identCode
      if (!identCode || !body?.item?.label?.length) throw http.error('carrier_error', `${NAME} label answer has no identCode or label`, req)
      return {
        identCode,
        contentType: input.fileType === 'ZPL2' ? 'application/zpl' : 'application/pdf',
        data: Buffer.concat(body.item.label.map((c) => Buffer.from(c, 'base64'))),
        warnings: (body.item.warnings ?? []).map((w) => w.message)
      }
    },

    name2: (keyword, userId) => name2Line(name2Keyword(account, keyword), keyword, userId),

    sender() {
      const s = (account.options?.sender ?? null) as { name1?: string; street?: string; zip?: string; city?: string } | null
      return s?.name1 && s.street && s.zip && s.city ? { name1: s.name1, street: s.street, zip: s.zip, city: s.city } : null
    },

    async checkCredentials() {
      try {
        token = null
        await accessToken()
        return { valid: true, message: 'OK' }
      } catch (e) {
        if (e instanceof CarrierError && e.code === 'unauthorized') return { valid: false, message: e.message }
        throw e
      }
    }
  }
}
