// What every step of the counter's day shares: its dependencies, its own tables (counter_*:
// prepared statements, the audit trail, parcel rows as the clerk sees them), the shipment a scan
// matches (read through the shipments repository, which owns shipments and their events), and
// the one way a counter step enters the shipment's timeline.
import type { Database, Statement } from 'better-sqlite3'
import { CARRIERS, CARRIER_NAMES, type CarrierId, type Shipment } from '../../../shared/domain'
import type { CounterConfig, CounterParcel, CounterParcelState, CounterSession } from '../../../shared/contract/counter'
import type { OutboxItem } from '../../../shared/contract/actions'
import type { Settings } from '../../../shared/app'
import { GuichetError } from '../../../shared/result'
import { normalizeScan, trackingKey } from '../../../shared/scan'
import { COUNTER_STEP_STATUS, counterNative, documentNumber, type CounterStepEvent, type DocumentType } from '../../../shared/counter'
import { DAY, iso, type Clock } from '../../platform/clock'
import type { Logger } from '../../platform/logger'
import type { KeyValueStore } from '../../core/settings/settings'
import type { CounterFacts, ShipmentRepository } from '../../core/shipments/shipments.repo'
import { dayBounds, DEFAULT_HOLD_DAYS, expiresAt, holdDaysFor } from './core'
import { docLanguage, docLocale, type DocLocale } from './words'

/** Settings-store keys (the same store as the app settings). */
export const CLERK_KEY = 'counterClerk'
export const HOLD_DAYS_KEY = 'counterHoldDays'
/** The clerk's language (settings.language), read each time a document is built. */
const LANGUAGE_KEY = 'language' satisfies keyof Settings

export interface CounterDeps {
  db: Database
  /** Owns shipments and their timeline: the counter reads and appends through it only. */
  shipments: ShipmentRepository
  clock: Clock
  logger: Logger
  settingsStore: KeyValueStore
  /** Where damage photos are kept (data dir). */
  photoDir: string
  /** This desk's point id (settings.point); null: no "not for this point" check. */
  pointId: () => string | null
  /** Queues a hand-over for the carrier when its API takes one (the outbox kind decides the call). */
  queueHandover: (p: { shipmentId: number; carrier: CarrierId; handoverId: number; at: number }) => void
  /** The hand-over's outbox row for this shipment, as the UI sees it, if one was queued. */
  handoverOutbox?: (shipmentId: number, handoverId: number) => OutboxItem | null
  /** Queues a return request for the carrier, or says why it stays local (queued: false). */
  queueReturn: (p: { shipmentId: number; carrier: CarrierId }) => {
    outbox: OutboxItem | null
    reason: 'queued' | 'waits_account' | 'no_api'
  }
  /** Told after any change, with the shipments touched (the UI refreshes). */
  changed?: (shipmentIds: number[]) => void
  random?: () => number
  /** The IANA time zone of the times printed on documents; left out: the machine's own. */
  timeZone?: string
  /** The system locale, for documents while the clerk has picked no language; left out: Intl's default. */
  systemLocale?: string
}

export interface ParcelRow {
  id: number
  tracking_key: string
  tracking_number: string
  shipment_id: number | null
  carrier: string | null
  origin: 'driver' | 'dropoff'
  state: CounterParcelState
  slot: string | null
  pickup_code: string | null
  recipient_name: string | null
  recipient_phone: string | null
  arrived_at: number
  session_id: number | null
  damaged: number
  damage_note: string | null
  photo: string | null
  not_for_point: number
  refused_reason: string | null
  handover_id: number | null
  handed_over_at: number | null
  return_at: number | null
  collection_id: number | null
  collected_at: number | null
}

interface SessionRow {
  id: number
  kind: 'checkin' | 'collection'
  driver: string
  announced: number | null
  clerk: string
  opened_at: number
  closed_at: number | null
  signature: string | null
  manifest: string | null
}

export const carrierName = (c: CarrierId | null): string => (c ? CARRIER_NAMES[c] : '?')
export const isCarrier = (c: string | null): c is CarrierId => c !== null && (CARRIERS as readonly string[]).includes(c)

export class CounterContext {
  readonly random: () => number
  private readonly stmts = new Map<string, Statement>()

  constructor(readonly d: CounterDeps) {
    this.random = d.random ?? Math.random
  }

  /** Prepared once per SQL text: a counter action runs a handful of statements, often. */
  q(sql: string): Statement {
    let st = this.stmts.get(sql)
    if (!st) this.stmts.set(sql, (st = this.d.db.prepare(sql)))
    return st
  }

