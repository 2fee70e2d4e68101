// The Swiss Post adapter: OAuth2 client credentials (the short-lived token cached and renewed,
// once more on a 401), the location search for PickPost points and My Post 24 lockers, the
// PickPost / My Post 24 User ID lookup (seed 004, DCAPI reference §7: `POST .../users` below the
// user-ID host) and generateAddressLabel (labels.ts); the location search is in places.ts.
import { CARRIER_NAMES } from '../../../shared/domain'
import { pickPostName2, type PickPostKeyword } from '../../../shared/label'
import { CUSTOMER_STATUSES, isVerifiedCustomer, type CustomerStatus, type PickupPoint } from '../../../shared/points'
import { HttpClient, type HttpRequest } from '../http/client'
import { splitUrl, swissPostHosts } from './hosts'
import { generateAddressLabel, type SpLabel, type SpLabelInput } from './labels'
import { name2Keyword, name2Line } from './name2'
import { swissPostPlaces } from './places'
import {
  CarrierError,
  type CarrierAccount,
  type CarrierAdapter,
  type CarrierDeps,
  type Capability,
  type PointQuery,
  type TrackResult
} from '../types'

const NAME = CARRIER_NAMES.swisspost

interface SwissPostDepsExtra extends CarrierDeps {
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  timeoutMs?: number
  maxRetries?: number
}

interface SpUserIdLookup {
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

  const pts = swissPostPlaces(places, account.alias, deps.now)
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

    async lookupUserId(input) {
      const c = input.customer
      // DCAPI reference §7: get-or-create, the customer's own address; "PICKPOST" is the only
      // service value documented, and the one ID serves both keywords (seed 004).
      const req: HttpRequest = {
        method: 'POST',
        path: '/users',
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

    searchPoints: pts.searchPoints,
    getPoint: pts.getPoint,
    generateAddressLabel: (input) => generateAddressLabel({ http, authed, frankingLicense, alias: account.alias }, input),

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
