// The ONE way tracking information enters the store, whatever its source (poll, manual refresh,
// webhook, import): map native -> unified with the carrier's table, drop events already kept,
// append the rest to the timeline, move the shipment's status to its latest event, record the
// check (success or error) and its next scheduled check, all in one transaction per batch;
// then emit one 'shipment.changed'. Doing the schedule in the same transaction as the events is
// what makes a crash harmless: either a check and its events are both stored, or neither is.
// Table owner: the status, schedule and carrier_data columns of `shipments`, and the events it appends.
import type { Database, Statement } from 'better-sqlite3'
import {
  FINAL_STATUSES,
  type CarrierId,
  type DeliveryPoint,
  type EventKind,
  type EventSource,
  type UnifiedStatus
} from '../../../shared/domain'
import { GuichetError, type ErrorParams } from '../../../shared/result'
import { mapStatus, type NativeEvent, type StatusMapping } from '../../carriers/types'
import type { Clock } from '../../platform/clock'
import type { EventBus } from '../../platform/events'
import { sharedRedactor, type Logger } from '../../platform/logger'
import { nextCheckAt as defaultNextCheck } from '../schedule/schedule'
import { EventMatcher, eventDedupeKey } from '../shipments/event-identity'
import { encodeShipmentError } from '../shipments/stored-error'

/** What a source learnt about one shipment. */
export interface StatusUpdate {
  shipmentId: number
  events: readonly NativeEvent[]
  /** The carrier's current status when reported apart from the events (kept as an event). */
  current?: NativeEvent
  point?: DeliveryPoint | null
  carrierData?: Record<string, unknown>
}

/** The outcome of one automatic or manual check of a shipment. */
export interface CheckOutcome {
  shipmentId: number
  ok: boolean
  /** Field and params (HTTP status, the carrier's code) are kept so the clerk reads the carrier's reason in their language. */
  error?: { code: string; message: string; field?: string; params?: ErrorParams }
}

export interface Batch {
  source: EventSource
  updates?: readonly StatusUpdate[]
  /** Checks made (poll, manual): they set last_checked_at, errors and the next check. */
  checks?: readonly CheckOutcome[]
}

interface ApplyResult {
  /** Events stored for the first time. */
  added: number
  /** Events dropped because the timeline already had them. */
  duplicates: number
  /** Shipments whose current status moved. */
  changed: number[]
  statuses: Record<number, UnifiedStatus>
  /** Shipments touched in any way (status, check, schedule). */
  touched: number[]
  /** Ids that are not in the store (deleted meanwhile): nothing was written for them. */
  missing: number[]
  /** Native statuses the carrier's table does not know (kept, shown as their native text). */
  unknownStatuses: string[]
}

/** What the scheduler needs to place a shipment's next check. */
interface ScheduleContext {
  shipmentId: number
  carrier: CarrierId
  account: string
  createdAt: number
  now: number
  final: boolean
  failures: number
}

export interface PipelineDeps {
  db: Database
  clock: Clock
  events: EventBus
  logger: Logger
  /** The carrier module's mapping table. */
  mappingFor(carrier: CarrierId): StatusMapping | undefined
  /** Next automatic check (per-account tiers); defaults to seed 000's table. */
  schedule?(ctx: ScheduleContext): number | null
}

// Only what the pipeline decides with; the UPDATE leaves every other column to SQL.
interface Row {
  id: number
  carrier: CarrierId
  account: string
  created_at: number
  unified_status: UnifiedStatus
  native_status: string | null
  status_at: number | null
  check_failures: number
  next_check_at: number | null
}

const ROW_COLUMNS = 'id, carrier, account, created_at, unified_status, native_status, status_at, check_failures, next_check_at'

type Mapped = ReturnType<typeof mapStatus> & { final: boolean | undefined }
// Tables are small but a batch maps tens of thousands of events: remember each answer per table.
const mappedCache = new WeakMap<StatusMapping, Map<string, Mapped>>()

/** mapStatus, memoised per table, plus the row's `final` flag. */
export function mapNative(mapping: StatusMapping, native: string): Mapped {
  let cache = mappedCache.get(mapping)
  if (!cache) mappedCache.set(mapping, (cache = new Map()))
  let m = cache.get(native)
  if (!m) {
    const key = mapping.normalise ? mapping.normalise(native) : native
    const row = mapping.rows.find((r) => (mapping.normalise ? mapping.normalise(r.native) : r.native) === key)
    m = { ...mapStatus(mapping, native), final: row?.final }
    if (cache.size < 10_000) cache.set(native, m)
  }
  return m
}

/** True when the mapped native status is one after which the carrier will not change the parcel. */
export function isFinalStatus(mapping: StatusMapping | undefined, native: string | null, unified: UnifiedStatus): boolean {
  if (mapping && native !== null) {
    const m = mapNative(mapping, native)
    // Unknown statuses never stop polling; a row that says final: false (ECOTRACK "delivered,
    // not yet settled") keeps polling; otherwise the unified status decides.
    if (!m.known) return false
    if (m.final !== undefined) return m.final
  }
  return FINAL_STATUSES.has(unified)
}