  now(): number {
    return this.d.clock.now()
  }

  config(): CounterConfig {
    const clerk = this.d.settingsStore.get(CLERK_KEY)
    const stored = this.d.settingsStore.get(HOLD_DAYS_KEY)
    const holdDays = { ...DEFAULT_HOLD_DAYS }
    if (stored && typeof stored === 'object') {
      for (const [c, n] of Object.entries(stored as Record<string, unknown>)) {
        if (isCarrier(c) && typeof n === 'number' && Number.isInteger(n) && n >= 1) holdDays[c] = n
      }
    }
    return { clerk: typeof clerk === 'string' && clerk ? clerk : 'counter', holdDays, pointId: this.d.pointId() }
  }

  clerk(): string {
    return this.config().clerk
  }

  pointLine(): string {
    return this.d.pointId() ?? 'Guichet'
  }

  /** The documents' language and formats, as the clerk has them set right now. */
  doc(): DocLocale {
    const lang = docLanguage(this.d.settingsStore.get(LANGUAGE_KEY), this.d.systemLocale ?? Intl.DateTimeFormat().resolvedOptions().locale)
    return docLocale(lang, this.d.timeZone)
  }

  /** The counter's local day of t, as YYYY-MM-DD, with its bounds. */
  day(t: number): { day: string; start: number; end: number } {
    return dayBounds(t, this.d.timeZone)
  }

  /** "R-20261203-002": the rank-th document of its type on the day of t. */
  docNumber(type: DocumentType, t: number, rank: number): string {
    return documentNumber(type, this.day(t).day, rank)
  }

  codeOf(code: string): { key: string; number: string } {
    const number = normalizeScan(code)
    const key = trackingKey(number)
    if (key.length < 4 || !/^[0-9A-Z]+$/.test(key))
      throw new GuichetError('invalid_input', 'This does not look like a tracking number or AWB.', { field: 'code' })
    return { key, number }
  }

  audit(action: string, parcelId: number | null, detail: Record<string, unknown> | null, reason: string | null = null): void {
    this.q('INSERT INTO counter_audit (at, clerk, action, parcel_id, detail, reason) VALUES (?, ?, ?, ?, ?, ?)').run(
      this.now(),
      this.clerk(),
      action,
      parcelId,
      detail ? JSON.stringify(detail) : null,
      reason
    )
  }

  /**
   * A counter step becomes an event of the shipment's one timeline (source 'counter', Guichet's
   * own status beside the carrier's): the slot as its location, the document's number as its
   * waybill. Unmatched parcels have no shipment yet: their step stays in the audit. The dedupe key
   * makes a repeated step (the same click twice) one event.
   */
  recordStep(shipmentId: number | null, e: CounterStepEvent, key: string | number): void {
    if (shipmentId === null) return
    const s = COUNTER_STEP_STATUS[e.step]
    this.d.shipments.appendEvents(
      shipmentId,
      [
        {
          at: e.at,
          unifiedStatus: s.unified,
          kind: s.kind,
          nativeStatus: counterNative(e.step),
          location: e.slot ?? null,
          waybill: e.document ?? null,
          source: 'counter',
          dedupeKey: `counter|${e.step}|${key}`
        }
      ],
      this.now()
    )
  }

  shipmentByKey(key: string): Shipment | null {
    return this.d.shipments.latestByTrackingKey(key)
  }

  liveByKey(key: string): ParcelRow | undefined {
    return this.q(`SELECT * FROM counter_parcels WHERE tracking_key = ? AND state IN ('on_shelf','to_return')`).get(key) as
      ParcelRow | undefined
  }

  row(id: number): ParcelRow {
    const r = this.q('SELECT * FROM counter_parcels WHERE id = ?').get(id) as ParcelRow | undefined
    if (!r) throw new GuichetError('not_found', `No parcel ${id} at this counter.`, { field: 'parcelId' })
    return r
  }

  rowsWhere(where: string, ...args: unknown[]): ParcelRow[] {
    return this.q(`SELECT * FROM counter_parcels WHERE ${where}`).all(...args) as ParcelRow[]
  }

  parcel(id: number): CounterParcel {
    return this.parcels([this.row(id)])[0]!
  }

