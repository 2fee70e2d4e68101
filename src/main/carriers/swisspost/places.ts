// Swiss Post location search on places.post.ch (an unofficial public backend, CONTRACTS §4.3):
// PickPost counters, post offices and My Post 24 lockers around a place, each with its weekly hours.
import { CARRIER_NAMES } from '../../../shared/domain'
import {
  distanceMetres,
  emptyOpeningTimes,
  openingFlags,
  WEEKDAYS,
  type OpeningTimes,
  type PickupPoint,
  type PointKind,
  type PointService
} from '../../../shared/points'
import type { HttpClient, HttpRequest } from '../http/client'
import { CarrierError, type PointQuery } from '../types'

/** The places.post.ch paths below its host (hosts.ts). */
const PLACES_PATHS = { geocode: '/Geocode', find: '/Find', poi: '/Poi' } as const

const NAME = CARRIER_NAMES.swisspost

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

interface SwissPostPlaces {
  searchPoints(q: PointQuery): Promise<PickupPoint[]>
  getPoint(id: string): Promise<PickupPoint | null>
}

/** Point search and details for one account, over its places host. */
export function swissPostPlaces(places: HttpClient, alias: string, now: () => number): SwissPostPlaces {
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
      path: PLACES_PATHS.geocode,
      query: { query: q.postalCode ?? text, lang: 'de', limit: 5 },
      subject: text
    })
    const pt = body.locations?.find((l) => Array.isArray(l.pt))?.pt
    return pt ? { lon: pt[0], lat: pt[1] } : null
  }

  async function details(id: string): Promise<{ times: OpeningTimes; xml: string } | null> {
    const req: HttpRequest = { method: 'GET', path: PLACES_PATHS.poi, query: { id, lang: 'de' }, subject: id }
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
      account: alias,
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
      ...openingFlags(times, now()),
      distanceM: from ? distanceMetres(from, p) : null,
      services: t.services
    }
  }

  return {
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
        path: PLACES_PATHS.find,
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
    }
  }
}
