// The Swiss Post simulator: OAuth2 client credentials with 60-second tokens, the places.post.ch
// location search (Geocode, Find, Poi as XML), the PickPost / My Post 24 user-ID call as Swiss
// Post's DCAPI reference documents it (§7: POST /api/pickpost/v1/users, get-or-create, scope
// WEDEC_PICKPOST, answer {id, verified}; SWISSPOST-DCAPI.md) and
// generateAddressLabel (one item per call, business errors with HTTP 200 in item.errors, a bare
// 400 for customer fields the API rejects). Time is the test's clock.
import type { Clock } from '../../../platform/clock'
import { startSimServer, type SimReply, type SimRequest, type SimServer } from '../../sim/server'
import { SP_CUSTOMERS, SP_FRANKING_LICENSE, SP_PLACES, SP_POIS, type SpCustomerFixture, type SpPoiFixture } from './fixtures'
import type { CustomerStatus } from '../../../../shared/points'
import { minimalPdf } from '../../sim/pdf'
import { specValidator } from '../../sim/openapi'
import barcodeSchema from './spec/swisspost-dcapi-barcode-v1.schema.json'

// Compiled at the first label request, not when the demo's simulators load.
const labelValidator = specValidator(barcodeSchema, 'sp-barcode', '/$defs/GenerateLabel')

export const SP_PATHS = {
  token: '/OAuth/token',
  geocode: '/StandortSuche/StaoCacheServiceV2/api/v1/Geocode',
  find: '/StandortSuche/StaoCacheServiceV2/api/v1/Find',
  poi: '/StandortSuche/StaoCacheServiceV2/api/v1/Poi',
  /** DCAPI reference §2.1/§7: base https://wedec.post.ch/api/pickpost/v1, operation POST /users. */
  userId: '/api/pickpost/v1/users',
  label: '/barcode/v1/generateAddressLabel'
} as const

/** Every Swiss Post host option pointed at one simulator (tests, demo): the sim serves all of them. */
export function swissPostSimHosts(url: string): Record<'tokenUrl' | 'barcodeUrl' | 'placesUrl' | 'userIdUrl', string> {
  return {
    tokenUrl: url + SP_PATHS.token,
    barcodeUrl: url + '/barcode/v1',
    placesUrl: url + '/StandortSuche/StaoCacheServiceV2/api/v1',
    userIdUrl: url + '/api/pickpost/v1'
  }
}

const SP_TOKEN_TTL_S = 60
const SP_LAYOUTS = ['A5', 'A6', 'A7', 'FE'] as const
const SP_FILE_TYPES = ['PDF', 'sPDF', 'PNG', 'GIF', 'JPG', 'EPS', 'ZPL2'] as const

interface SwissPostSimOptions {
  clock: Clock
  port?: number
  clients: Array<{ id: string; secret: string }>
  pois?: readonly SpPoiFixture[]
  customers?: readonly SpCustomerFixture[]
  frankingLicenses?: string[]
}

export interface SwissPostSim extends SimServer {
  stats: { tokensIssued: number; userIdLookups: number; labels: number }
  /** Labels generated, by identCode: what the simulator printed (for assertions). */
  labels: Map<string, { request: Record<string, unknown>; fileType: string }>
}

const pad = (n: number, w: number) => String(n).padStart(w, '0')
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']

function poiXml(p: SpPoiFixture, lang: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;')
  // One OpeningHours block per distinct time slice, with the weekdays it applies to.
  const groups = new Map<string, number[]>()
  p.hours.forEach((h, i) => {
    if (!h) return
    const k = `${h[0]}-${h[1]}`
    groups.set(k, [...(groups.get(k) ?? []), i])
  })
  const blocks = [...groups.entries()]
    .map(([k, days]) => {
      const [from, until] = k.split('-')
      const flags = DAYS.map((d, i) => `<${d}>${days.includes(i)}</${d}>`).join('')
      return `<OpeningHours>${flags}<Timeslice><TimeFrom>${from}</TimeFrom><TimeUntil>${until}</TimeUntil></Timeslice></OpeningHours>`
    })
    .join('')
  return (
    `<?xml version="1.0" encoding="utf-8"?><POI Id="${esc(p.id)}" POITypeId="${p.typeTag}">` +
    `<Description lang="${esc(lang)}">${esc(p.name)}</Description>` +
    `<Address><Street>${esc(p.street)}</Street><Zip>${p.zip}</Zip><City>${esc(p.city)}</City><KantonCode>${p.kanton}</KantonCode></Address>` +
    `<GeoLocation><CoordinateLat>${p.lat}</CoordinateLat><CoordinateLng>${p.lon}</CoordinateLng></GeoLocation>` +
    `<Contact><Phone>+41 848 888 888</Phone><EMail>info@post.ch</EMail></Contact>` +
    `<Counter><OpeningPeriods>${blocks}</OpeningPeriods></Counter></POI>`
  )
}

