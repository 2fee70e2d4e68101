import { z } from 'zod'
import { carrierId, noInput, shipmentId } from './schemas'
import { out } from './types'
import type { ErrorCode } from '../result'
import { POINT_KINDS, type CustomerStatus, type PickupPoint } from '../points'
import type { LabelWarning } from '../label-warnings'

/** A carrier that could not answer a search: the list still shows what the others (or the cache) had. */
export interface PointSearchError {
  carrier: string
  account: string
  code: ErrorCode
  message: string
}

export interface PointSearchResult {
  points: Array<PickupPoint & { key: string }>
  /** live: at least one carrier answered now; cache: the last results kept on this desk. */
  source: 'live' | 'cache'
  /** When the cached results were fetched (source cache). */
  cachedAt: string | null
  errors: PointSearchError[]
}

export interface PointsDiagnostics {
  carriers: Array<{
    carrier: string
    account: string
    pointsSearch: boolean
    credentialsValid: boolean | null
    servicePointsEnabled: boolean | null
    carriersEnabled: string[]
    lastErrors: Array<{ at: string; code: string; message: string }>
    problems: string[]
  }>
}

export interface UserIdLookupResult {
  userId: string
  customerStatus: CustomerStatus
  verified: boolean
  newlyRegistered: boolean
  keyword: 'PickPost' | 'My Post 24'
  /** Set for a My Post 24 locker when Swiss Post has not verified the customer (status NONE). */
  warning: string | null
}

export interface ShipmentToPointResult {
  shipmentId: number
  trackingNumber: string
  carrier: string
  /** Swiss Post only: the keyword and User ID printed in Name2. */
  keyword: 'PickPost' | 'My Post 24' | null
  userId: string | null
  customerStatus: CustomerStatus | null
  name2: string | null
  /** Worded by the renderer: a locker customer not verified, a label not fetched yet, the carrier's own notes. */
  warnings: LabelWarning[]
}

const text = (max: number) => z.string().trim().min(1).max(max)
const pointKey = z.lazy(() => z.string().min(3).max(200))
const customer = z.lazy(() =>
  z.strictObject({
    firstName: text(60),
    lastName: text(60),
    email: z.email().max(120),
    phone: z.string().trim().max(30).optional(),
    street: z.string().trim().max(80).optional(),
    houseNo: z.string().trim().max(10).optional(),
    zip: text(10),
    city: text(60),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .default('CH')
  })
)

export const pointChannels = {
  /** Points near a postal code, city, address or position, across every carrier with points; the cache when offline. */
  'points.search': {
    input: z.lazy(() =>
      z
        .strictObject({
          country: z
            .string()
            .regex(/^[A-Za-z]{2}$/, 'a 2-letter country code')
            .default('CH'),
          postalCode: z.string().trim().max(12).optional(),
          city: z.string().trim().max(80).optional(),
          address: z.string().trim().max(160).optional(),
          lat: z.number().min(-90).max(90).optional(),
          lon: z.number().min(-180).max(180).optional(),
          radiusM: z.number().int().min(100).max(50_000).default(3000),
          carriers: z.array(carrierId).max(10).optional(),
          types: z.array(z.enum(POINT_KINDS)).max(4).optional(),
          limit: z.number().int().min(1).max(100).default(30)
        })
        .refine((q) => !!(q.postalCode || q.city || q.address || (q.lat !== undefined && q.lon !== undefined)), {
          message: 'Give a postal code, a city, an address or a position',
          path: ['postalCode']
        })
    ),
    output: out<PointSearchResult>()
  },
  'points.get': { input: z.lazy(() => z.strictObject({ key: pointKey })), output: out<PickupPoint & { key: string }>() },
  /** Picking a point: the shipment is addressed to it. */
  'points.attach': {
    input: z.lazy(() => z.strictObject({ shipmentId, key: pointKey })),
    output: out<{ shipmentId: number; point: PickupPoint & { key: string } }>()
  },
  /** Seed 003's "why doesn't the point map show?": per account, what is set up and what failed last. */
  'points.diagnose': { input: noInput, output: out<PointsDiagnostics>() },
  /** Swiss Post: the PickPost / My Post 24 User ID and customer status for this order (asked for every order). */
  'swisspost.userId': {
    input: z.lazy(() => z.strictObject({ pointKey, orderReference: text(35), customer })),
    output: out<UserIdLookupResult>()
  },
  /** Creates the parcel to the chosen point at the carrier and the shipment on this desk. */
  'shipments.createToPoint': {
    input: z.lazy(() =>
      z.strictObject({
        pointKey,
        orderReference: text(35),
        customer,
        weightGrams: z.number().int().min(1).max(30_000).optional(),
        /** Sendcloud lockers: the customer's locker account number. */
        postNumber: z.string().trim().max(20).optional(),
        shippingMethodId: z.number().int().positive().optional(),
        layout: z.enum(['A5', 'A6', 'A7', 'FE']).default('A6'),
        fileType: z.enum(['PDF', 'ZPL2']).default('PDF')
      })
    ),
    output: out<ShipmentToPointResult>()
  }
}
