// Table owner: `shipments` (rows created here; the lookup screens' reads), `tracking_events`
// (read here, appended by the pipeline), `remarks` and the `shipment_search` index. Other modules
// use this class or refs.ts, never SQL; status, schedule and carrier_data columns are the status
// pipeline's (core/pipeline). Row shapes, their mapping and the query pieces are in shipments.rows.ts.
import type { Database, Statement } from 'better-sqlite3'
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
import { phoneDigits, phoneKeys, trackingKey } from '../../../shared/scan'
import {
  COUNTER_FACTS_SQL,
  SUMMARY_COLUMNS,
  ftsPrefixQuery,
  listWhere,
  toCounterFacts,
  toEvent,
  toRemark,
  toShipment,
  toSummary,
  type CounterFacts,
  type CounterFactsRow,
  type EventRow,
  type ListFilter,
  type RemarkRow,
  type ShipmentRow
} from './shipments.rows'
import { EventMatcher, eventDedupeKey } from './event-identity'

export type { CounterFacts, ListFilter } from './shipments.rows'

/** What it takes to create a shipment row (demo, import, carrier creation). */
export interface NewShipment {
  carrier: CarrierId
  account?: string
  trackingNumber: string
  reference?: string | null
  recipientName: string
  recipientPhone?: string | null
  point?: DeliveryPoint | null
  unifiedStatus?: UnifiedStatus
  direction?: 'forward' | 'return'
  parentId?: number | null
  codAmount?: number | null
  currency?: string | null
  weightGrams?: number | null
  carrierData?: Record<string, unknown> | null
  createdAt: number
  nextCheckAt?: number | null
}

/** A tracking event as it arrives from any source, before it is stored. */
export interface IncomingEvent {
  at: number
  unifiedStatus: UnifiedStatus
  kind?: EventKind
  nativeStatus: string
  nativeLabel?: string | null
  description?: string | null
  location?: string | null
  comment?: string | null
  waybill?: string | null
  source: EventSource
  /** Stable identity of the carrier event; defaults to time + native status. */
  dedupeKey?: string
}

/** Every SQL statement about shipments, prepared once. */
export class ShipmentRepository {
  private readonly s: Record<string, Statement>
  private readonly matcher: EventMatcher

