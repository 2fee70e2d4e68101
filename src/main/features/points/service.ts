// The point search shared by every carrier with points: asks each account that can search (in
// parallel), merges and sorts by distance, and keeps every answer in SQLite so the list still works
// offline. Picking a point attaches it to a shipment. Carrier adapters do the talking; this file
// only merges, caches and picks.
// Table owner: `points`, `point_searches`, `shipment_points` (a shipment's point columns go through core/shipments/refs.ts).
import { ShipmentRefs } from '../../core/shipments/refs'
import type { Database } from 'better-sqlite3'
import type { DeliveryPoint } from '../../../shared/domain'
import { distanceMetres, openingFlags, pointAddressLine, pointKey, type PickupPoint, type PointKind } from '../../../shared/points'
import type { PointSearchError, PointSearchResult } from '../../../shared/contract/points'
import { GuichetError, type ErrorCode } from '../../../shared/result'
import type { CarrierAdapter, PointQuery } from '../../carriers/types'
import type { Clock } from '../../platform/clock'
import type { EventBus } from '../../platform/events'
import type { Logger } from '../../platform/logger'

export type KeyedPoint = PickupPoint & { key: string }

interface PointSearchInput {
  country: string
  postalCode?: string | undefined
  city?: string | undefined
  address?: string | undefined
  lat?: number | undefined
  lon?: number | undefined
  radiusM?: number | undefined
  carriers?: string[] | undefined
  types?: PointKind[] | undefined
  limit?: number | undefined
}

interface PointServiceDeps {
  db: Database
  clock: Clock
  logger: Logger
  events?: EventBus
  /** Every configured account's adapter; those with 'points_search' are asked. */
  adapters(): readonly CarrierAdapter[]
}

/** Lower case, no accents, single spaces: "Zürich " = "zurich". */
export const fold = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()

/** The cache key of a search: same place, radius, filters and carriers, same key. */
export function queryKey(q: PointSearchInput): string {
  const pos = q.lat !== undefined && q.lon !== undefined ? `${q.lat.toFixed(4)},${q.lon.toFixed(4)}` : ''
  return JSON.stringify([
    q.country.toUpperCase(),
    fold(q.postalCode ?? ''),
    fold(q.city ?? ''),
    fold(q.address ?? ''),
    pos,
    q.radiusM ?? 3000,
    [...(q.types ?? [])].sort(),
    [...(q.carriers ?? [])].sort()
  ])
}

const isOffline = (code: string) => code === 'offline' || code === 'timeout'

export class PointService {
  private readonly s
  private readonly shipments: ShipmentRefs
  constructor(private readonly d: PointServiceDeps) {
    const db = d.db
    this.shipments = new ShipmentRefs(db)
    this.s = {
      upsert:
        db.prepare(`INSERT INTO points (key, carrier, account, point_id, type, name, zip, city, city_fold, country, lat, lon, data, fetched_at)
        VALUES (@key, @carrier, @account, @point_id, @type, @name, @zip, @city, @city_fold, @country, @lat, @lon, @data, @fetched_at)
        ON CONFLICT(key) DO UPDATE SET type=excluded.type, name=excluded.name, zip=excluded.zip, city=excluded.city, city_fold=excluded.city_fold,
          country=excluded.country, lat=excluded.lat, lon=excluded.lon, data=excluded.data, fetched_at=excluded.fetched_at`),
      saveSearch: db.prepare(`INSERT INTO point_searches (query_key, point_keys, distances, errors, searched_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(query_key) DO UPDATE SET point_keys=excluded.point_keys, distances=excluded.distances, errors=excluded.errors, searched_at=excluded.searched_at`),
      search: db.prepare('SELECT point_keys, distances, searched_at FROM point_searches WHERE query_key = ?'),
      byKey: db.prepare('SELECT data, fetched_at FROM points WHERE key = ?'),
      byZip: db.prepare('SELECT data, fetched_at FROM points WHERE country = ? AND zip LIKE ? LIMIT 500'),
      byCity: db.prepare('SELECT data, fetched_at FROM points WHERE country = ? AND city_fold = ? LIMIT 500'),
      byBox: db.prepare('SELECT data, fetched_at FROM points WHERE country = ? AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ? LIMIT 2000'),
      attachFull: db.prepare(`INSERT INTO shipment_points (shipment_id, point_key, data, attached_at) VALUES (?, ?, ?, ?)
        ON CONFLICT(shipment_id) DO UPDATE SET point_key=excluded.point_key, data=excluded.data, attached_at=excluded.attached_at`),
      attached: db.prepare('SELECT data FROM shipment_points WHERE shipment_id = ?')
    }
  }

