// The carrier layer's shared shapes. Every carrier folder (src/main/carriers/<carrier>/) exports a
// CarrierModule; nothing outside src/main/carriers knows a carrier's wire format.
import type { CarrierId, DeliveryPoint, EventKind, UnifiedStatus } from '../../shared/domain'
import type { PickupPoint, PointKind } from '../../shared/points'
import { GuichetError, type ErrorCode, type ErrorParams } from '../../shared/result'
import type { Logger } from '../platform/logger'

/** What an adapter can do. The UI offers an action only where the capability is declared. */
export type Capability =
  | 'track_one'
  | 'track_many'
  | 'list_orders'
  | 'create_shipment'
  | 'cancel'
  | 'label'
  | 'remark'
  | 'list_remarks'
  | 'return_request'
  | 'points_search'
  | 'webhook'

/** One row of a carrier's status table: native status -> Guichet's unified status. */
export interface StatusMappingRow {
  native: string
  unified: UnifiedStatus
  kind?: EventKind
  /** The carrier's own description of the status (seed 000's third column, say). */
  description?: string
  /** A status after which the carrier will not change the parcel again. */
  final?: boolean
}

/** A carrier's mapping, as data. `normalise` folds accents/case so `payé_et_archivé` = `paye_et_archive`. */
export interface StatusMapping {
  rows: readonly StatusMappingRow[]
  normalise?(native: string): string
  /** What an unknown native status maps to (kept visible, never dropped). */
  fallback: { unified: UnifiedStatus; kind: EventKind }
}

/** An event exactly as the carrier reported it, before mapping. Times in ms since epoch. */
export interface NativeEvent {
  at: number
  nativeStatus: string
  label?: string | null
  description?: string | null
  location?: string | null
  comment?: string | null
  waybill?: string | null
  /** A stable identity when the carrier gives one (event id); else time + status is used. */
  dedupeKey?: string
}

/** The answer for one tracking number in a track call. */
export type TrackResult =
  | {
      trackingNumber: string
      ok: true
      events: NativeEvent[]
      /** The carrier's current status when it reports one apart from the event list. */
      current?: NativeEvent
      point?: DeliveryPoint | null
      /** Carrier-specific fields worth keeping (ER parcel id, ECOTRACK desk phone...). */
      carrierData?: Record<string, unknown>
    }
  | { trackingNumber: string; ok: false; error: CarrierError }

/** A snapshot of an account's rate budget, for the poller and the status bar. */
export interface RateBudget {
  /** Calls that can be made now without waiting. null: the carrier publishes no limit. */
  remaining: number | null
  /** When the tightest window resets (ms since epoch), if known. */
  resetsAt: number | null
  /** Set while the account must not be called (after a 429, until Retry-After). */
  blockedUntil: number | null
}

/** An error from a carrier, typed so the UI can say what happened and whether to retry. */
export class CarrierError extends GuichetError {
  constructor(
    code: Extract<
      ErrorCode,
      | 'rate_limited'
      | 'offline'
      | 'timeout'
      | 'carrier_error'
      | 'carrier_refused'
      | 'not_found'
      | 'unauthorized'
      | 'invalid_input'
      | 'unsupported'
    >,
    message: string,
    opts: {
      retryable?: boolean
      retryAfterMs?: number
      field?: string
      carrierCode?: string | number
      httpStatus?: number
      params?: ErrorParams
      mayHaveArrived?: boolean
    } = {}
  ) {
    // The HTTP status travels as a param: the renderer words it, the path stays in the log.
    const params = opts.httpStatus !== undefined ? { ...opts.params, httpStatus: opts.httpStatus } : opts.params
    super(code, message, { ...opts, ...(params ? { params } : {}) })
    this.name = 'CarrierError'
    this.carrierCode = opts.carrierCode
    this.httpStatus = opts.httpStatus
    this.mayHaveArrived = opts.mayHaveArrived ?? false
  }
  readonly carrierCode: string | number | undefined
  readonly httpStatus: number | undefined
  /**
   * The connection failed after the request went out (cut, reset, no answer in time): the carrier
   * may have done what was asked. A write that is not safe to repeat is checked with the carrier
   * before it is sent again (core/outbox/worker.ts).
   */
  readonly mayHaveArrived: boolean
}