  constructor(private readonly db: Database) {
    this.matcher = new EventMatcher(db)
    this.s = {
      insert: db.prepare(`INSERT INTO shipments (
          carrier, account, tracking_number, tracking_key, reference, recipient_name, recipient_phone, phone_keys,
          point_id, point_name, point_address, point_type, unified_status, direction, parent_id,
          cod_amount, currency, weight_grams, carrier_data, created_at, updated_at, next_check_at)
        VALUES (@carrier, @account, @tracking_number, @tracking_key, @reference, @recipient_name, @recipient_phone, @phone_keys,
          @point_id, @point_name, @point_address, @point_type, @unified_status, @direction, @parent_id,
          @cod_amount, @currency, @weight_grams, @carrier_data, @created_at, @created_at, @next_check_at)`),
      byId: db.prepare('SELECT * FROM shipments WHERE id = ?'),
      byKey: db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM shipments WHERE tracking_key = ? LIMIT 20`),
      byReference: db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM shipments WHERE reference = ? COLLATE NOCASE LIMIT 20`),
      byKeyPrefix: db.prepare(
        `SELECT ${SUMMARY_COLUMNS} FROM shipments WHERE tracking_key >= ? AND tracking_key < ? ORDER BY tracking_key LIMIT ?`
      ),
      fts: db.prepare(
        `SELECT ${SUMMARY_COLUMNS} FROM shipments WHERE id IN (
           SELECT rowid FROM shipment_search WHERE shipment_search MATCH ? ORDER BY rowid DESC LIMIT ?)
         ORDER BY id DESC`
      ),
      events: db.prepare('SELECT * FROM tracking_events WHERE shipment_id = ? ORDER BY at DESC, id DESC'),
      remarks: db.prepare('SELECT * FROM remarks WHERE shipment_id = ? ORDER BY created_at DESC, id DESC'),
      insertEvent: db.prepare(`INSERT INTO tracking_events (
          shipment_id, at, unified_status, kind, native_status, native_label, description, location, comment, waybill,
          source, recorded_at, dedupe_key)
        VALUES (@shipment_id, @at, @unified_status, @kind, @native_status, @native_label, @description, @location, @comment,
          @waybill, @source, @recorded_at, @dedupe_key)
        ON CONFLICT (shipment_id, dedupe_key) DO NOTHING`),
      latestEvent: db.prepare(
        'SELECT at, unified_status, kind, native_status, native_label FROM tracking_events WHERE shipment_id = ? ORDER BY at DESC, id DESC LIMIT 1'
      ),
      setStatus: db.prepare(`UPDATE shipments SET unified_status = @unified_status, status_kind = @kind,
          native_status = @native_status, native_label = @native_label, status_at = @at, updated_at = @now WHERE id = @id`),
      insertRemark: db.prepare(`INSERT INTO remarks (shipment_id, text, author, origin, state, created_at, dedupe_key)
        VALUES (@shipment_id, @text, @author, @origin, @state, @created_at, @dedupe_key)
        ON CONFLICT (shipment_id, dedupe_key) DO NOTHING`),
      count: db.prepare('SELECT count(*) AS n FROM shipments')
    }
  }

  insert(s: NewShipment): number {
    const info = this.s.insert!.run({
      carrier: s.carrier,
      account: s.account ?? 'default',
      tracking_number: s.trackingNumber,
      tracking_key: trackingKey(s.trackingNumber),
      reference: s.reference ?? null,
      recipient_name: s.recipientName,
      recipient_phone: s.recipientPhone ?? null,
      phone_keys: phoneKeys(s.recipientPhone),
      point_id: s.point?.id ?? null,
      point_name: s.point?.name ?? null,
      point_address: s.point?.address ?? null,
      point_type: s.point?.type ?? null,
      unified_status: s.unifiedStatus ?? 'packaging',
      direction: s.direction ?? 'forward',
      parent_id: s.parentId ?? null,
      cod_amount: s.codAmount ?? null,
      currency: s.currency ?? null,
      weight_grams: s.weightGrams ?? null,
      carrier_data: s.carrierData ? JSON.stringify(s.carrierData) : null,
      created_at: s.createdAt,
      next_check_at: s.nextCheckAt ?? null
    })
    return Number(info.lastInsertRowid)
  }

  get(id: number): Shipment | null {
    const row = this.s.byId!.get(id) as ShipmentRow | undefined
    return row ? toShipment(row) : null
  }

  carrierData(id: number): Record<string, unknown> | null {
    const row = this.db.prepare('SELECT carrier_data FROM shipments WHERE id = ?').get(id) as { carrier_data: string | null } | undefined
    return row?.carrier_data ? (JSON.parse(row.carrier_data) as Record<string, unknown>) : null
  }

  byTrackingKey(key: string): ShipmentSummary[] {
    return (this.s.byKey!.all(key) as ShipmentRow[]).map(toSummary)
  }

  byReference(reference: string): ShipmentSummary[] {
    return (this.s.byReference!.all(reference) as ShipmentRow[]).map(toSummary)
  }

  /** Tracking numbers that start with the typed key (index range scan). */
  byTrackingPrefix(prefix: string, limit: number): ShipmentSummary[] {
    if (prefix.length < 3) return []
    return (this.s.byKeyPrefix!.all(prefix, prefix + '\uffff', limit) as ShipmentRow[]).map(toSummary)
  }

  /** Prefix search on reference and name words, or on phone digits; newest first. */
  searchText(text: string, limit: number): ShipmentSummary[] {
    const digits = phoneDigits(text)
    const isPhone = digits.length >= 3 && /^[\d\s+().-]+$/.test(text)
    const query = isPhone
      ? ftsPrefixQuery(digits.replace(/^0+/, '') || digits, 'phone_keys')
      : ftsPrefixQuery(text, '{reference recipient_name}')
    if (!query) return []
    return (this.s.fts!.all(query, limit) as ShipmentRow[]).map(toSummary)
  }

  list(f: ListFilter, now: number): { items: ShipmentSummary[]; total: number } {
    const { clause, args } = listWhere(f, now)
    const items = (
      this.db
        .prepare(`SELECT ${SUMMARY_COLUMNS} FROM shipments ${clause} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`)
        .all(...args, f.limit, f.offset) as ShipmentRow[]
    ).map(toSummary)
    const total = (this.db.prepare(`SELECT count(*) AS n FROM shipments ${clause}`).get(...args) as { n: number }).n
    return { items, total }
  }

  events(shipmentId: number): TrackingEvent[] {
    return (this.s.events!.all(shipmentId) as EventRow[]).map(toEvent)
  }

  remarks(shipmentId: number): Remark[] {
    return (this.s.remarks!.all(shipmentId) as RemarkRow[]).map(toRemark)
  }

  /**
   * Appends events (duplicates ignored) and moves the shipment's current status to its latest
   * event. Returns how many events were new. Callers wrap batches in one transaction.
   */
  appendEvents(shipmentId: number, events: IncomingEvent[], now: number): number {
    let added = 0
    let claimed = 0
    for (const e of events) {
      const dedupeKey = eventDedupeKey(e)
      const held = this.matcher.match(shipmentId, { dedupeKey, nativeStatus: e.nativeStatus, at: e.at, source: e.source })
      if (held === 'held') continue
      const row = {
        shipment_id: shipmentId,
        at: e.at,
        unified_status: e.unifiedStatus,
        kind: e.kind ?? 'status',
        native_status: e.nativeStatus,
        native_label: e.nativeLabel ?? null,
        description: e.description ?? null,
        location: e.location ?? null,
        comment: e.comment ?? null,
        waybill: e.waybill ?? null,
        source: e.source,
        recorded_at: now,
        dedupe_key: dedupeKey
      }
      if (typeof held === 'number') claimed += this.matcher.claim(held, row) ? 1 : 0
      else added += this.s.insertEvent!.run(row).changes
    }
    if (added + claimed > 0) {
      const latest = this.s.latestEvent!.get(shipmentId) as
        { at: number; unified_status: UnifiedStatus; kind: EventKind; native_status: string; native_label: string | null } | undefined
      if (latest) {
        this.s.setStatus!.run({
          id: shipmentId,
          unified_status: latest.unified_status,
          kind: latest.kind,
          native_status: latest.native_status,
          native_label: latest.native_label,
          at: latest.at,
          now
        })
      }
    }
    return added
  }

  addRemark(r: {
    shipmentId: number
    text: string
    author?: string | null
    origin: 'local' | 'carrier'
    state: Remark['state']
    createdAt: number
    dedupeKey?: string | null
  }): number {
    const info = this.s.insertRemark!.run({
      shipment_id: r.shipmentId,
      text: r.text,
      author: r.author ?? null,
      origin: r.origin,
      state: r.state,
      created_at: r.createdAt,
      dedupe_key: r.dedupeKey ?? null
    })
    return Number(info.lastInsertRowid)
  }

  /** The newest shipment with this tracking key, whole (the counter matches a scan to it). */
  latestByTrackingKey(key: string): Shipment | null {
    const hits = this.byTrackingKey(key)
    if (hits.length === 0) return null
    return this.get(Math.max(...hits.map((h) => h.id)))
  }

  /**
   * The counter's view of many shipments at once: COD, account, and what the carrier itself last
   * said (the latest event not written by the counter; the row's own status when it has no events
   * and was never moved by the counter).
   */
  counterFacts(ids: readonly number[]): Map<number, CounterFacts> {
    const out = new Map<number, CounterFacts>()
    if (ids.length === 0) return out
    const json = JSON.stringify([...new Set(ids)])
    const rows = this.db.prepare(COUNTER_FACTS_SQL).all(json) as CounterFactsRow[]
    for (const r of rows) out.set(r.id, toCounterFacts(r))
    return out
  }

  /** Shipments for this point the carrier says are waiting here or delivered, recent first. */
  waitingAtPoint(pointId: string, since: number, limit: number): ShipmentSummary[] {
    return (
      this.db
        .prepare(
          `SELECT ${SUMMARY_COLUMNS} FROM shipments WHERE point_id = ? AND (status_kind = 'waiting_at_point' OR unified_status = 'delivered')
            AND coalesce(status_at, updated_at) >= ? ORDER BY status_at DESC LIMIT ?`
        )
        .all(pointId, since, limit) as ShipmentRow[]
    ).map(toSummary)
  }

  count(): number {
    return (this.s.count!.get() as { n: number }).n
  }
}