  private searchers(carriers?: string[]): CarrierAdapter[] {
    return this.d
      .adapters()
      .filter((a) => a.capabilities.has('points_search') && typeof a.searchPoints === 'function')
      .filter((a) => !carriers?.length || carriers.includes(a.carrier))
  }

  /** Opening flags depend on today: recomputed whenever a point is read back. */
  private fresh(p: PickupPoint): KeyedPoint {
    return { ...p, ...(p.openingTimes ? openingFlags(p.openingTimes, this.d.clock.now()) : {}), key: pointKey(p) }
  }

  private store(points: readonly PickupPoint[]): void {
    const now = this.d.clock.now()
    for (const p of points) {
      this.s.upsert.run({
        key: pointKey(p),
        carrier: p.carrier,
        account: p.account,
        point_id: p.id,
        type: p.type,
        name: p.name,
        zip: p.zip,
        city: p.city,
        city_fold: fold(p.city),
        country: p.country.toUpperCase(),
        lat: p.lat,
        lon: p.lon,
        // Distance belongs to a search, not to the point.
        data: JSON.stringify({ ...p, distanceM: null }),
        fetched_at: now
      })
    }
  }

  async search(q: PointSearchInput): Promise<PointSearchResult> {
    const position = q.lat !== undefined && q.lon !== undefined ? { lat: q.lat, lon: q.lon } : undefined
    if (!position && !q.postalCode && !q.city && !q.address)
      throw new GuichetError('invalid_input', 'Give a postal code, a city, an address or a position', { field: 'postalCode' })
    const limit = q.limit ?? 30
    const query: PointQuery = {
      country: q.country.toUpperCase(),
      ...(q.postalCode ? { postalCode: q.postalCode } : {}),
      ...(q.city ? { city: q.city } : {}),
      ...(q.address ? { address: q.address } : {}),
      ...(position ? { position } : {}),
      radiusM: q.radiusM ?? 3000,
      ...(q.types?.length ? { types: q.types } : {}),
      limit
    }
    const adapters = this.searchers(q.carriers)
    const settled = await Promise.allSettled(adapters.map((a) => a.searchPoints!(query)))
    const errors: PointSearchError[] = []
    const found: PickupPoint[] = []
    let answered = 0
    settled.forEach((r, i) => {
      const a = adapters[i]!
      if (r.status === 'fulfilled') {
        answered++
        found.push(...r.value)
      } else if (r.reason instanceof GuichetError && r.reason.code === 'not_found') {
        // "No such place here" from one carrier: simply no points of its own, not a failure.
        answered++
      } else {
        const e = r.reason as { code?: string; message?: string }
        const code = (e instanceof GuichetError ? e.code : 'carrier_error') as ErrorCode
        errors.push({
          carrier: a.carrier,
          account: a.account,
          code,
          message: e instanceof GuichetError ? e.message : 'The carrier could not be asked'
        })
        this.d.logger.warn('points.search_failed', { carrier: a.carrier, account: a.account, code })
      }
    })
    const key = queryKey(q)
    if (
      answered === 0 &&
      adapters.length > 0 &&
      errors.some((e) => isOffline(e.code) || e.code === 'rate_limited' || e.code === 'carrier_error')
    ) {
      return this.fromCache(q, key, errors, limit)
    }
    if (adapters.length === 0) return this.fromCache(q, key, [], limit)
    const points = this.rank(found, position, limit)
    this.d.db.transaction(() => {
      this.store(points)
      this.s.saveSearch.run(
        key,
        JSON.stringify(points.map((p) => p.key)),
        JSON.stringify(points.map((p) => p.distanceM)),
        errors.length ? JSON.stringify(errors) : null,
        this.d.clock.now()
      )
    })()
    return { points, source: 'live', cachedAt: null, errors }
  }

  private rank(points: readonly PickupPoint[], position: { lat: number; lon: number } | undefined, limit: number): KeyedPoint[] {
    const seen = new Set<string>()
    const out: KeyedPoint[] = []
    for (const p of points) {
      const k = pointKey(p)
      if (seen.has(k)) continue
      seen.add(k)
      const distanceM =
        p.distanceM ?? (position && p.lat !== null && p.lon !== null ? distanceMetres(position, { lat: p.lat, lon: p.lon }) : null)
      out.push({ ...p, distanceM, key: k })
    }
    // Nearest first; points without a distance after, by name.
    out.sort((a, b) => (a.distanceM ?? Infinity) - (b.distanceM ?? Infinity) || a.name.localeCompare(b.name))
    return out.slice(0, limit)
  }