/** One configured account of a carrier (several per aggregator, by alias). */
export interface CarrierAccount {
  carrier: CarrierId
  /** The alias staff know the account by ("default", "warehouse-north"...). */
  alias: string
  baseUrl: string
  /** Secrets come from the credentials vault at call time; never logged, never sent to the UI. */
  credentials: Record<string, string>
  /** Non-secret, carrier-specific settings (Express Relais pickup fields, prefixes...). */
  options?: Record<string, unknown>
}

/**
 * What the poller, the status pipeline and the actions need from a carrier. Optional methods
 * exist exactly when the matching capability is declared.
 */
export interface CarrierAdapter {
  readonly carrier: CarrierId
  readonly account: string
  readonly capabilities: ReadonlySet<Capability>
  /** How many tracking numbers one track call takes (1 when the carrier has no batch call). */
  readonly batchSize: number
  /** Tracks up to batchSize numbers in as few calls as the carrier allows; one result per number. */
  track(trackingNumbers: string[]): Promise<TrackResult[]>
  budget(): RateBudget
  addRemark?(trackingNumber: string, text: string, opts: { idempotencyKey: string; actedAt?: number }): Promise<void>
  listRemarks?(trackingNumber: string): Promise<Array<{ text: string; author: string | null; at: number }>>
  requestReturn?(
    trackingNumber: string,
    opts: { idempotencyKey: string; actedAt?: number }
  ): Promise<{ accepted: boolean; message: string }>
  cancel?(trackingNumber: string, opts: { idempotencyKey: string }): Promise<void>
  label?(trackingNumber: string): Promise<{ contentType: string; data: Uint8Array }>
  /** The full event history of one parcel, where the carrier has a richer call than track() (ECOTRACK get/tracking/info). */
  history?(trackingNumber: string): Promise<NativeEvent[]>
  /** With 'points_search': the carrier's pickup points near a place (src/main/features/points/ merges them). */
  searchPoints?(query: PointQuery): Promise<PickupPoint[]>
  /** With 'points_search': one point by the carrier's id, null when the carrier does not know it. */
  getPoint?(id: string): Promise<PickupPoint | null>
}

/** A pickup-point search: a place (postal code, city, address or position) and optional filters. */
export interface PointQuery {
  /** ISO 3166-1 alpha-2. */
  country: string
  postalCode?: string
  city?: string
  address?: string
  position?: { lat: number; lon: number }
  /** Metres around the position (or the geocoded place). */
  radiusM?: number
  types?: PointKind[]
  limit?: number
}

/** A carrier folder's export: its id, its mapping table, how to build an adapter, its simulator. */
export interface CarrierModule {
  id: CarrierId
  mapping: StatusMapping
  createAdapter(account: CarrierAccount, deps: CarrierDeps): CarrierAdapter
  /** Present when the carrier sends notifications Guichet can receive. */
  webhook?: WebhookHandler
}

/** What adapters get injected: time, a logger, the HTTP core. */
export interface CarrierDeps {
  now(): number
  logger: Logger
}

/** Maps one native status with a carrier's table; unknown statuses keep their native text. */
export function mapStatus(mapping: StatusMapping, native: string): { unified: UnifiedStatus; kind: EventKind; known: boolean } {
  const key = mapping.normalise ? mapping.normalise(native) : native
  const row = mapping.rows.find((r) => (mapping.normalise ? mapping.normalise(r.native) : r.native) === key)
  if (!row) return { ...mapping.fallback, known: false }
  return { unified: row.unified, kind: row.kind ?? 'status', known: true }
}

/** An incoming carrier notification, as the local webhook receiver got it. */
export interface WebhookRequest {
  headers: Record<string, string | undefined>
  rawBody: Buffer
  query: URLSearchParams
}

/** What a notification says: events for tracking numbers, fed to the status pipeline. */
export interface WebhookUpdate {
  trackingNumber: string
  events: NativeEvent[]
}

/**
 * A carrier's notification format. The receiver (src/main/features/webhooks/) routes
 * /webhooks/<carrier>/<alias> to the module's handler, verifies, parses, then feeds the
 * status pipeline with source 'webhook'. Handling must be idempotent (carriers retry).
 */
export interface WebhookHandler {
  /** Throws CarrierError('unauthorized') when the signature or shared secret does not match. */
  verify(req: WebhookRequest, account: CarrierAccount): void
  /** The secret is a signature over the body (verify needs it); else verify runs before the body is read. */
  signsBody?: boolean
  /** Parses a verified payload; throws CarrierError('invalid_input') on a malformed body. */
  parse(req: WebhookRequest): WebhookUpdate[]
}