export class StatusPipeline {
  private readonly selectRows: Statement
  private readonly insertEvent: Statement
  private readonly matcher: EventMatcher
  private readonly updateRow: Statement
  private readonly updatePoint: Statement
  private readonly readCarrierData: Statement
  private readonly writeCarrierData: Statement
  private readonly schedule: (ctx: ScheduleContext) => number | null

  constructor(private readonly deps: PipelineDeps) {
    const { db } = deps
    this.matcher = new EventMatcher(db)
    this.selectRows = db.prepare(`SELECT ${ROW_COLUMNS} FROM shipments WHERE id IN (SELECT value FROM json_each(?))`).raw(true)
    this.insertEvent = db.prepare(`INSERT INTO tracking_events (
        shipment_id, at, unified_status, kind, native_status, native_label, description, location, comment, waybill,
        source, recorded_at, dedupe_key)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (shipment_id, dedupe_key) DO NOTHING`)
    // One statement per shipment whatever changed, with anonymous parameters (binding by name
    // costs more at 10,000 rows). Flags: moved (status), checked (0 none, 1 good, 2 failed), reschedule.
    this.updateRow = db.prepare(`UPDATE shipments SET
        unified_status = CASE WHEN ? THEN ? ELSE unified_status END,
        status_kind = CASE WHEN ? THEN ? ELSE status_kind END,
        native_status = CASE WHEN ? THEN ? ELSE native_status END,
        native_label = CASE WHEN ? THEN ? ELSE native_label END,
        status_at = CASE WHEN ? THEN ? ELSE status_at END,
        updated_at = CASE WHEN ? THEN ? ELSE updated_at END,
        last_checked_at = CASE WHEN ? > 0 THEN ? ELSE last_checked_at END,
        last_good_check_at = CASE WHEN ? = 1 THEN ? ELSE last_good_check_at END,
        check_failures = CASE WHEN ? > 0 THEN ? ELSE check_failures END,
        last_error_code = CASE ? WHEN 1 THEN NULL WHEN 2 THEN ? ELSE last_error_code END,
        last_error = CASE ? WHEN 1 THEN NULL WHEN 2 THEN ? ELSE last_error END,
        last_error_at = CASE ? WHEN 1 THEN NULL WHEN 2 THEN ? ELSE last_error_at END,
        next_check_at = CASE WHEN ? THEN ? ELSE next_check_at END
      WHERE id = ?`)
    this.updatePoint = db.prepare('UPDATE shipments SET point_id = ?, point_name = ?, point_address = ?, point_type = ? WHERE id = ?')
    this.readCarrierData = db.prepare('SELECT carrier_data FROM shipments WHERE id = ?')
    this.writeCarrierData = db.prepare('UPDATE shipments SET carrier_data = ? WHERE id = ?')
    this.schedule =
      deps.schedule ??
      ((c) => defaultNextCheck({ shipmentId: c.shipmentId, createdAt: c.createdAt, now: c.now, final: c.final, failures: c.failures }))
  }

  /** One statement for the whole batch (ids as a JSON array), rows as arrays: the cheapest read at 10,000 ids. */
  private loadRows(ids: number[]): Map<number, Row> {
    const rows = new Map<number, Row>()
    for (const r of this.selectRows.all(JSON.stringify(ids)) as unknown[][]) {
      const [id, carrier, account, created_at, unified_status, native_status, status_at, check_failures, next_check_at] = r as [
        number,
        CarrierId,
        string,
        number,
        UnifiedStatus,
        string | null,
        number | null,
        number,
        number | null
      ]
      rows.set(id, { id, carrier, account, created_at, unified_status, native_status, status_at, check_failures, next_check_at })
    }
    return rows
  }

  /** Applies one batch in one transaction, then emits one 'shipment.changed'. */
  apply(batch: Batch): ApplyResult {
    const result = this.deps.db.transaction(() => this.applyInTransaction(batch))()
    if (result.touched.length > 0) {
      const statuses = Object.keys(result.statuses).length > 0 ? { statuses: result.statuses } : {}
      this.deps.events.emit('shipment.changed', { ids: result.touched, reason: batch.source, ...statuses })
    }
    if (result.unknownStatuses.length > 0)
      this.deps.logger.warn('pipeline.unknown_status', { natives: result.unknownStatuses.slice(0, 20) })
    return result
  }