  /** Parcel rows as the clerk sees them, with their shipments' facts read in one go. */
  parcels(rows: readonly ParcelRow[]): CounterParcel[] {
    const facts = this.d.shipments.counterFacts(rows.map((r) => r.shipment_id).filter((x): x is number => x !== null))
    const now = this.now()
    const hold = this.config().holdDays
    return rows.map((r) => this.toParcel(r, r.shipment_id !== null ? facts.get(r.shipment_id) : undefined, now, hold))
  }

  private toParcel(r: ParcelRow, f: CounterFacts | undefined, now: number, hold: Record<CarrierId, number>): CounterParcel {
    const carrier = isCarrier(r.carrier) ? r.carrier : null
    const holdDays = holdDaysFor(carrier, hold)
    const exp = expiresAt(r.arrived_at, holdDays)
    return {
      id: r.id,
      trackingNumber: r.tracking_number,
      shipmentId: r.shipment_id,
      carrier,
      origin: r.origin,
      state: r.state,
      slot: r.slot,
      pickupCode: r.pickup_code,
      recipientName: r.recipient_name,
      recipientPhone: r.recipient_phone,
      arrivedAt: iso(r.arrived_at)!,
      damaged: r.damaged === 1,
      damageNote: r.damage_note,
      hasPhoto: r.photo !== null,
      notForPoint: r.not_for_point === 1,
      refusedReason: r.refused_reason,
      holdDays,
      expiresAt: iso(exp)!,
      expired: r.origin === 'driver' && r.state === 'on_shelf' && now > exp,
      ageDays: Math.max(0, Math.floor((now - r.arrived_at) / DAY)),
      carrierStatus: f?.carrierStatus ?? null,
      carrierStatusKind: f?.carrierKind ?? null,
      codAmount: f?.codAmount ?? null,
      currency: f?.currency ?? null,
      handedOverAt: iso(r.handed_over_at),
      match: null
    }
  }

  sessionRow(id: number): SessionRow {
    const s = this.q('SELECT * FROM counter_sessions WHERE id = ?').get(id) as SessionRow | undefined
    if (!s) throw new GuichetError('not_found', `No session ${id}.`, { field: 'sessionId' })
    return s
  }

  openSession(id: number, kind: SessionRow['kind']): SessionRow {
    const s = this.sessionRow(id)
    if (s.kind !== kind)
      throw new GuichetError('invalid_input', `Session ${id} is not a ${kind === 'checkin' ? 'check-in' : 'collection'}.`, {
        field: 'sessionId'
      })
    if (s.closed_at !== null) throw new GuichetError('conflict', `Session ${id} is closed; start a new one.`, { field: 'sessionId' })
    return s
  }

  session(id: number): CounterSession {
    const s = this.sessionRow(id)
    const scanned =
      s.kind === 'checkin'
        ? (this.q('SELECT count(*) AS n FROM counter_parcels WHERE session_id = ?').get(id) as { n: number }).n
        : ((JSON.parse(s.manifest ?? '{}') as { scanned?: number[] }).scanned ?? []).length
    return {
      id: s.id,
      kind: s.kind,
      driver: s.driver,
      announced: s.announced,
      clerk: s.clerk,
      openedAt: iso(s.opened_at)!,
      closedAt: iso(s.closed_at),
      scanned
    }
  }

  /** Gives unmatched parcels their shipment once it is known (a poll, an import, the demo...). */
  matchUnmatched(): number {
    const rows = this.q(
      'SELECT id, tracking_key, origin, state, slot, arrived_at FROM counter_parcels WHERE shipment_id IS NULL'
    ).all() as Array<Pick<ParcelRow, 'id' | 'tracking_key' | 'origin' | 'state' | 'slot' | 'arrived_at'>>
    let n = 0
    for (const r of rows) {
      const hit = this.shipmentByKey(r.tracking_key)
      if (!hit) continue
      this.q(
        `UPDATE counter_parcels SET shipment_id = ?, carrier = ?, tracking_number = ?, recipient_name = coalesce(recipient_name, ?), recipient_phone = coalesce(recipient_phone, ?) WHERE id = ?`
      ).run(hit.id, hit.carrier, hit.trackingNumber, hit.recipientName, hit.recipientPhone, r.id)
      this.audit('matched', r.id, { shipment: hit.id })
      // The shipment's timeline learns when its parcel reached this desk, as if matched at once.
      if (r.state !== 'refused')
        this.recordStep(hit.id, { step: r.origin === 'dropoff' ? 'dropoff' : 'checkin', at: r.arrived_at, slot: r.slot }, r.id)
      n++
    }
    return n
  }
}
