// Row shapes of `shipments`, `tracking_events` and `remarks` as SQLite returns them, their mapping
// to the shared domain types, and the query pieces the repository builds (list filter, search,
// counter facts). SQL runs only in shipments.repo.ts; this file prepares nothing.
import type { CounterStep } from '../../../shared/counter'
import { counterNative } from '../../../shared/counter'
import type {
  CarrierId,
  DeliveryPoint,
  EventKind,
  EventSource,
  Remark,
  Shipment,
  ShipmentSummary,
  TrackingEvent,
  UnifiedStatus
} from '../../../shared/domain'
import { iso } from '../../platform/clock'
import { decodeShipmentError } from './stored-error'

/** What the counter needs of a shipment beside its own parcel row. */
export interface CounterFacts {
  account: string
  trackingNumber: string
  codAmount: number | null
  currency: string | null
  /** The carrier's own latest word (counter steps left out); null: the carrier has said nothing yet. */
  carrierStatus: UnifiedStatus | null
  carrierKind: EventKind | null
}

export interface ListFilter {
  status?: UnifiedStatus
  /** Where the parcel stands at this desk (its latest counter step is its current status). */
  counterStep?: CounterStep
  carrier?: CarrierId
  olderThanDays?: number
  account?: string
  pointId?: string
  limit: number
  offset: number
}

export interface ShipmentRow {
  id: number
  carrier: CarrierId
  account: string
  tracking_number: string
  reference: string | null
  recipient_name: string
  recipient_phone: string | null
  point_id: string | null
  point_name: string | null
  point_address: string | null
  point_type: string | null
  unified_status: UnifiedStatus
  status_kind: EventKind
  native_status: string | null
  native_label: string | null
  status_at: number | null
  direction: 'forward' | 'return'
  parent_id: number | null
  cod_amount: number | null
  currency: string | null
  weight_grams: number | null
  created_at: number
  updated_at: number
  last_checked_at: number | null
  last_good_check_at: number | null
  next_check_at: number | null
  last_error_code: string | null
  last_error: string | null
  last_error_at: number | null
}

export interface EventRow {
  id: number
  shipment_id: number
  at: number
  unified_status: UnifiedStatus
  kind: EventKind
  native_status: string
  native_label: string | null
  description: string | null
  location: string | null
  comment: string | null
  waybill: string | null
  source: EventSource
  recorded_at: number
}

export const SUMMARY_COLUMNS =
  'id, carrier, tracking_number, reference, recipient_name, recipient_phone, unified_status, status_kind, status_at, created_at, point_id, point_name, point_address, point_type'

function pointOf(r: Pick<ShipmentRow, 'point_id' | 'point_name' | 'point_address' | 'point_type' | 'carrier'>): DeliveryPoint | null {
  if (!r.point_id) return null
  const p: DeliveryPoint = { id: r.point_id, name: r.point_name ?? '', address: r.point_address ?? '', carrier: r.carrier }
  if (r.point_type) p.type = r.point_type as DeliveryPoint['type']
  return p
}

export function toShipment(r: ShipmentRow): Shipment {
  return {
    id: r.id,
    carrier: r.carrier,
    account: r.account,
    trackingNumber: r.tracking_number,
    reference: r.reference,
    recipientName: r.recipient_name,
    recipientPhone: r.recipient_phone,
    point: pointOf(r),
    unifiedStatus: r.unified_status,
    statusKind: r.status_kind,
    nativeStatus: r.native_status,
    nativeStatusLabel: r.native_label,
    statusAt: iso(r.status_at),
    direction: r.direction,
    parentId: r.parent_id,
    codAmount: r.cod_amount,
    currency: r.currency,
    weightGrams: r.weight_grams,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    lastCheckedAt: iso(r.last_checked_at),
    lastGoodCheckAt: iso(r.last_good_check_at),
    nextCheckAt: iso(r.next_check_at),
    lastError: decodeShipmentError(r.last_error_code, r.last_error, iso(r.last_error_at)!)
  }
}

