// The Sendcloud simulator: Basic auth with public/secret key; v3 service points (search, one point,
// availability) shaped as the official OpenAPI; v2 parcels to a service point (to_service_point,
// to_post_number for lockers, external_reference unique), labels and documents (PDF or ZPL at a dpi),
// parcels by tracking number, the integration settings (for setup diagnostics), the documented
// limits (1,000 reads/min, 100 writes/min with a 15/s burst, 429 + Retry-After) and signed
// parcel_status_changed webhooks. Time is the test's clock.
import { createHmac } from 'node:crypto'
import { lazyRequire } from '../../../platform/startup/lazy'
import type * as Undici from 'undici'
import type { Clock } from '../../../platform/clock'
import { distanceMetres } from '../../../../shared/points'
import { startSimServer, type SimReply, type SimRequest, type SimServer } from '../../sim/server'
import { SC_CARRIER_NAMES, SC_METHODS, SC_PLACES, SC_POINTS, SC_STATUS_MESSAGES, type ScPointFixture } from './fixtures'
import { minimalPdf } from '../../sim/pdf'
import { bodyChecker, queryChecker, type SpecProblem } from '../../sim/openapi'
import servicePointsV3 from './spec/service-points-v3.openapi.json'
import parcelsV2 from './spec/parcels-v2.openapi.json'

// Loaded at the first request (undici weighs 200-300 ms of start-up CPU).
const undici = lazyRequire<typeof Undici>('undici')

const SC_LIMITS = { readsPerMinute: 1000, writesPerMinute: 100, writesPerSecond: 15 } as const
const DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const

interface SendcloudSimOptions {
  clock: Clock
  port?: number
  /** Valid key pairs (public key = Basic user, secret key = Basic password). */
  keys: Array<{ publicKey: string; secretKey: string }>
  points?: readonly ScPointFixture[]
  /** Parcels known from the start (demo data): tracking number, current status id, point. */
  parcels?: ReadonlyArray<{
    trackingNumber: string
    statusId: number
    carrier: string
    servicePointId: number
    name: string
    city: string
    postalCode: string
    country: string
    ageMs?: number
  }>
  /** Integration settings seed 003 asks about: carriers enabled, service-point option on. */
  integration?: { servicePointEnabled?: boolean; carriers?: string[]; webhookUrl?: string | null; webhookSecret?: string }
}

interface SimParcel {
  id: number
  body: Record<string, unknown>
  trackingNumber: string
  carrier: string
  statusId: number
  createdAt: number
  history: Array<{ statusId: number; at: number }>
}

export interface SendcloudSim extends SimServer {
  parcels: Map<number, SimParcel>
  stats: { reads: number; writes: number; tooMany: number; webhooksSent: number }
  /** Moves a parcel to a status id; sends the signed webhook when a webhook URL is set. */
  setStatus(parcelId: number, statusId: number): Promise<void>
  /** The webhook body for a parcel's current status, and its signature with the integration secret. */
  webhookFor(parcelId: number): { body: string; signature: string }
  /** Changes integration settings (diagnostics tests). */
  configure(patch: NonNullable<SendcloudSimOptions['integration']>): void
}

const pad = (n: number, w: number) => String(n).padStart(w, '0')