  /** The last results for the same search, else the cached points that fit the place. */
  private fromCache(q: PointSearchInput, key: string, errors: PointSearchError[], limit: number): PointSearchResult {
    const hit = this.s.search.get(key) as { point_keys: string; distances: string; searched_at: number } | undefined
    if (hit) {
      const keys = JSON.parse(hit.point_keys) as string[]
      const dists = JSON.parse(hit.distances) as Array<number | null>
      const points: KeyedPoint[] = []
      keys.forEach((k, i) => {
        const row = this.s.byKey.get(k) as { data: string } | undefined
        if (row) points.push({ ...this.fresh(JSON.parse(row.data) as PickupPoint), distanceM: dists[i] ?? null })
      })
      return { points: points.slice(0, limit), source: 'cache', cachedAt: new Date(hit.searched_at).toISOString(), errors }
    }
    const country = q.country.toUpperCase()
    let rows: Array<{ data: string; fetched_at: number }> = []
    const position = q.lat !== undefined && q.lon !== undefined ? { lat: q.lat, lon: q.lon } : undefined
    const radius = q.radiusM ?? 3000
    if (position) {
      const dLat = radius / 111_320
      const dLon = radius / (111_320 * Math.max(0.1, Math.cos((position.lat * Math.PI) / 180)))
      rows = this.s.byBox.all(country, position.lat - dLat, position.lat + dLat, position.lon - dLon, position.lon + dLon) as typeof rows
    } else if (q.postalCode) rows = this.s.byZip.all(country, `${q.postalCode.trim()}%`) as typeof rows
    else if (q.city) rows = this.s.byCity.all(country, fold(q.city)) as typeof rows
    let points = rows.map((r) => this.fresh(JSON.parse(r.data) as PickupPoint))
    if (q.carriers?.length) points = points.filter((p) => q.carriers!.includes(p.carrier))
    if (q.types?.length) points = points.filter((p) => q.types!.includes(p.type))
    const ranked = this.rank(points, position, limit)
    const oldest = rows.length ? Math.min(...rows.map((r) => r.fetched_at)) : null
    return {
      points: position ? ranked.filter((p) => p.distanceM === null || p.distanceM <= radius) : ranked,
      source: 'cache',
      cachedAt: oldest === null ? null : new Date(oldest).toISOString(),
      errors
    }
  }

  /** One point: from the cache (it was listed), else asked of its carrier. */
  async get(key: string): Promise<KeyedPoint> {
    const row = this.s.byKey.get(key) as { data: string } | undefined
    if (row) return this.fresh(JSON.parse(row.data) as PickupPoint)
    const [carrier, account, ...rest] = key.split(':')
    const id = rest.join(':')
    const a = this.d.adapters().find((x) => x.carrier === carrier && x.account === account)
    if (!a?.getPoint || !id)
      throw new GuichetError('not_found', 'This point is not known on this desk; search for it first.', { field: 'key' })
    const p = await a.getPoint(id)
    if (!p) throw new GuichetError('not_found', `${carrier} does not know point ${id.slice(0, 40)}.`, { field: 'key' })
    this.store([p])
    return this.fresh(p)
  }

  /** Picks a point for a shipment: the shipment's summary columns and the full point, in one transaction. */
  async attach(shipmentId: number, key: string): Promise<{ shipmentId: number; point: KeyedPoint }> {
    const point = await this.get(key)
    const now = this.d.clock.now()
    this.d.db.transaction(() => {
      if (!this.shipments.setPoint(shipmentId, toDeliveryPoint(point), now))
        throw new GuichetError('not_found', `Shipment ${shipmentId} does not exist.`, { field: 'shipmentId' })
      this.s.attachFull.run(shipmentId, key, JSON.stringify(point), now)
    })()
    this.d.events?.emit('shipment.changed', { ids: [shipmentId], reason: 'local' })
    return { shipmentId, point }
  }

  /** The full point a new shipment goes to (its summary columns come with the shipment's insert). */
  recordPoint(shipmentId: number, point: KeyedPoint, now: number): void {
    this.s.attachFull.run(shipmentId, point.key, JSON.stringify(point), now)
  }

  /** The point attached to a shipment, in full (null when none was picked here). */
  attachedTo(shipmentId: number): KeyedPoint | null {
    const row = this.s.attached.get(shipmentId) as { data: string } | undefined
    return row ? this.fresh(JSON.parse(row.data) as PickupPoint) : null
  }
}

/** The shipment's summary of a point (the shipments table's point_* columns). */
export function toDeliveryPoint(p: PickupPoint): DeliveryPoint {
  return { id: p.id, name: p.name, address: pointAddressLine(p), carrier: p.carrier, type: p.type }
}