export function toSummary(r: ShipmentRow): ShipmentSummary {
  return {
    id: r.id,
    carrier: r.carrier,
    trackingNumber: r.tracking_number,
    reference: r.reference,
    recipientName: r.recipient_name,
    recipientPhone: r.recipient_phone,
    unifiedStatus: r.unified_status,
    statusKind: r.status_kind,
    statusAt: iso(r.status_at),
    createdAt: iso(r.created_at)!,
    point: pointOf(r)
  }
}

export function toEvent(r: EventRow): TrackingEvent {
  return {
    id: r.id,
    shipmentId: r.shipment_id,
    at: iso(r.at)!,
    unifiedStatus: r.unified_status,
    kind: r.kind,
    nativeStatus: r.native_status,
    nativeLabel: r.native_label,
    description: r.description,
    location: r.location,
    comment: r.comment,
    waybill: r.waybill,
    source: r.source,
    recordedAt: iso(r.recorded_at)!
  }
}

/** Turns what a person typed into a safe FTS5 query: each word quoted, as a prefix. */
export function ftsPrefixQuery(text: string, column?: string): string | null {
  const words = text
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 8)
  if (words.length === 0) return null
  const terms = words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' ')
  return column ? `${column} : (${terms})` : terms
}

export interface RemarkRow {
  id: number
  shipment_id: number
  text: string
  author: string | null
  origin: 'local' | 'carrier'
  state: Remark['state']
  created_at: number
}

export function toRemark(r: RemarkRow): Remark {
  return {
    id: r.id,
    shipmentId: r.shipment_id,
    text: r.text,
    author: r.author,
    origin: r.origin,
    state: r.state,
    createdAt: iso(r.created_at)!
  }
}

/** The WHERE clause (empty when nothing filters) and its arguments for the lookup list. */
export function listWhere(f: ListFilter, now: number): { clause: string; args: unknown[] } {
  const where: string[] = []
  const args: unknown[] = []
  if (f.status) {
    where.push('unified_status = ?')
    args.push(f.status)
  }
  if (f.counterStep) {
    where.push('native_status = ?')
    args.push(counterNative(f.counterStep))
  }
  if (f.carrier) {
    where.push('carrier = ?')
    args.push(f.carrier)
  }
  if (f.account) {
    where.push('account = ?')
    args.push(f.account)
  }
  if (f.pointId) {
    where.push('point_id = ?')
    args.push(f.pointId)
  }
  if (f.olderThanDays !== undefined) {
    where.push('created_at <= ?')
    args.push(now - f.olderThanDays * 86_400_000)
  }
  return { clause: where.length ? `WHERE ${where.join(' AND ')}` : '', args }
}

/**
 * What the carrier itself last said of each shipment: the latest event not written by the counter
 * (`carrier_last`, "status|kind"), beside the row's own status. Bound to a JSON array of ids.
 */
export const COUNTER_FACTS_SQL = `SELECT s.id, s.account, s.tracking_number, s.cod_amount, s.currency, s.unified_status, s.status_kind, s.native_status,
           (SELECT e.unified_status || '|' || e.kind FROM tracking_events e WHERE e.shipment_id = s.id AND e.source <> 'counter'
             ORDER BY e.at DESC, e.id DESC LIMIT 1) AS carrier_last
         FROM shipments s WHERE s.id IN (SELECT value FROM json_each(?))`

export interface CounterFactsRow {
  id: number
  account: string
  tracking_number: string
  cod_amount: number | null
  currency: string | null
  unified_status: UnifiedStatus
  status_kind: EventKind
  native_status: string | null
  carrier_last: string | null
}

/** The row's own status counts as the carrier's only when no carrier event exists and the counter never moved it. */
export function toCounterFacts(r: CounterFactsRow): CounterFacts {
  let carrierStatus: UnifiedStatus | null = null
  let carrierKind: EventKind | null = null
  if (r.carrier_last) {
    const [u, k] = r.carrier_last.split('|') as [UnifiedStatus, EventKind]
    carrierStatus = u
    carrierKind = k
  } else if (!r.native_status?.startsWith('GUICHET_') && r.native_status !== null) {
    carrierStatus = r.unified_status
    carrierKind = r.status_kind
  }
  return {
    account: r.account,
    trackingNumber: r.tracking_number,
    codAmount: r.cod_amount,
    currency: r.currency,
    carrierStatus,
    carrierKind
  }
}