  private applyInTransaction(batch: Batch): ApplyResult {
    const now = this.deps.clock.now()
    const updates = batch.updates ?? []
    const checks = new Map<number, CheckOutcome>()
    for (const c of batch.checks ?? []) checks.set(c.shipmentId, c)
    const ids = [...new Set([...updates.map((u) => u.shipmentId), ...checks.keys()])]
    for (const id of ids) {
      if (!Number.isSafeInteger(id) || id <= 0)
        throw new GuichetError('invalid_input', `Not a shipment id: ${String(id)}`, { field: 'shipmentId' })
    }
    const rows = this.loadRows(ids)
    const res: ApplyResult = { added: 0, duplicates: 0, changed: [], statuses: {}, touched: [], missing: [], unknownStatuses: [] }
    const unknown = new Set<string>()
    const byId = new Map<number, StatusUpdate[]>()
    for (const u of updates) {
      const list = byId.get(u.shipmentId)
      if (list) list.push(u)
      else byId.set(u.shipmentId, [u])
    }

    for (const id of ids) {
      const row = rows.get(id)
      if (!row) {
        res.missing.push(id)
        continue
      }
      const mapping = this.deps.mappingFor(row.carrier)
      let moved: { unified: UnifiedStatus; kind: EventKind; native: string; label: string | null; at: number } | null = null
      let dirty = false
      for (const u of byId.get(id) ?? []) {
        if (!mapping) throw new GuichetError('unsupported', `No status table for carrier ${row.carrier}.`)
        const natives = u.current ? [...u.events, u.current] : u.events
        for (const e of natives) {
          if (typeof e?.nativeStatus !== 'string' || !Number.isFinite(e.at)) {
            throw new GuichetError('invalid_input', `A tracking event for shipment ${id} has no status or time.`, { field: 'events' })
          }
          const m = mapNative(mapping, e.nativeStatus)
          if (!m.known) unknown.add(e.nativeStatus)
          const label = e.label ?? null
          const key = eventDedupeKey(e)
          const held = this.matcher.match(id, { dedupeKey: key, nativeStatus: e.nativeStatus, at: e.at, source: batch.source })
          const stored = { at: e.at, unified_status: m.unified, kind: m.kind, native_label: label, description: e.description ?? null }
          const more = { location: e.location ?? null, comment: e.comment ?? null, waybill: e.waybill ?? null }
          const written =
            held === 'held'
              ? false
              : typeof held === 'number'
                ? this.matcher.claim(held, { ...stored, ...more, source: batch.source, recorded_at: now, dedupe_key: key })
                : this.insertEvent.run(
                    id,
                    e.at,
                    m.unified,
                    m.kind,
                    e.nativeStatus,
                    label,
                    stored.description,
                    more.location,
                    more.comment,
                    more.waybill,
                    batch.source,
                    now,
                    key
                  ).changes > 0
          if (!written) {
            res.duplicates++
            continue
          }
          res.added++
          // Latest event wins; on equal times the one stored last (as the repository's timeline order).
          if (row.status_at === null || e.at >= row.status_at) {
            moved = { unified: m.unified, kind: m.kind, native: e.nativeStatus, label, at: e.at }
            row.unified_status = m.unified
            row.native_status = e.nativeStatus
            row.status_at = e.at
          }
        }
        if (u.point !== undefined) {
          const p = u.point
          this.updatePoint.run(p?.id ?? null, p?.name ?? null, p?.address ?? null, p?.type ?? null, id)
          dirty = true
        }
        if (u.carrierData && Object.keys(u.carrierData).length > 0) {
          const prev = (this.readCarrierData.get(id) as { carrier_data: string | null } | undefined)?.carrier_data
          const merged = { ...(prev ? (JSON.parse(prev) as Record<string, unknown>) : {}), ...u.carrierData }
          this.writeCarrierData.run(JSON.stringify(merged), id)
          dirty = true
        }
      }

      const final = isFinalStatus(mapping, row.native_status, row.unified_status)
      const check = checks.get(id)
      let checked = 0
      let failures = row.check_failures
      let error: string | null = null
      let errorCode: string | null = null
      let reschedule = false
      let next: number | null = row.next_check_at
      if (check) {
        checked = check.ok ? 1 : 2
        failures = check.ok ? 0 : failures + 1
        if (!check.ok) {
          errorCode = check.error?.code ?? 'carrier_error'
          // Kept for logs and support, never shown as is: strip anything secret first.
          const message = sharedRedactor.text(check.error?.message ?? 'The carrier did not answer.').slice(0, 500)
          error = encodeShipmentError({ message, field: check.error?.field, params: check.error?.params }, row.carrier)
        }
        reschedule = true
        next = this.schedule({
          shipmentId: id,
          carrier: row.carrier,
          account: row.account,
          createdAt: row.created_at,
          now,
          final,
          failures
        })
      } else if (final && row.next_check_at !== null) {
        // A webhook or an import brought a final status: stop polling it.
        reschedule = true
        next = null
      }
      if (moved) {
        res.changed.push(id)
        res.statuses[id] = moved.unified
      }
      if (moved || checked > 0 || reschedule) {
        const mv = moved ? 1 : 0
        this.updateRow.run(
          mv,
          moved?.unified ?? null,
          mv,
          moved?.kind ?? null,
          mv,
          moved?.native ?? null,
          mv,
          moved?.label ?? null,
          mv,
          moved?.at ?? null,
          mv,
          now,
          checked,
          now,
          checked,
          now,
          checked,
          failures,
          checked,
          errorCode,
          checked,
          error,
          checked,
          now,
          reschedule ? 1 : 0,
          next,
          id
        )
      }
      if (moved || checked > 0 || reschedule || dirty) res.touched.push(id)
    }
    res.unknownStatuses = [...unknown]
    return res
  }
}