const labelPdf = (lines: string[]): Buffer => minimalPdf(lines)

function labelZpl(lines: string[], identCode: string): Buffer {
  const fd = (s: string) => s.replace(/[\^~]/g, ' ')
  const text = lines.map((l, i) => `^FO40,${40 + i * 36}^A0N,28,28^FD${fd(l)}^FS`).join('\n')
  return Buffer.from(`^XA\n^CI28\n${text}\n^FO40,${80 + lines.length * 36}^BY3^BCN,160,Y,N,N^FD${identCode}^FS\n^XZ\n`, 'utf8')
}

const itemError = (request: Record<string, unknown>, errors: Array<{ code: string; message: string }>): SimReply => ({
  status: 200,
  body: {
    labelDefinition: request.labelDefinition ?? null,
    item: { itemID: (request.item as { itemID?: string } | undefined)?.itemID ?? null, errors, warnings: [] }
  }
})

export async function startSwissPostSimulator(opts: SwissPostSimOptions): Promise<SwissPostSim> {
  const { clock } = opts
  const pois = opts.pois ?? SP_POIS
  const customers = new Map((opts.customers ?? SP_CUSTOMERS).map((c) => [c.email.toLowerCase(), { ...c }]))
  const licenses = new Set(opts.frankingLicenses ?? [SP_FRANKING_LICENSE])
  const tokens = new Map<string, { expiresAt: number; scope: string }>()
  const userIds = new Map<string, { userId: string; status: CustomerStatus }>()
  const stats = { tokensIssued: 0, userIdLookups: 0, labels: 0 }
  const labels: SwissPostSim['labels'] = new Map()
  let seq = 0

  const bearer = (req: SimRequest): boolean => {
    const m = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))
    const t = m ? tokens.get(m[1]!) : undefined
    return !!t && t.expiresAt > clock.now()
  }
  const unauthorized: SimReply = {
    status: 401,
    body: { error: 'invalid_token', error_description: 'The access token is missing, invalid or expired' },
    headers: { 'www-authenticate': 'Bearer error="invalid_token"' }
  }

  function token(req: SimRequest): SimReply {
    const f = req.form as Record<string, string>
    let id = f.client_id
    let secret = f.client_secret
    const basic = /^Basic (.+)$/.exec(String(req.headers.authorization ?? ''))
    if (basic) [id, secret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':') as [string, string]
    if (f.grant_type !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type' } }
    if (!opts.clients.some((c) => c.id === id && c.secret === secret))
      return { status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed' } }
    const t = `sp-at-${++seq}-${Math.random().toString(36).slice(2, 12)}`
    tokens.set(t, { expiresAt: clock.now() + SP_TOKEN_TTL_S * 1000, scope: f.scope ?? '' })
    stats.tokensIssued++
    return { status: 200, body: { access_token: t, token_type: 'Bearer', expires_in: SP_TOKEN_TTL_S, scope: f.scope ?? '' } }
  }

  function geocode(req: SimRequest): SimReply {
    const q = (req.query.get('query') ?? '').trim().toLowerCase()
    if (!q) return { status: 200, body: { ok: false, message: 'query missing', locations: [] } }
    const limit = Number(req.query.get('limit') ?? 10)
    const hits = SP_PLACES.filter(
      (p) => p.zip === q || p.name.toLowerCase() === q || `${p.zip} ${p.name}`.toLowerCase() === q || q.includes(p.zip)
    )
    return {
      status: 200,
      body: {
        ok: true,
        locations: hits.slice(0, limit).map((p) => ({ id: p.id, name: `${p.zip} ${p.name}`, type: 'city', subtype: 'zip', pt: p.pt }))
      }
    }
  }

  function find(req: SimRequest): SimReply {
    const extent = (req.query.get('extent') ?? '').split(',').map(Number)
    if (extent.length !== 4 || extent.some((n) => !Number.isFinite(n)))
      return { status: 400, body: { ok: false, message: 'extent must be minLon,minLat,maxLon,maxLat' } }
    const [minLon, minLat, maxLon, maxLat] = extent as [number, number, number, number]
    const tags = (req.query.get('query') ?? '').split(',').filter(Boolean)
    const max = Number(req.query.get('maxpois') ?? 50)
    const inBox = pois.filter((p) => p.lon >= minLon && p.lon <= maxLon && p.lat >= minLat && p.lat <= maxLat)
    if (tags.length === 0) {
      // Without type tags the service answers municipality aggregates, not points.
      const towns = new Map<string, number>()
      for (const p of inBox) towns.set(p.city, (towns.get(p.city) ?? 0) + 1)
      return {
        status: 200,
        body: { ok: true, pois: [...towns].map(([city, n]) => ({ id: `agg-${city}`, name: city, type: 'aggregate', count: n })) }
      }
    }
    const hits = inBox.filter((p) => tags.includes(p.typeTag)).slice(0, max)
    return {
      status: 200,
      body: {
        ok: true,
        pois: hits.map((p) => ({
          id: p.id,
          name: p.name,
          type: p.typeTag,
          x: p.lon,
          y: p.lat,
          info: { Street: p.street, Zip: p.zip, City: p.city, AdditionalDescription: p.typeTag === 'T6' ? '24/7' : '', counters: [] }
        }))
      }
    }
  }

  function poi(req: SimRequest): SimReply {
    const p = pois.find((x) => x.id === req.query.get('id'))
    if (!p)
      return {
        status: 404,
        body: null,
        raw: { contentType: 'application/xml; charset=utf-8', data: Buffer.from('<?xml version="1.0"?><Error>POI not found</Error>') }
      }
    return {
      status: 200,
      body: null,
      raw: { contentType: 'application/xml; charset=utf-8', data: Buffer.from(poiXml(p, req.query.get('lang') ?? 'de'), 'utf8') }
    }
  }

  function userId(req: SimRequest): SimReply {
    const m = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))
    const t = m ? tokens.get(m[1]!) : undefined
    if (!t || t.expiresAt <= clock.now()) return unauthorized
    // The reference lists 200, 403 (not authorized) and 500: a token without the scope is a 403.
    if (!t.scope.split(/[\s+]+/).includes('WEDEC_PICKPOST'))
      return { status: 403, body: { error: 'insufficient_scope', error_description: 'scope WEDEC_PICKPOST required' } }
    const b = req.form as {
      userDetails?: Record<string, string>
      address?: { house?: Record<string, string>; zip?: Record<string, string> }
      notification?: Record<string, string>
      service?: string
    }
    // The reference gives a sample, no cardinality: the simulator requires what identifies a person
    // and refuses any value the sample does not show (its table has no 400, a strict server would).
    const errors: Array<{ field: string; error: string }> = []
    const u = b.userDetails ?? {}
    for (const f of ['firstName', 'lastName']) if (!u[f]) errors.push({ field: `userDetails.${f}`, error: 'required' })
    if (u.language && !['DE', 'FR', 'IT', 'EN'].includes(u.language))
      errors.push({ field: 'userDetails.language', error: 'DE, FR, IT or EN' })
    if (u.gender && !['MALE', 'FEMALE'].includes(u.gender)) errors.push({ field: 'userDetails.gender', error: 'MALE or FEMALE' })
    const zip = b.address?.zip ?? {}
    if (!zip.zip || !zip.city) errors.push({ field: 'address.zip', error: 'zip and city required' })
    const n = b.notification ?? {}
    if (n.notifyMode !== 'EMAIL' || !n.email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(n.email))
      errors.push({ field: 'notification', error: 'notifyMode EMAIL with an e-mail address' })
    if (b.service !== 'PICKPOST') errors.push({ field: 'service', error: 'PICKPOST' })
    for (const k of Object.keys(b))
      if (!['userDetails', 'address', 'notification', 'service'].includes(k)) errors.push({ field: k, error: 'unknown field' })
    if (errors.length) return { status: 400, body: errors }
    stats.userIdLookups++
    // Get-or-create (§7): a known person gets their ID, anyone else a new one, at once usable.
    const email = String(n.email).toLowerCase()
    let known = customers.get(email)
    if (!known) {
      known = { email, firstName: String(u.firstName), lastName: String(u.lastName), status: 'NONE' }
      customers.set(email, known)
    }
    let id = userIds.get(email)
    if (!id) {
      id = { userId: `PT${pad((11_227 + userIds.size * 7919) % 1_000_000, 6)}`, status: known.status }
      userIds.set(email, id)
    }
    return { status: 200, body: { id: id.userId, verified: id.status } }
  }

  function label(req: SimRequest): SimReply {
    if (!bearer(req)) return { status: 401, body: '' }
    const r = req.form as Record<string, unknown>
    if (r.__malformed) return { status: 400, body: '' }
    const customer = (r.customer ?? {}) as Record<string, unknown>
    // Observed: the customer object refuses these with a bare 400 (contract note §4.2).
    if (['houseNo', 'email', 'phone'].some((k) => k in customer)) return { status: 400, body: '' }
    if (Array.isArray(r.item) || 'items' in r) return { status: 400, body: '' }
    // The published schema (a verbatim copy in spec/): wire names, one item, closed request objects.
    const checkLabel = labelValidator()
    if (!checkLabel(r)) {
      const list = (checkLabel.errors ?? []).map((e) => ({
        field: e.instancePath.replace(/^\//, '').replace(/\//g, '.') || String(e.params?.additionalProperty ?? ''),
        error: e.message ?? 'invalid',
        ...(e.params && 'additionalProperty' in e.params ? { rejectedValue: String(e.params.additionalProperty) } : {})
      }))
      return { status: 400, body: list }
    }
    const def = (r.labelDefinition ?? {}) as Record<string, unknown>
    const item = (r.item ?? {}) as Record<string, unknown>
    const rec = (item.recipient ?? {}) as Record<string, unknown>
    const attrs = (item.attributes ?? {}) as Record<string, unknown>
    const errors: Array<{ code: string; message: string }> = []
    if (!licenses.has(String(r.frankingLicense ?? '')))
      errors.push({ code: 'E1000', message: 'Frankierlizenz ungültig / franking license invalid' })
    for (const f of ['name1', 'street', 'zip', 'city']) if (!customer[f]) errors.push({ code: 'E1001', message: `customer.${f} missing` })
    if (!SP_LAYOUTS.includes(def.labelLayout as (typeof SP_LAYOUTS)[number]))
      errors.push({ code: 'E2001', message: `labelLayout ${String(def.labelLayout)} unknown` })
    if (!SP_FILE_TYPES.includes(def.imageFileType as (typeof SP_FILE_TYPES)[number]))
      errors.push({ code: 'E2002', message: `imageFileType ${String(def.imageFileType)} unknown` })
    if (!item.itemID || !/^[0-9A-Za-z+_-]{1,35}$/.test(String(item.itemID)))
      errors.push({ code: 'E3000', message: 'itemID missing or invalid' })
    if (!rec.name1 || !rec.city) errors.push({ code: 'E3001', message: 'recipient name1 and city are required' })
    if (rec.zip != null && (rec.country ?? 'CH') === 'CH' && !/^\d{4}$/.test(String(rec.zip)))
      errors.push({ code: 'E3002', message: `recipient zip ${String(rec.zip)} is not a Swiss postal code` })
    if (!Array.isArray(attrs.przl) || attrs.przl.length === 0) errors.push({ code: 'E3003', message: 'attributes.przl is required' })
    if (errors.length) return itemError(r, errors)
    const warnings: Array<{ code: string; message: string }> = []
    const name2 = String(rec.name2 ?? '')
    if (/^(PickPost|My Post 24) /.test(name2) && !rec.street)
      warnings.push({ code: 'W3001', message: 'PickPost / My Post 24 parcel without the access point street' })
    stats.labels++
    const identCode = `99600132${pad(10_000_000 + stats.labels, 10)}`
    const lines = [
      String(rec.name1),
      name2,
      [rec.street, rec.houseNo].filter(Boolean).join(' '),
      `${String(rec.zip ?? '')} ${String(rec.city)}`,
      identCode
    ].filter((l) => l.trim())
    const type = String(def.imageFileType)
    const data = type === 'ZPL2' ? labelZpl(lines, identCode) : labelPdf(lines)
    labels.set(identCode, { request: r, fileType: type })
    return {
      status: 200,
      body: {
        labelDefinition: {
          ...def,
          imageFileType: type.toLowerCase(),
          imageResolution: def.imageResolution ?? 300,
          printPreview: def.printPreview ?? false,
          colorPrintRequired: false
        },
        item: { itemID: item.itemID, identCode, label: [data.toString('base64')], warnings }
      }
    }
  }

  const sim = await startSimServer({
    clock,
    port: opts.port,
    name: 'swisspost',
    handler: (req) => {
      if (req.method === 'POST' && req.path === SP_PATHS.token) return token(req)
      if (req.method === 'GET' && req.path === SP_PATHS.geocode) return geocode(req)
      if (req.method === 'GET' && req.path === SP_PATHS.find) return find(req)
      if (req.method === 'GET' && req.path === SP_PATHS.poi) return poi(req)
      if (req.method === 'POST' && req.path === SP_PATHS.userId) return userId(req)
      if (req.method === 'POST' && req.path === SP_PATHS.label) return label(req)
      return { status: 404, body: { message: 'Not found' } }
    }
  })
  return Object.assign(sim, { stats, labels })
}
