// Guichet's domain vocabulary, shared by every process. Plain data only: no I/O here.

/** The carriers Guichet speaks to. Adding one means adding a folder under src/main/carriers/. */
export const CARRIERS = ['express-relais', 'ecotrack', 'shiprocket', 'clickpost', 'shipway', 'sendcloud', 'swisspost'] as const
export type CarrierId = (typeof CARRIERS)[number]

export const CARRIER_NAMES: Record<CarrierId, string> = {
  'express-relais': 'Express Relais',
  ecotrack: 'ECOTRACK',
  shiprocket: 'Shiprocket',
  clickpost: 'Clickpost',
  shipway: 'Shipway',
  sendcloud: 'Sendcloud',
  swisspost: 'Swiss Post'
}

/**
 * Carriers whose API takes a return request from the desk (their adapter has requestReturn;
 * carriers/return-capable.test.ts keeps the two in step). Elsewhere the action is not offered.
 */
export const RETURN_REQUEST_CARRIERS: ReadonlySet<CarrierId> = new Set<CarrierId>(['ecotrack', 'express-relais'])

/**
 * Guichet's unified status: the eight statuses of seed 000's right-hand column.
 * Every carrier maps its own vocabulary onto these; the native status is always kept beside it.
 */
export const UNIFIED_STATUSES = [
  'packaging',
  'ready_to_ship',
  'shipped',
  'shipping_in_progress',
  'delivered',
  'delivery_failure',
  'cancelled',
  'return'
] as const
export type UnifiedStatus = (typeof UNIFIED_STATUSES)[number]

/**
 * What an event means for the counter, beyond its unified status. "Waiting at the pickup point"
 * is shipping_in_progress for the carrier, but the counter must tell it apart from "in transit".
 */
export const EVENT_KINDS = ['status', 'waiting_at_point', 'out_for_delivery', 'remark', 'return_request', 'info'] as const
export type EventKind = (typeof EVENT_KINDS)[number]

/** Where a piece of tracking information came from. */
export type EventSource = 'poll' | 'manual' | 'webhook' | 'import' | 'demo' | 'counter'

type PointType = 'counter' | 'locker' | 'post_office' | 'stop_desk'

export interface DeliveryPoint {
  id: string
  name: string
  address: string
  carrier?: CarrierId
  type?: PointType
}

export interface ShipmentError {
  code: string
  /** Main's words, for logs and developers: the renderer words `code`, `field` and `params` instead. */
  message: string
  at: string
  /** The carrier that answered (the shipment's own): the clerk reads "ECOTRACK refused: …". Absent on errors stored by older versions. */
  carrier?: CarrierId
  /** The field the carrier refused, as it named it. */
  field?: string
  /** What the UI may quote: HTTP status, the carrier's own error code, a known reason. */
  params?: Record<string, string | number>
}

/** One shipment as the counter sees it. Times are ISO-8601 strings. */
export interface Shipment {
  id: number
  carrier: CarrierId
  account: string
  trackingNumber: string
  reference: string | null
  recipientName: string
  recipientPhone: string | null
  point: DeliveryPoint | null
  unifiedStatus: UnifiedStatus
  /** The latest event's kind: lets the counter say "waiting at the point" rather than "in transit". */
  statusKind: EventKind
  nativeStatus: string | null
  nativeStatusLabel: string | null
  statusAt: string | null
  direction: 'forward' | 'return'
  parentId: number | null
  codAmount: number | null
  currency: string | null
  weightGrams: number | null
  createdAt: string
  updatedAt: string
  lastCheckedAt: string | null
  lastGoodCheckAt: string | null
  nextCheckAt: string | null
  lastError: ShipmentError | null
}

/** One line of a shipment's status timeline. */
export interface TrackingEvent {
  id: number
  shipmentId: number
  at: string
  unifiedStatus: UnifiedStatus
  kind: EventKind
  nativeStatus: string
  nativeLabel: string | null
  description: string | null
  location: string | null
  comment: string | null
  waybill: string | null
  source: EventSource
  recordedAt: string
}

export interface Remark {
  id: number
  shipmentId: number
  text: string
  author: string | null
  createdAt: string
  /** local: typed at this desk; carrier: read back from the carrier. */
  origin: 'local' | 'carrier'
  state: 'pending' | 'sent' | 'failed'
}

/** A row of a result list: enough to recognise the parcel at a glance. */
export type ShipmentSummary = Pick<
  Shipment,
  | 'id'
  | 'carrier'
  | 'trackingNumber'
  | 'reference'
  | 'recipientName'
  | 'recipientPhone'
  | 'unifiedStatus'
  | 'statusKind'
  | 'statusAt'
  | 'createdAt'
  | 'point'
>

export interface ShipmentDetail {
  shipment: Shipment
  events: TrackingEvent[]
  remarks: Remark[]
}

/** Final states stop automatic polling. */
export const FINAL_STATUSES: ReadonlySet<UnifiedStatus> = new Set(['delivered', 'cancelled', 'return'])
