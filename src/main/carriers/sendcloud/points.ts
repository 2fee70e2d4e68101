// Sendcloud service points through v3 (sendcloud-v3-service-points.openapi.yml): search around one
// reference point, one point, availability; read into the app's PickupPoint.
import { CARRIER_NAMES } from '../../../shared/domain'
import { openingFlags, WEEKDAYS, type OpeningTimes, type PickupPoint, type PointKind } from '../../../shared/points'
import type { HttpClient, HttpRequest } from '../http/client'
import { CarrierError, type CarrierAccount, type PointQuery } from '../types'

const NAME = CARRIER_NAMES.sendcloud

interface V3Point {
  id: number
  name: string
  carrier: { code: string; name?: string }
  carrier_service_point_id: string
  general_shop_type: string | null
  address: { street: string; house_number: string; postal_code: string; city: string; country_code: string }
  position: { latitude: number; longitude: number }
  opening_times: Record<string, Array<{ start_time: string; end_time: string }> | null>
  is_open_tomorrow?: boolean
  distance?: number | null
}

const SHOP_TYPES: Record<string, PointKind> = {
  locker: 'locker',
  post_office: 'post_office',
  servicepoint: 'counter',
  carrier_depot: 'counter'
}

function toOpeningTimes(o: V3Point['opening_times'] | undefined): OpeningTimes | null {
  if (!o || typeof o !== 'object') return null
  const out = {} as OpeningTimes
  for (const d of WEEKDAYS) out[d] = (o[d] ?? []).map((s) => ({ from: s.start_time, to: s.end_time }))
  return out
}

interface SendcloudPoints {
  searchPoints(q: PointQuery): Promise<PickupPoint[]>
  getPoint(id: string): Promise<PickupPoint | null>
  checkAvailability(id: string): Promise<boolean>
}

/** What the point calls share with the adapter: the judging call and the read / write budgets. */
interface SendcloudTransport {
  call<T>(req: HttpRequest, http?: HttpClient): Promise<T>
  reads: HttpClient
  writes: HttpClient
}

export function sendcloudPoints(
  account: Pick<CarrierAccount, 'alias' | 'options'>,
  { call, reads, writes }: SendcloudTransport,
  now: () => number
): SendcloudPoints {
  function toPoint(p: V3Point): PickupPoint {
    const times = toOpeningTimes(p.opening_times)
    const flags = openingFlags(times, now())
    return {
      id: String(p.id),
      carrier: 'sendcloud',
      account: account.alias,
      name: p.name,
      type: SHOP_TYPES[p.general_shop_type ?? ''] ?? 'counter',
      street: p.address?.street ?? null,
      houseNo: p.address?.house_number || null,
      zip: p.address?.postal_code ?? null,
      city: p.address?.city ?? '',
      country: p.address?.country_code ?? '',
      lat: Number.isFinite(p.position?.latitude) ? p.position.latitude : null,
      lon: Number.isFinite(p.position?.longitude) ? p.position.longitude : null,
      openingTimes: times,
      openTomorrow: typeof p.is_open_tomorrow === 'boolean' ? p.is_open_tomorrow : flags.openTomorrow,
      openThisWeek: flags.openThisWeek,
      distanceM: typeof p.distance === 'number' ? p.distance : null,
      services: [],
      carrierPointCode: `${p.carrier?.code ?? ''}:${p.carrier_service_point_id}`
    }
  }

  return {
    async searchPoints(q) {
      if (!/^[A-Za-z]{2}$/.test(q.country ?? ''))
        throw new CarrierError('invalid_input', 'The country must be a 2-letter ISO code', { field: 'country' })
      if (!q.postalCode && !q.city && !q.address && !q.position)
        throw new CarrierError('invalid_input', 'Give a postal code, a city, an address or a position', { field: 'postalCode' })
      const carriers = Array.isArray(account.options?.servicePointCarriers) ? (account.options.servicePointCarriers as string[]) : []
      // The OpenAPI: arrays go as the plain name repeated (form, explode), and a reference point is
      // given one way only (coordinates, a free-text address, or the structured address_* set).
      const reference: HttpRequest['query'] = q.position
        ? { latitude: q.position.lat, longitude: q.position.lon }
        : q.address
          ? { address: q.address }
          : { address_postal_code: q.postalCode, address_city: q.city }
      const query: HttpRequest['query'] = {
        country_code: q.country.toUpperCase(),
        ...(carriers.length ? { carrier_code: carriers } : { use_integration_carriers: 'true' }),
        ...reference,
        radius: q.radiusM ? Math.min(Math.max(Math.round(q.radiusM), 100), 50_000) : undefined,
        limit: q.limit ? Math.min(Math.max(Math.round(q.limit), 1), 200) : undefined
      }
      const wanted = (q.types ?? []).flatMap((t) => (t === 'counter' ? ['servicepoint'] : t === 'stop_desk' ? [] : [t]))
      if (wanted.length) query.general_shop_type = wanted
      // A 503 here is the geocoder being briefly down (v3 docs): the HTTP core retries it.
      const body = await call<{ data?: { results?: V3Point[] } }>({
        method: 'GET',
        path: '/api/v3/service-points',
        query,
        subject: q.postalCode ?? q.city ?? q.address
      })
      const rows = body?.data?.results
      const geo = (body?.data as { geocoding?: { status?: string } | null } | undefined)?.geocoding
      if (geo?.status === 'not_found')
        throw reads.error('not_found', `${NAME} could not place this address on the map`, {
          method: 'GET',
          path: '/api/v3/service-points',
          subject: q.postalCode ?? q.city ?? q.address
        })
      if (!Array.isArray(rows)) throw reads.error('carrier_error', `${NAME} service point answer has no results`)
      return rows.map(toPoint)
    },

    async getPoint(id) {
      try {
        const body = await call<{ data?: V3Point }>({
          method: 'GET',
          path: `/api/v3/service-points/${encodeURIComponent(id)}`,
          subject: id
        })
        return body?.data ? toPoint(body.data) : null
      } catch (e) {
        if (e instanceof CarrierError && e.code === 'not_found') return null
        throw e
      }
    },

    async checkAvailability(id) {
      // A read despite the POST: safe to repeat, and counted by Sendcloud as unsafe, so on the write budget.
      const body = await call<{ data?: { is_available?: boolean } }>(
        { method: 'POST', path: `/api/v3/service-points/${encodeURIComponent(id)}/check-availability`, safe: true, subject: id },
        writes
      )
      return body?.data?.is_available === true
    }
  }
}
