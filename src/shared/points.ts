// Pickup points as the counter sees them, whatever the carrier: plain data and pure helpers shared
// by main (search, cache) and the renderer (list, map). Times are the point's local wall clock.
import type { CarrierId } from './domain'

export const POINT_KINDS = ['counter', 'locker', 'post_office', 'stop_desk'] as const
export type PointKind = (typeof POINT_KINDS)[number]

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const
type Weekday = (typeof WEEKDAYS)[number]

/** One opening range, "HH:mm" 24-hour. */
interface OpeningSlot {
  from: string
  to: string
}
/** Opening ranges per weekday; an empty list means closed that day. */
export type OpeningTimes = Record<Weekday, OpeningSlot[]>

/** Swiss Post services a point offers (PickPost counter, My Post 24 locker). */
export type PointService = 'PickPost' | 'My Post 24'

export interface PickupPoint {
  /** The carrier's own id of the point (Sendcloud numeric id, Swiss Post POI id...). */
  id: string
  carrier: CarrierId
  /** The account it was found with (a Sendcloud integration, a Swiss Post contract). */
  account: string
  name: string
  type: PointKind
  street: string | null
  houseNo: string | null
  zip: string | null
  city: string
  /** ISO 3166-1 alpha-2. */
  country: string
  lat: number | null
  lon: number | null
  openingTimes: OpeningTimes | null
  /** Whether it opens tomorrow / in the coming 7 days; null when opening times are unknown. */
  openTomorrow: boolean | null
  openThisWeek: boolean | null
  /** Metres from the searched position, when a position is known. */
  distanceM: number | null
  services: PointService[]
  /** The carrier's extra id needed to address the parcel (Sendcloud to_post_number for lockers). */
  carrierPointCode?: string | null
}

/** "carrier:account:id": one point across carriers and accounts. */
export const pointKey = (p: Pick<PickupPoint, 'carrier' | 'account' | 'id'>): string => `${p.carrier}:${p.account}:${p.id}`

export function emptyOpeningTimes(): OpeningTimes {
  return { monday: [], tuesday: [], wednesday: [], thursday: [], friday: [], saturday: [], sunday: [] }
}

/** Monday = 0 ... Sunday = 6 for a UTC date (points are looked at on the same calendar day). */
function weekdayIndex(ms: number): number {
  return (new Date(ms).getUTCDay() + 6) % 7
}

/** Open tomorrow / open in the coming week (tomorrow and the 6 days after), from the weekly times. */
export function openingFlags(times: OpeningTimes | null, now: number): { openTomorrow: boolean | null; openThisWeek: boolean | null } {
  if (!times) return { openTomorrow: null, openThisWeek: null }
  const today = weekdayIndex(now)
  const open = (i: number) => (times[WEEKDAYS[i % 7]!] ?? []).length > 0
  let week = false
  for (let d = 1; d <= 7; d++) week ||= open(today + d)
  return { openTomorrow: open(today + 1), openThisWeek: week }
}

/** Great-circle distance in metres (haversine); good to a few metres at city scale. */
export function distanceMetres(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const R = 6_371_000
  const rad = (d: number) => (d * Math.PI) / 180
  const dLat = rad(b.lat - a.lat)
  const dLon = rad(b.lon - a.lon)
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2
  return Math.round(2 * R * Math.asin(Math.min(1, Math.sqrt(h))))
}

/** One line for the address: "Kasernenstrasse 97, 8004 Zürich" (what DeliveryPoint.address holds). */
export function pointAddressLine(p: Pick<PickupPoint, 'street' | 'houseNo' | 'zip' | 'city'>): string {
  const street = [p.street, p.houseNo].filter(Boolean).join(' ')
  const town = [p.zip, p.city].filter(Boolean).join(' ')
  return [street, town].filter(Boolean).join(', ')
}

/** Swiss Post customer statuses of the User ID lookup (seed 004; "REGISTRED" is the seed's spelling). */
export const CUSTOMER_STATUSES = ['NONE', 'MAIL', 'REGISTRED_MAIL', 'SUISSE-ID'] as const
/** UNKNOWN: a value Swiss Post sent that no document lists; it must not block a label (CONTRACTS §4.3). */
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number] | 'UNKNOWN'
/** MAIL, REGISTRED_MAIL and SUISSE-ID count the same: Swiss Post has checked the person (seed 004). */
export const isVerifiedCustomer = (s: CustomerStatus): boolean => s !== 'NONE' && s !== 'UNKNOWN'