function v3Errors(status: number, code: string, detail: string, parameter?: string): SimReply {
  return { status, body: { errors: [{ status: String(status), code, detail, ...(parameter ? { source: { parameter } } : {}) }] } }
}
/** Every problem the spec check found, in the v3 JSON:API error list. */
const v3Problems = (list: SpecProblem[]): SimReply => ({
  status: 400,
  body: { errors: list.map((x) => ({ status: '400', code: x.code, detail: x.detail, source: { parameter: x.where } })) }
})
const v2Error = (status: number, message: string, path: string): SimReply => ({
  status,
  body: { error: { code: status, message, request: path.replace(/^\//, '') } }
})

function isoWeekday(ms: number): number {
  return (new Date(ms).getUTCDay() + 6) % 7
}

/** A v3 ServicePoint; `from` undefined (single point) leaves out distance, null sets it null. */
function pointJson(p: ScPointFixture, now: number, from: { lat: number; lon: number } | null | undefined): Record<string, unknown> {
  const opening: Record<string, Array<{ start_time: string; end_time: string }> | null> = {}
  DAY_NAMES.forEach((d, i) => {
    const h = p.hours[i]
    opening[d] = h ? [{ start_time: h[0], end_time: h[1] }] : null
  })
  const today = isoWeekday(now)
  let nextOpen: string | null = null
  for (let k = 1; k <= 7 && !nextOpen; k++) {
    const h = p.hours[(today + k) % 7]
    if (h) {
      const day = new Date(now + k * 86_400_000).toISOString().slice(0, 10)
      nextOpen = `${day}T${h[0]}:00Z`
    }
  }
  return {
    id: p.id,
    name: p.name,
    carrier: { code: p.carrier, name: SC_CARRIER_NAMES[p.carrier], logo_url: null, icon_url: null },
    carrier_service_point_id: p.carrierPointId,
    carrier_shop_type: null,
    general_shop_type: p.generalShopType,
    address: { street: p.street, house_number: p.houseNumber, postal_code: p.postalCode, city: p.city, country_code: p.country },
    position: { latitude: p.lat, longitude: p.lon },
    contact: { email: 'servicepoint@example.com', phone: '+31401234567' },
    opening_times: opening,
    is_open_tomorrow: !!p.hours[(today + 1) % 7],
    next_open_at: nextOpen,
    is_expired: false,
    ...(from !== undefined ? { distance: from ? distanceMetres(from, p) : null } : {})
  }
}

export async function startSendcloudSimulator(opts: SendcloudSimOptions): Promise<SendcloudSim> {
  const { clock } = opts
  const points = opts.points ?? SC_POINTS
  const integration = {
    servicePointEnabled: true,
    carriers: ['postnl', 'dhl', 'mondial_relay', 'bpost'],
    webhookUrl: null as string | null,
    webhookSecret: opts.keys[0]?.secretKey ?? '',
    ...opts.integration
  }
  const parcels = new Map<number, SimParcel>()
  const checkSearch = queryChecker(servicePointsV3, 'sp3', '/service-points', 'get')
  const checkParcelsQuery = queryChecker(parcelsV2, 'parcels2q', '/parcels', 'get')
  const checkParcel = bodyChecker(parcelsV2, 'parcels2', '/components/schemas/ParcelCreation')
  const country = (q: URLSearchParams) => q.get('country_code')
  const byRef = new Map<string, number>()
  const stats = { reads: 0, writes: 0, tooMany: 0, webhooksSent: 0 }
  const reads: number[] = []
  const writes: number[] = []
  let nextId = 4_000_000
  let base = '' // the server's own URL, for label links
  for (const f of opts.parcels ?? []) {
    const id = ++nextId
    const at = clock.now() - (f.ageMs ?? 0)
    const body = {
      name: f.name,
      address: '',
      city: f.city,
      postal_code: f.postalCode,
      country: f.country,
      to_service_point: f.servicePointId,
      request_label: true
    }
    parcels.set(id, {
      id,
      body,
      trackingNumber: f.trackingNumber,
      carrier: f.carrier,
      statusId: f.statusId,
      createdAt: at,
      history: [{ statusId: f.statusId, at }]
    })
  }

  const authOk = (req: SimRequest): boolean => {
    const m = /^Basic (.+)$/.exec(String(req.headers.authorization ?? ''))
    if (!m) return false
    const [u, p] = Buffer.from(m[1]!, 'base64').toString('utf8').split(':')
    return opts.keys.some((k) => k.publicKey === u && k.secretKey === p)
  }

  /** Sliding windows on the sim clock; a refused call is not counted. */
  function limited(req: SimRequest): SimReply | null {
    const now = clock.now()
    const write = req.method !== 'GET'
    const log = write ? writes : reads
    while (log.length && log[0]! <= now - 60_000) log.shift()
    const perMin = write ? SC_LIMITS.writesPerMinute : SC_LIMITS.readsPerMinute
    const lastSecond = write ? log.filter((t) => t > now - 1000).length : 0
    if (log.length >= perMin || (write && lastSecond >= SC_LIMITS.writesPerSecond)) {
      stats.tooMany++
      const retry = log.length >= perMin ? Math.ceil((log[0]! + 60_000 - now) / 1000) : 1
      return {
        status: 429,
        body: { error: { code: 429, message: 'Request was throttled.', request: req.path.replace(/^\//, '') } },
        headers: { 'retry-after': String(Math.max(1, retry)) }
      }
    }
    log.push(now)
    if (write) stats.writes++
    else stats.reads++
    return null
  }

  function geocode(q: URLSearchParams): { lat: number; lon: number } | null | undefined {
    const lat = q.get('latitude')
    const lon = q.get('longitude')
    if (lat && lon) return { lat: Number(lat), lon: Number(lon) }
    const text = (q.get('address_postal_code') ?? q.get('address') ?? q.get('address_city') ?? '').trim().toLowerCase()
    if (!text) return undefined
    const country = q.get('country_code')
    const hit = SC_PLACES.find(
      (p) =>
        p.country === country &&
        (text.startsWith(p.postalCode.toLowerCase()) ||
          text.includes(p.city.toLowerCase()) ||
          text.replace(/\s/g, '').startsWith(p.postalCode))
    )
    return hit ? { lat: hit.lat, lon: hit.lon } : null
  }

  function searchPoints(req: SimRequest): SimReply {
    const q = req.query
    const bad = checkSearch(q)
    if (bad.length) return v3Problems(bad)
    // The prose rules of the same operation, which a schema cannot say.
    const modes = [
      q.has('address'),
      ['address_street', 'address_house_number', 'address_postal_code', 'address_city'].some((k) => q.has(k)),
      q.has('latitude') || q.has('longitude')
    ].filter(Boolean).length
    if (modes > 1)
      return v3Errors(400, 'invalid', 'address, the address_* parameters and latitude/longitude are mutually exclusive', 'address')
    if (q.has('latitude') !== q.has('longitude')) return v3Errors(400, 'invalid', 'latitude and longitude go together', 'latitude')
    if (q.has('address_house_number') && !q.has('address_street') && !q.has('address_postal_code'))
      return v3Errors(400, 'invalid', 'address_house_number needs address_street or address_postal_code', 'address_house_number')
    const box = ['ne_latitude', 'ne_longitude', 'sw_latitude', 'sw_longitude'].filter((k) => q.has(k))
    if (box.length && q.has('radius')) return v3Errors(400, 'invalid', 'radius and the bounding box are mutually exclusive', 'radius')
    if (box.length && box.length < 4) return v3Errors(400, 'invalid', 'All four bounding box parameters are required', 'ne_latitude')
    const carriers = q.getAll('carrier_code')
    const useIntegration = q.get('use_integration_carriers') === 'true'
    if (carriers.length > 0 === useIntegration)
      return v3Errors(400, 'invalid', 'Provide exactly one of carrier_code or use_integration_carriers=true', 'carrier_code')
    if (useIntegration && !integration.servicePointEnabled)
      return v3Errors(
        400,
        'service_points_disabled',
        'Service point delivery is not enabled for this integration',
        'use_integration_carriers'
      )
    const enabled = useIntegration ? integration.carriers : carriers
    const off = carriers.filter((c) => !integration.carriers.includes(c))
    if (off.length) return v3Errors(400, 'invalid', `Carrier(s) not enabled: ${off.join(',')}`, 'carrier_code')
    const radius = q.get('radius') ? Number(q.get('radius')) : Infinity
    const from = geocode(q)
    // An address it cannot place: no points, and geocoding says not_found (the OpenAPI's shape).
    if (from === null)
      return { status: 200, body: { data: { results: [], geocoding: { status: 'not_found', precision: null, formatted_address: null } } } }
    const types = q.getAll('general_shop_type')
    const ids = q.getAll('carrier_service_point_id')
    const n = (k: string) => Number(q.get(k))
    const inBox = (p: ScPointFixture) =>
      !box.length || (p.lat <= n('ne_latitude') && p.lat >= n('sw_latitude') && p.lon <= n('ne_longitude') && p.lon >= n('sw_longitude'))
    const limit = Number(q.get('limit') ?? 100) // the spec's default; its maximum (200) is checked above
    const results = points
      .filter(
        (p) =>
          p.country === country(q) &&
          enabled.includes(p.carrier) &&
          (!types.length || types.includes(p.generalShopType)) &&
          (!ids.length || ids.includes(p.carrierPointId)) &&
          inBox(p)
      )
      .map((p) => ({ p, d: from ? distanceMetres(from, p) : null }))
      .filter((x) => x.d === null || x.d <= radius)
      .sort((a, b) => (a.d ?? 0) - (b.d ?? 0))
      .slice(0, limit)
      .map((x) => pointJson(x.p, clock.now(), from ?? null))
    const addressGiven = !q.get('latitude') && from
    const geo = addressGiven
      ? {
          status: 'matched',
          precision: q.get('address_postal_code') ? 'postal_code' : 'city',
          formatted_address: q.get('address_postal_code') ?? q.get('address') ?? q.get('address_city') ?? null
        }
      : null
    return { status: 200, body: { data: { results, geocoding: geo } } }
  }

  function parcelJson(p: SimParcel): Record<string, unknown> {
    const b = p.body
    const method = SC_METHODS.find((m) => m.id === (b.shipment as { id?: number } | undefined)?.id)
    return {
      id: p.id,
      name: b.name,
      company_name: b.company_name ?? '',
      address: b.address,
      address_2: b.address_2 ?? '',
      address_divided: { street: b.address, house_number: String(b.house_number ?? '') },
      city: b.city,
      postal_code: b.postal_code,
      country: { iso_2: b.country, iso_3: '', name: String(b.country) },
      telephone: b.telephone ?? '',
      email: b.email ?? '',
      date_created: new Date(p.createdAt).toISOString(),
      tracking_number: p.trackingNumber,
      tracking_url: `https://tracking.sendcloud.sc/forward?carrier=${p.carrier}&code=${p.trackingNumber}`,
      weight: String(b.weight ?? '1.000'),
      label: {
        normal_printer: [0, 1, 2, 3].map((i) => `${base}/api/v2/labels/normal_printer/${p.id}?start_from=${i}`),
        label_printer: `${base}/api/v2/labels/label_printer/${p.id}`
      },
      documents: [{ type: 'label', size: 'a6', link: `${base}/api/v2/parcels/${p.id}/documents/label` }],
      status: { id: p.statusId, message: SC_STATUS_MESSAGES.get(p.statusId) ?? 'Unknown' },
      to_service_point: String(b.to_service_point),
      carrier: { code: p.carrier },
      shipment: { id: method?.id ?? 0, name: method?.name ?? '' },
      order_number: String(b.order_number ?? ''),
      external_reference: b.external_reference ?? null,
      reference: String(b.reference ?? '0'),
      colli_uuid: `c0ffee00-0000-4000-8000-${pad(p.id, 12)}`,
      collo_nr: 0,
      collo_count: 1,
      is_return: false,
      type: 'parcel',
      data: {},
      errors: {}
    }
  }

  function createParcel(req: SimRequest): SimReply {
    const f = req.form as { parcel?: Record<string, unknown>; parcels?: unknown; __malformed?: boolean }
    if (f.__malformed || !f.parcel || typeof f.parcel !== 'object') return v2Error(400, 'parcel: This field is required.', req.path)
    const b = f.parcel
    const missing = ['name', 'address', 'city', 'postal_code', 'country'].filter((k) => !b[k])
    if (missing.length) return v2Error(400, missing.map((k) => `${k}: This field is required.`).join(' '), req.path)
    const bad = checkParcel(b)
    if (bad.length) return v2Error(400, bad.map((x) => `${x.where}: ${x.detail}`).join(' '), req.path)
    const ref = b.external_reference ? String(b.external_reference) : null
    if (ref && byRef.has(ref))
      return v2Error(400, `external_reference: A parcel with external_reference "${ref}" already exists.`, req.path)
    const spId = Number(b.to_service_point)
    const point = points.find((p) => p.id === spId)
    if (!b.to_service_point || !point)
      return v2Error(400, `to_service_point: Service point ${String(b.to_service_point ?? '')} does not exist.`, req.path)
    if (!integration.carriers.includes(point.carrier))
      return v2Error(400, `to_service_point: carrier ${point.carrier} is not enabled.`, req.path)
    if (point.generalShopType === 'locker' && !b.to_post_number)
      return v2Error(400, 'to_post_number: This field is required for lockers.', req.path)
    const methodId = (b.shipment as { id?: number } | undefined)?.id
    const method = SC_METHODS.find((m) => m.id === methodId)
    if (methodId !== undefined && (!method || !method.servicePoint || method.carrier !== point.carrier))
      return v2Error(400, `shipment: Shipping method ${String(methodId)} does not deliver to ${point.carrier} service points.`, req.path)
    const id = ++nextId
    const trackingNumber = `3S${point.carrier.slice(0, 4).toUpperCase()}${pad(id, 10)}`
    const now = clock.now()
    const statusId = b.request_label ? 1000 : 999
    const p: SimParcel = { id, body: b, trackingNumber, carrier: point.carrier, statusId, createdAt: now, history: [{ statusId, at: now }] }
    parcels.set(id, p)
    if (ref) byRef.set(ref, id)
    return { status: 200, body: { parcel: parcelJson(p) } }
  }

  function labelLines(p: SimParcel): string[] {
    const b = p.body
    return [
      `Sendcloud ${p.carrier}`,
      String(b.name),
      `Service point ${String(b.to_service_point)}`,
      `${String(b.postal_code)} ${String(b.city)}`,
      p.trackingNumber
    ]
  }

  function document(req: SimRequest, p: SimParcel): SimReply {
    const accept = String(req.headers.accept ?? 'application/pdf')
    const dpi = Number(req.query.get('dpi') ?? 72)
    if (![72, 150, 203, 300, 600].includes(dpi)) return v2Error(400, 'dpi: must be one of 72, 150, 203, 300, 600', req.path)
    const lines = labelLines(p)
    if (accept.includes('application/zpl')) {
      const zpl = `^XA\n^CI28\n${lines.map((l, i) => `^FO30,${30 + i * 30}^A0N,24,24^FD${l.replace(/[\^~]/g, ' ')}^FS`).join('\n')}\n^FO30,200^BY${dpi >= 300 ? 3 : 2}^BCN,120,Y,N,N^FD${p.trackingNumber}^FS\n^XZ\n`
      return { status: 200, body: null, raw: { contentType: 'application/zpl', data: Buffer.from(zpl, 'utf8') } }
    }
    if (accept.includes('application/pdf') || accept.includes('*/*'))
      return { status: 200, body: null, raw: { contentType: 'application/pdf', data: minimalPdf(lines) } }
    return v2Error(406, `Accept ${accept} is not supported`, req.path)
  }

  function webhookFor(parcelId: number): { body: string; signature: string } {
    const p = parcels.get(parcelId)
    if (!p) throw new Error(`no parcel ${parcelId}`)
    const last = p.history[p.history.length - 1]!
    const parcel = parcelJson(p)
    // The webhook documents house_number as an integer where the parcels API has a string.
    const hn = Number.parseInt(String(p.body.house_number ?? ''), 10)
    parcel.address_divided = { street: p.body.address, ...(Number.isFinite(hn) ? { house_number: hn } : {}) }
    const body = JSON.stringify({
      action: 'parcel_status_changed',
      timestamp: clock.now(),
      carrier_status_change_timestamp: last.at,
      parcel
    })
    return { body, signature: createHmac('sha256', integration.webhookSecret).update(body).digest('hex') }
  }

  async function setStatus(parcelId: number, statusId: number): Promise<void> {
    const p = parcels.get(parcelId)
    if (!p) throw new Error(`no parcel ${parcelId}`)
    p.statusId = statusId
    p.history.push({ statusId, at: clock.now() })
    if (integration.webhookUrl) {
      const { body, signature } = webhookFor(parcelId)
      const res = await undici().request(integration.webhookUrl, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'sendcloud-signature': signature }
      })
      await res.body.dump()
      stats.webhooksSent++
    }
  }

  const sim = await startSimServer({
    clock,
    port: opts.port,
    name: 'sendcloud',
    handler: (req) => {
      const path = req.path.replace(/\/+$/, '')
      if (!authOk(req)) {
        return path.startsWith('/api/v3')
          ? v3Errors(401, 'authentication_failed', 'Invalid authentication credentials')
          : v2Error(401, 'Invalid username/password.', path)
      }
      const limit = limited(req)
      if (limit) return limit
      if (req.method === 'GET' && path === '/api/v3/service-points') return searchPoints(req)
      let m = /^\/api\/v3\/service-points\/([^/]+)(\/check-availability)?$/.exec(path)
      if (m) {
        const p = points.find((x) => String(x.id) === m![1])
        if (!p) return v3Errors(404, 'not_found', 'Service point not found')
        if (m[2] && req.method === 'POST') return { status: 200, body: { data: { is_available: !p.unavailable } } }
        if (!m[2] && req.method === 'GET') return { status: 200, body: { data: pointJson(p, clock.now(), undefined) } }
        return v3Errors(405, 'method_not_allowed', 'Method not allowed')
      }
      if (path === '/api/v2/parcels' && req.method === 'POST') return createParcel(req)
      if (path === '/api/v2/parcels' && req.method === 'GET') {
        const bad = checkParcelsQuery(req.query)
        if (bad.length) return v2Error(400, bad.map((x) => x.detail).join(' '), path)
        const tn = req.query.get('tracking_number')
        const ref = req.query.get('external_reference')
        const hits = [...parcels.values()].filter((p) => (!tn || p.trackingNumber === tn) && (!ref || p.body.external_reference === ref))
        // The 200 schema has minItems 1: no match is the documented 404 error object.
        if (!hits.length) return v2Error(404, 'No Parcel matches the given query.', path)
        return { status: 200, body: { parcels: hits.map(parcelJson), next: null, previous: null } }
      }
      // The links a parcel's `label` object carries (labels API): each a PDF.
      m = /^\/api\/v2\/labels\/(normal_printer|label_printer)\/(\d+)$/.exec(path)
      if (m && req.method === 'GET') {
        const p = parcels.get(Number(m[2]))
        if (!p || p.statusId === 999) return v2Error(404, 'No label found for this parcel.', path)
        return { status: 200, body: null, raw: { contentType: 'application/pdf', data: minimalPdf(labelLines(p)) } }
      }
      m = /^\/api\/v2\/parcels\/(\d+)(\/documents\/(\w[\w-]*))?$/.exec(path)
      if (m && req.method === 'GET') {
        const p = parcels.get(Number(m[1]))
        if (!p) return v2Error(404, 'No Parcel matches the given query.', path)
        if (!m[2]) return { status: 200, body: { parcel: parcelJson(p) } }
        if (m[3] !== 'label') return v2Error(404, `No ${m[3]} document for this parcel.`, path)
        if (p.statusId === 999) return v2Error(404, 'No label: the parcel was created without request_label.', path)
        return document(req, p)
      }
      m = /^\/api\/v2\/labels\/(\d+)$/.exec(path)
      if (m && req.method === 'GET') {
        const p = parcels.get(Number(m[1]))
        if (!p || p.statusId === 999) return v2Error(404, 'No label found for this parcel.', path)
        return { status: 200, body: { label: parcelJson(p).label, customs_declaration: {} } }
      }
      if (path === '/api/v2/integrations' && req.method === 'GET') {
        return {
          status: 200,
          body: [
            {
              id: 1,
              shop_name: 'Guichet API',
              shop_url: 'https://guichet.example',
              system: 'api',
              service_point_enabled: integration.servicePointEnabled,
              service_point_carriers: integration.carriers,
              webhook_active: !!integration.webhookUrl,
              webhook_url: integration.webhookUrl,
              last_fetch: new Date(clock.now()).toISOString(),
              last_updated_at: new Date(clock.now()).toISOString()
            }
          ]
        }
      }
      return v2Error(404, 'Not found.', path)
    }
  })
  base = sim.url
  return Object.assign(sim, {
    parcels,
    stats,
    setStatus,
    webhookFor,
    configure: (patch: NonNullable<SendcloudSimOptions['integration']>) => void Object.assign(integration, patch)
  })
}
