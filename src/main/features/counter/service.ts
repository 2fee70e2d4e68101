// The counter's day: parcels in from a driver, on the shelf, out to customers, back to the driver.
// Everything is written locally at once, with the clerk's own time (so it works offline); only the
// carrier events go further, through the outbox. Every step leaves an audit row.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Database, Statement } from 'better-sqlite3'
import { CARRIERS, CARRIER_NAMES, type CarrierId, type EventKind, type UnifiedStatus } from '../../../shared/domain'
import type {
  CarrierSync,
  CheckinResult,
  CheckinWarning,
  CollectionCloseResult,
  CollectionState,
  CounterAuditEntry,
  CounterConfig,
  CounterDayReport,
  CounterParcel,
  CounterParcelState,
  CounterSession,
  CounterStock,
  DropoffResult,
  HandoverResult,
  PrepareReturnResult
} from '../../../shared/contract/counter'
import type { OutboxItem } from '../../../shared/contract/actions'
import type { Settings } from '../../../shared/app'
import { GuichetError } from '../../../shared/result'
import { looksLikeCode, normalizeScan, phoneDigits, trackingKey } from '../../../shared/scan'
import { DAY, iso, type Clock } from '../../platform/clock'
import type { Logger } from '../../platform/logger'
import type { KeyValueStore } from '../../core/settings/settings'
import {
  buildReport,
  checkIdLast,
  dayBounds,
  expiresAt,
  namedDayBounds,
  holdDaysFor,
  reportCsv,
  suggestSlot,
  DEFAULT_HOLD_DAYS,
  type IdType
} from './core'
import { textDocument } from './documents'
import { docLanguage, docLocale, type CheckMethod, type DocLocale } from './words'

/** Settings-store keys (the same store as the app settings). */
export const CLERK_KEY = 'counterClerk'
export const HOLD_DAYS_KEY = 'counterHoldDays'
/** The clerk's language (settings.language), read each time a document is built. */
const LANGUAGE_KEY = 'language' satisfies keyof Settings

/** A second identical hand-over within this window is the same click. */
const SAME_ACTION_MS = 10_000

export interface CounterDeps {
  db: Database
  clock: Clock
  logger: Logger
  settingsStore: KeyValueStore
  /** Where damage photos are kept (data dir). */
  photoDir: string
  /** This desk's point id (settings.point); null: no "not for this point" check. */
  pointId: () => string | null
  /** Queues a hand-over for the carrier, or says why it stays local (the outbox kind decides the call). */
  queueHandover: (p: { shipmentId: number; carrier: CarrierId; handoverId: number; at: number }) => void
  /** Queues a return request for the carrier, or says why it stays local. */
  queueReturn: (p: { shipmentId: number; carrier: CarrierId }) => { outbox: OutboxItem | null; message: string }
  /** Told after any change, with the shipments touched (the UI refreshes). */
  changed?: (shipmentIds: number[]) => void
  random?: () => number
  /** The IANA time zone of the times printed on documents; left out: the machine's own. */
  timeZone?: string
  /** The system locale, for documents while the clerk has picked no language; left out: Intl's default. */
  systemLocale?: string
}

interface ParcelRow {
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
  s_status: UnifiedStatus | null
  s_kind: EventKind | null
  s_cod: number | null
  s_currency: string | null
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

interface ShipmentHit {
  id: number
  carrier: CarrierId
  tracking_number: string
  recipient_name: string
  recipient_phone: string | null
  point_id: string | null
  direction: 'forward' | 'return'
}

const PARCEL_SELECT = `SELECT cp.*, s.unified_status AS s_status, s.status_kind AS s_kind, s.cod_amount AS s_cod, s.currency AS s_currency
  FROM counter_parcels cp LEFT JOIN shipments s ON s.id = cp.shipment_id`

const carrierName = (c: CarrierId | null): string => (c ? CARRIER_NAMES[c] : '?')
const isCarrier = (c: string | null): c is CarrierId => c !== null && (CARRIERS as readonly string[]).includes(c)
const fold = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()

export class CounterService {
  private readonly random: () => number
  private readonly stmts = new Map<string, Statement>()
  /** Prepared once per SQL text: a counter action runs a handful of statements, often. */
  private q(sql: string): Statement {
    let st = this.stmts.get(sql)
    if (!st) this.stmts.set(sql, (st = this.d.db.prepare(sql)))
    return st
  }

  constructor(private readonly d: CounterDeps) {
    this.random = d.random ?? Math.random
  }

  // ---- configuration -------------------------------------------------------------------------

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

  setConfig(input: { clerk?: string; holdDays?: Partial<Record<CarrierId, number>> }): CounterConfig {
    const before = this.config()
    if (input.clerk !== undefined) this.d.settingsStore.set(CLERK_KEY, input.clerk)
    if (input.holdDays) this.d.settingsStore.set(HOLD_DAYS_KEY, { ...before.holdDays, ...input.holdDays })
    const after = this.config()
    this.audit('config', null, { clerk: after.clerk, holdDays: input.holdDays ?? null })
    return after
  }

  // ---- check-in from a driver ----------------------------------------------------------------

  checkinStart(driver: string, announced?: number): CounterSession {
    const now = this.d.clock.now()
    const info = this.q(`INSERT INTO counter_sessions (kind, driver, announced, clerk, opened_at) VALUES ('checkin', ?, ?, ?, ?)`).run(
      driver,
      announced ?? null,
      this.clerk(),
      now
    )
    const id = Number(info.lastInsertRowid)
    this.audit('checkin_start', null, { session: id, driver, announced: announced ?? null })
    return this.session(id)
  }

  checkinScan(input: {
    sessionId: number
    code: string
    damaged?: boolean
    note?: string
    photo?: string
    slot?: string
    refuse?: string
  }): CheckinResult {
    const session = this.openSession(input.sessionId, 'checkin')
    const { key, number } = this.codeOf(input.code)
    this.matchUnmatched()
    const warnings: CheckinWarning[] = []
    const live = this.liveByKey(key)
    if (live) {
      // A second scan of the same parcel (the scanner beeped twice, or it was already here).
      warnings.push('already_here')
      return { parcel: this.toParcel(live), warnings, session: this.session(session.id) }
    }
    const hit = this.shipmentByKey(key)
    const pointId = this.d.pointId()
    const notForPoint = !!(hit && pointId && hit.point_id && hit.point_id !== pointId)
    if (!hit) warnings.push('unmatched')
    if (notForPoint) warnings.push('not_for_point')
    const now = this.d.clock.now()
    const carrier = hit?.carrier ?? null
    const refused = input.refuse !== undefined
    const id = this.d.db.transaction(() => {
      const info = this.q(
        `INSERT INTO counter_parcels (tracking_key, tracking_number, shipment_id, carrier, origin, state, slot, pickup_code,
            recipient_name, recipient_phone, arrived_at, session_id, damaged, damage_note, not_for_point, refused_reason)
          VALUES (?, ?, ?, ?, 'driver', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
      ).run(
        key,
        hit?.tracking_number ?? number,
        hit?.id ?? null,
        carrier,
        refused ? 'refused' : 'on_shelf',
        refused ? null : (input.slot ?? suggestSlot(carrier, now, hit?.recipient_name ?? null)),
        refused ? null : this.newPickupCode(),
        hit?.recipient_name ?? null,
        hit?.recipient_phone ?? null,
        now,
        session.id,
        input.damaged ? 1 : 0,
        input.note ?? null,
        notForPoint ? 1 : 0,
        input.refuse ?? null
      )
      const parcelId = Number(info.lastInsertRowid)
      this.audit(
        refused ? 'checkin_refused' : input.damaged ? 'checkin_damaged' : 'checkin',
        parcelId,
        {
          session: session.id,
          tracking: hit?.tracking_number ?? number,
          warnings
        },
        input.refuse ?? null
      )
      return parcelId
    })()
    if (input.photo) this.savePhoto(id, input.photo)
    const after = this.session(session.id)
    if (after.announced !== null && after.scanned > after.announced) warnings.push('over_announced')
    this.d.changed?.(hit ? [hit.id] : [])
    return { parcel: this.parcel(id), warnings, session: after }
  }

  /** Closes the driver's drop: a count that differs from the announced one needs a reason. */
  checkinClose(sessionId: number, overrideReason?: string): CounterSession {
    const s = this.openSession(sessionId, 'checkin')
    const scanned = this.session(sessionId).scanned
    if (s.announced !== null && scanned !== s.announced && !overrideReason) {
      throw new GuichetError(
        'conflict',
        `Scanned ${scanned} of the ${s.announced} parcels the driver announced: give a reason to close anyway.`,
        { field: 'overrideReason' }
      )
    }
    this.q('UPDATE counter_sessions SET closed_at = ? WHERE id = ?').run(this.d.clock.now(), sessionId)
    this.audit(
      overrideReason ? 'checkin_close_override' : 'checkin_close',
      null,
      { session: sessionId, scanned, announced: s.announced },
      overrideReason ?? null
    )
    return this.session(sessionId)
  }

  setSlot(parcelId: number, slot: string): CounterParcel {
    const p = this.row(parcelId)
    if (p.state !== 'on_shelf' && p.state !== 'to_return') throw new GuichetError('conflict', 'This parcel is no longer on the shelf.')
    this.q('UPDATE counter_parcels SET slot = ? WHERE id = ?').run(slot, parcelId)
    this.audit('slot', parcelId, { from: p.slot, to: slot })
    return this.parcel(parcelId)
  }

  attachPhoto(parcelId: number, photo: string, note?: string): CounterParcel {
    this.row(parcelId)
    this.savePhoto(parcelId, photo)
    this.q('UPDATE counter_parcels SET damaged = 1, damage_note = coalesce(?, damage_note) WHERE id = ?').run(note ?? null, parcelId)
    this.audit('photo', parcelId, { note: note ?? null })
    return this.parcel(parcelId)
  }

  // ---- waiting stock -------------------------------------------------------------------------

  stock(): CounterStock {
    this.matchUnmatched()
    const rows = this.q(`${PARCEL_SELECT} WHERE cp.state IN ('on_shelf','to_return') ORDER BY cp.slot, cp.arrived_at`).all() as ParcelRow[]
    const now = this.d.clock.now()
    const hold = this.config().holdDays
    const parcels = rows.map((r) => this.toParcel(r, now, hold))
    const slots = new Map<string, { slot: string; count: number; oldest: number }>()
    for (const r of rows) {
      const k = r.slot ?? '—'
      const s = slots.get(k) ?? { slot: k, count: 0, oldest: r.arrived_at }
      s.count++
      s.oldest = Math.min(s.oldest, r.arrived_at)
      slots.set(k, s)
    }
    const pointId = this.d.pointId()
    const since = this.d.clock.now() - 30 * DAY
    const missing = pointId
      ? (this.q(
          `SELECT s.id, s.carrier, s.tracking_number, s.recipient_name, s.unified_status, s.status_kind FROM shipments s
            WHERE s.point_id = ? AND (s.status_kind = 'waiting_at_point' OR s.unified_status = 'delivered') AND coalesce(s.status_at, s.updated_at) >= ?
              AND NOT EXISTS (SELECT 1 FROM counter_parcels cp WHERE cp.shipment_id = s.id AND cp.state <> 'refused')
            ORDER BY s.status_at DESC LIMIT 200`
        ).all(pointId, since) as Array<{
          id: number
          carrier: CarrierId
          tracking_number: string
          recipient_name: string
          unified_status: UnifiedStatus
          status_kind: EventKind
        }>)
      : []
    return {
      parcels,
      slots: [...slots.values()]
        .sort((a, b) => a.oldest - b.oldest)
        .map((s) => ({ slot: s.slot, count: s.count, oldestAt: iso(s.oldest)! })),
      carrierDeliveredNotOnShelf: missing.map((m) => ({
        shipmentId: m.id,
        carrier: m.carrier,
        trackingNumber: m.tracking_number,
        recipientName: m.recipient_name,
        status: m.unified_status,
        kind: m.status_kind
      })),
      onShelfCarrierInTransit: parcels.filter(
        (p) =>
          p.state === 'on_shelf' &&
          p.origin === 'driver' &&
          (p.carrierStatus === null ||
            (!['delivered', 'cancelled', 'return', 'delivery_failure'].includes(p.carrierStatus) &&
              p.carrierStatusKind !== 'waiting_at_point'))
      )
    }
  }

  // ---- hand-over -----------------------------------------------------------------------------

  /** The customer's parcels: the one found by scan, code, name or phone, and their others on the shelf. */
  find(query: string): CounterParcel[] {
    this.matchUnmatched()
    const q = normalizeScan(query)
    if (!q) return []
    const onShelf = `${PARCEL_SELECT} WHERE cp.state = 'on_shelf'`
    let found: ParcelRow[] = []
    if (/^\d{6}$/.test(q)) found = this.q(`${onShelf} AND cp.pickup_code = ?`).all(q) as ParcelRow[]
    if (found.length === 0 && looksLikeCode(q)) found = this.q(`${onShelf} AND cp.tracking_key = ?`).all(trackingKey(q)) as ParcelRow[]
    // Name and phone are matched on light rows (id, name, phone); full rows only for the matches.
    type Light = { id: number; recipient_name: string | null; recipient_phone: string | null }
    let light: Light[] | null = null
    const shelf = (): Light[] =>
      (light ??= this.q(`SELECT id, recipient_name, recipient_phone FROM counter_parcels WHERE state = 'on_shelf'`).all() as Light[])
    const full = (ids: number[]): ParcelRow[] =>
      ids.length
        ? (this.q(`${onShelf} AND cp.id IN (SELECT value FROM json_each(?)) ORDER BY cp.id`).all(JSON.stringify(ids)) as ParcelRow[])
        : []
    const phoneTail = (p: string | null) => (p ? phoneDigits(p).slice(-9) : '')
    const digits = phoneDigits(q)
    if (found.length === 0 && digits.length >= 6 && digits.length >= q.replace(/\s/g, '').length - 1) {
      const tail = digits.replace(/^0+/, '')
      found = full(
        shelf()
          .filter((r) => r.recipient_phone && phoneDigits(r.recipient_phone).endsWith(tail))
          .map((r) => r.id)
      )
    }
    if (found.length === 0 && q.length >= 2 && /\p{L}/u.test(q)) {
      const f = fold(q)
      found = full(
        shelf()
          .filter((r) => r.recipient_name && fold(r.recipient_name).includes(f))
          .map((r) => r.id)
      )
    }
    if (found.length === 0) return []
    // The same customer's other parcels come along (same phone, or same name), whatever the carrier.
    const phones = new Set(found.map((r) => phoneTail(r.recipient_phone)).filter(Boolean))
    const names = new Set(found.map((r) => (r.recipient_name ? fold(r.recipient_name) : '')).filter(Boolean))
    const one = found.length === 1 || phones.size === 1 || names.size === 1
    if (!one) return found.map((r) => this.toParcel(r))
    const ids = new Set(found.map((r) => r.id))
    const same = shelf().filter(
      (r) =>
        ids.has(r.id) ||
        (r.recipient_phone && phones.has(phoneTail(r.recipient_phone))) ||
        (r.recipient_name && names.has(fold(r.recipient_name)))
    )
    const now = this.d.clock.now()
    const hold = this.config().holdDays
    return full(same.map((r) => r.id)).map((r) => this.toParcel(r, now, hold))
  }

  handover(input: {
    parcelIds: number[]
    idType?: IdType
    idLast?: string
    pickupCode?: string
    cod?: { amount: number; method: 'cash' | 'card' }
    signature?: string
    overrideReason?: string
  }): HandoverResult {
    const ids = [...new Set(input.parcelIds)]
    const rows = ids.map((id) => this.row(id))
    const now = this.d.clock.now()
    // The same click twice: the first hand-over's receipt again, not an error.
    const prior = rows[0]!.handover_id
    if (
      prior !== null &&
      rows.every((r) => r.handover_id === prior && r.state === 'handed_over') &&
      now - (rows[0]!.handed_over_at ?? 0) <= SAME_ACTION_MS
    ) {
      return this.handoverResult(prior)
    }
    const gone = rows.find((r) => r.state !== 'on_shelf')
    if (gone)
      throw new GuichetError('conflict', `Parcel ${gone.tracking_number} is not on the shelf (${gone.state.replace('_', ' ')}).`, {
        field: 'parcelIds'
      })

    const idLast = input.idLast !== undefined && input.idLast.trim() !== '' ? checkIdLast(input.idLast) : null
    if (idLast && !input.idType) throw new GuichetError('invalid_input', 'Say which ID document was shown.', { field: 'idType' })
    const code = input.pickupCode?.trim() || null
    const codeOk = code !== null && rows.some((r) => r.pickup_code === code)
    if (code !== null && !codeOk && !input.overrideReason)
      throw new GuichetError('invalid_input', 'This pickup code does not match these parcels.', { field: 'pickupCode' })
    const idOk = idLast !== null && !!input.idType
    if (!idOk && !codeOk && !input.overrideReason) {
      throw new GuichetError(
        'invalid_input',
        'Check an ID document (type and last digits) or the pickup code, or give a reason to hand over without.',
        { field: 'idLast' }
      )
    }
    const due = rows.reduce((sum, r) => sum + (r.s_cod ?? 0), 0)
    const currency = rows.find((r) => r.s_cod)?.s_currency ?? null
    if (due > 0) {
      if (!input.cod) {
        if (!input.overrideReason)
          throw new GuichetError(
            'invalid_input',
            `Collect ${due.toFixed(2)} ${currency ?? ''} cash on delivery first.`.replace(' first', ' first').trim(),
            { field: 'cod' }
          )
      } else if (Math.round(input.cod.amount * 100) < Math.round(due * 100) && !input.overrideReason) {
        throw new GuichetError(
          'invalid_input',
          `The amount collected is less than the ${due.toFixed(2)} ${currency ?? ''} due; give a reason to accept it.`,
          { field: 'cod' }
        )
      }
    }
    const method = input.overrideReason && !idOk && !codeOk ? 'override' : idOk && codeOk ? 'id+code' : idOk ? 'id' : 'code'
    const clerk = this.clerk()

    const handoverId = this.d.db.transaction(() => {
      const info = this.q(
        `INSERT INTO counter_handovers (at, clerk, method, id_type, id_last4, cod_amount, cod_currency, cod_method, signature, override_reason, parcel_ids)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
      ).run(
        now,
        clerk,
        method,
        idOk ? input.idType! : null,
        idLast,
        due > 0 || input.cod ? (input.cod?.amount ?? 0) : null,
        currency,
        input.cod?.method ?? null,
        input.signature ?? null,
        input.overrideReason ?? null,
        JSON.stringify(ids)
      )
      const hid = Number(info.lastInsertRowid)
      const upd = this.q(
        `UPDATE counter_parcels SET state = 'handed_over', handover_id = ?, handed_over_at = ? WHERE id = ? AND state = 'on_shelf'`
      )
      for (const r of rows) {
        if (upd.run(hid, now, r.id).changes !== 1)
          throw new GuichetError('conflict', `Parcel ${r.tracking_number} was handed over meanwhile.`)
        this.audit(
          'handover',
          r.id,
          { handover: hid, method, idType: idOk ? input.idType : null, cod: input.cod ?? null },
          input.overrideReason ?? null
        )
      }
      if (input.overrideReason) this.audit('handover_override', null, { handover: hid }, input.overrideReason)
      for (const r of rows) {
        if (r.shipment_id !== null && isCarrier(r.carrier))
          this.d.queueHandover({ shipmentId: r.shipment_id, carrier: r.carrier, handoverId: hid, at: now })
      }
      return hid
    })()
    this.d.changed?.(rows.map((r) => r.shipment_id).filter((x): x is number => x !== null))
    return this.handoverResult(handoverId)
  }

  private handoverResult(handoverId: number): HandoverResult {
    const h = this.q('SELECT * FROM counter_handovers WHERE id = ?').get(handoverId) as {
      at: number
      clerk: string
      method: string
      id_type: IdType | null
      id_last4: string | null
      cod_amount: number | null
      cod_currency: string | null
      cod_method: string | null
      signature: string | null
      override_reason: string | null
      parcel_ids: string
    }
    const parcels = (JSON.parse(h.parcel_ids) as number[]).map((id) => this.parcel(id))
    const L = this.doc()
    const { w } = L
    const carrierSync = parcels.map((p) => this.handoverSync(p, handoverId, L))
    const checked = h.method in w.checkMethod ? w.checkMethod[h.method as CheckMethod] : h.method
    const lines = [
      L.code(this.pointLine()),
      `${L.time(h.at)} · ${h.clerk}`,
      '',
      ...parcels.map((p) => `${carrierName(p.carrier)} ${L.code(p.trackingNumber)}${p.recipientName ? ` · ${p.recipientName}` : ''}`),
      '',
      L.label(w.check, `${checked}${h.id_type ? ` · ${w.idType[h.id_type]} ${L.code(`••••${h.id_last4 ?? ''}`)}` : ''}`),
      ...(h.cod_amount !== null ? [L.label(w.cod, `${L.money(h.cod_amount, h.cod_currency)} (${L.pay(h.cod_method)})`)] : []),
      ...(h.override_reason ? [L.label(w.override, h.override_reason)] : []),
      ...carrierSync.map((c) => c.message)
    ]
    return {
      handoverId,
      at: iso(h.at)!,
      parcels,
      carrierSync,
      receipt: textDocument(w.receiptTitle(handoverId), lines, { signature: h.signature, lang: L.lang })
    }
  }

  /** What happens with the carrier, said on the receipt (so in the receipt's language). */
  private handoverSync(p: CounterParcel, handoverId: number, L: DocLocale): CarrierSync {
    const tracking = L.code(p.trackingNumber)
    if (p.shipmentId === null || !p.carrier)
      return { parcelId: p.id, mode: 'local_only', message: L.w.syncNotMatched(tracking), outbox: null }
    const row = this.q(
      `SELECT id FROM outbox WHERE kind = 'counter_handover' AND shipment_id = ? AND json_extract(payload, '$.handoverId') = ?`
    ).get(p.shipmentId, handoverId) as { id: number } | undefined
    if (row)
      return {
        parcelId: p.id,
        mode: 'outbox',
        message: L.w.syncOutbox(tracking, CARRIER_NAMES[p.carrier]),
        outbox: this.outboxItem(row.id)
      }
    return { parcelId: p.id, mode: 'local_only', message: L.w.syncLocalOnly(tracking, CARRIER_NAMES[p.carrier]), outbox: null }
  }

  /** The outbox row as the UI sees it (set by the backend: the outbox owns the mapping). */
  outboxItem: (id: number) => OutboxItem | null = () => null

  // ---- expired parcels and returns ------------------------------------------------------------

  expired(): CounterParcel[] {
    const now = this.d.clock.now()
    const hold = this.config().holdDays
    // Nothing that arrived within the shortest hold period can have expired: SQL skips it.
    const recent = now - Math.min(...Object.values(hold)) * DAY
    return (
      this.q(`${PARCEL_SELECT} WHERE cp.state = 'on_shelf' AND cp.origin = 'driver' AND cp.arrived_at < ? ORDER BY cp.arrived_at`).all(
        recent
      ) as ParcelRow[]
    )
      .map((r) => this.toParcel(r, now, hold))
      .filter((p) => p.expired)
  }

  prepareReturn(parcelIds: number[]): PrepareReturnResult {
    const ids = [...new Set(parcelIds)]
    const rows = ids.map((id) => this.row(id))
    const bad = rows.find((r) => r.state !== 'on_shelf' && r.state !== 'to_return')
    if (bad)
      throw new GuichetError('conflict', `Parcel ${bad.tracking_number} is not on the shelf (${bad.state.replace('_', ' ')}).`, {
        field: 'parcelIds'
      })
    const now = this.d.clock.now()
    const sync: CarrierSync[] = []
    this.d.db.transaction(() => {
      for (const r of rows) {
        if (r.state === 'on_shelf') {
          this.q(`UPDATE counter_parcels SET state = 'to_return', return_at = ? WHERE id = ?`).run(now, r.id)
          this.audit('prepare_return', r.id, { tracking: r.tracking_number })
        }
        // Dropped-off returns already travel on their own return label: nothing to ask the carrier.
        if (r.origin === 'driver' && r.shipment_id !== null && isCarrier(r.carrier)) {
          const q = this.d.queueReturn({ shipmentId: r.shipment_id, carrier: r.carrier })
          sync.push({
            parcelId: r.id,
            mode: q.outbox ? 'outbox' : 'local_only',
            message: `${r.tracking_number}: ${q.message}`,
            outbox: q.outbox
          })
        } else {
          sync.push({ parcelId: r.id, mode: 'local_only', message: `${r.tracking_number}: recorded here only.`, outbox: null })
        }
      }
    })()
    const parcels = ids.map((id) => this.parcel(id))
    this.d.changed?.(rows.map((r) => r.shipment_id).filter((x): x is number => x !== null))
    const L = this.doc()
    const lines = [
      L.code(this.pointLine()),
      `${L.time(now)} · ${this.clerk()}`,
      '',
      ...parcels.map((p) => `[ ] ${L.code(p.slot ?? '')} ${carrierName(p.carrier)} ${L.code(p.trackingNumber)}`),
      '',
      L.w.toReturn(L.parcels(parcels.length))
    ]
    return { parcels, carrierSync: sync, manifest: textDocument(L.w.returnTitle, lines, { widthMm: 210, lang: L.lang }) }
  }

  /** A customer's return: scanned from its return label or AWB, shelved for the driver. */
  dropoff(code: string, slot?: string): DropoffResult {
    const { key, number } = this.codeOf(code)
    this.matchUnmatched()
    const live = this.liveByKey(key)
    if (live) {
      if (live.origin !== 'dropoff')
        throw new GuichetError('conflict', `Parcel ${live.tracking_number} is already on the shelf as a parcel to collect.`)
      return { parcel: this.toParcel(live), receipt: this.dropoffReceipt(this.toParcel(live)) }
    }
    const hit = this.shipmentByKey(key)
    const now = this.d.clock.now()
    const carrier = hit?.carrier ?? null
    const id = this.d.db.transaction(() => {
      const info = this.q(
        `INSERT INTO counter_parcels (tracking_key, tracking_number, shipment_id, carrier, origin, state, slot, recipient_name, recipient_phone, arrived_at)
          VALUES (?, ?, ?, ?, 'dropoff', 'to_return', ?, ?, ?, ?)`
      ).run(
        key,
        hit?.tracking_number ?? number,
        hit?.id ?? null,
        carrier,
        slot ?? `RET-${carrier ? suggestSlot(carrier, now, null).slice(0, 2) : '??'}`,
        hit?.recipient_name ?? null,
        hit?.recipient_phone ?? null,
        now
      )
      const pid = Number(info.lastInsertRowid)
      this.q('UPDATE counter_parcels SET return_at = ? WHERE id = ?').run(now, pid)
      this.audit('dropoff', pid, { tracking: hit?.tracking_number ?? number, matched: !!hit })
      return pid
    })()
    const parcel = this.parcel(id)
    this.d.changed?.(hit ? [hit.id] : [])
    return { parcel, receipt: this.dropoffReceipt(parcel) }
  }

  private dropoffReceipt(p: CounterParcel): DropoffResult['receipt'] {
    const L = this.doc()
    return textDocument(
      L.w.dropoffTitle(p.id),
      [
        L.code(this.pointLine()),
        `${L.time(Date.parse(p.arrivedAt))} · ${this.clerk()}`,
        '',
        `${p.carrier ? CARRIER_NAMES[p.carrier] : L.w.carrierNotKnownYet} ${L.code(p.trackingNumber)}`,
        L.w.withNextCollection
      ],
      { lang: L.lang }
    )
  }

  // ---- driver collection ---------------------------------------------------------------------

  collectionStart(driver: string): CollectionState {
    const now = this.d.clock.now()
    const expected = (
      this.q(`SELECT id FROM counter_parcels WHERE state = 'to_return' ORDER BY slot, arrived_at`).all() as Array<{ id: number }>
    ).map((r) => r.id)
    const info = this.q(`INSERT INTO counter_sessions (kind, driver, clerk, opened_at, manifest) VALUES ('collection', ?, ?, ?, ?)`).run(
      driver,
      this.clerk(),
      now,
      JSON.stringify({ expected, scanned: [], unexpected: [] })
    )
    const id = Number(info.lastInsertRowid)
    this.audit('collection_start', null, { session: id, driver, expected: expected.length })
    return this.collectionState(id)
  }

  collectionScan(sessionId: number, code: string): CollectionState & { matched: boolean } {
    const s = this.openSession(sessionId, 'collection')
    const { key, number } = this.codeOf(code)
    const m = JSON.parse(s.manifest ?? '{}') as { expected: number[]; scanned: number[]; unexpected: string[] }
    const hit = this.q(`SELECT id FROM counter_parcels WHERE tracking_key = ? AND id IN (SELECT value FROM json_each(?))`).get(
      key,
      JSON.stringify(m.expected)
    ) as { id: number } | undefined
    if (hit) {
      if (!m.scanned.includes(hit.id)) m.scanned.push(hit.id)
    } else if (!m.unexpected.includes(number)) {
      m.unexpected.push(number)
    }
    this.q('UPDATE counter_sessions SET manifest = ? WHERE id = ?').run(JSON.stringify(m), sessionId)
    this.audit(hit ? 'collection_scan' : 'collection_unexpected', hit?.id ?? null, { session: sessionId, tracking: number })
    return { ...this.collectionState(sessionId), matched: !!hit }
  }

  /** The driver signs; what was scanned leaves. Missing parcels stay and need a reason. */
  collectionClose(sessionId: number, signature?: string, overrideReason?: string): CollectionCloseResult {
    const s = this.openSession(sessionId, 'collection')
    const state = this.collectionState(sessionId)
    if ((state.missing.length > 0 || state.unexpected.length > 0) && !overrideReason) {
      throw new GuichetError(
        'conflict',
        `${state.missing.length} missing and ${state.unexpected.length} unexpected: give a reason to close with these differences.`,
        { field: 'overrideReason' }
      )
    }
    const now = this.d.clock.now()
    this.d.db.transaction(() => {
      const upd = this.q(
        `UPDATE counter_parcels SET state = 'collected', collection_id = ?, collected_at = ? WHERE id = ? AND state = 'to_return'`
      )
      for (const id of state.scannedIds) {
        upd.run(sessionId, now, id)
        this.audit('collected', id, { session: sessionId })
      }
      this.q('UPDATE counter_sessions SET closed_at = ?, signature = ? WHERE id = ?').run(now, signature ?? null, sessionId)
      this.audit(
        overrideReason ? 'collection_close_override' : 'collection_close',
        null,
        { session: sessionId, missing: state.missing.map((p) => p.trackingNumber), unexpected: state.unexpected },
        overrideReason ?? null
      )
    })()
    const after = this.collectionState(sessionId)
    const leaving = after.expected.filter((p) => after.scannedIds.includes(p.id))
    const L = this.doc()
    const { w } = L
    const lines = [
      L.code(this.pointLine()),
      `${L.time(now)} · ${this.clerk()} · ${w.driver} ${s.driver}`,
      '',
      ...leaving.map(
        (p) => `[x] ${p.origin === 'dropoff' ? w.returnTag : w.expiredTag} ${carrierName(p.carrier)} ${L.code(p.trackingNumber)}`
      ),
      ...after.missing.map((p) => `[ ] ${w.missingTag} ${L.code(p.trackingNumber)}`),
      ...after.unexpected.map((t) => `[!] ${w.notOnManifestTag} ${L.code(t)}`),
      '',
      w.handedToDriver(L.parcels(leaving.length)),
      ...(overrideReason ? [L.label(w.differencesAccepted, overrideReason)] : [])
    ]
    return {
      state: after,
      manifest: textDocument(w.collectionTitle(sessionId), lines, { widthMm: 210, signature: signature ?? null, lang: L.lang })
    }
  }

  collectionState(sessionId: number): CollectionState {
    const s = this.sessionRow(sessionId)
    const m = JSON.parse(s.manifest ?? '{}') as { expected?: number[]; scanned?: number[]; unexpected?: string[] }
    const expected = (m.expected ?? []).map((id) => this.parcel(id))
    const scannedIds = m.scanned ?? []
    return {
      session: this.session(sessionId),
      expected,
      scannedIds,
      unexpected: m.unexpected ?? [],
      missing: expected.filter((p) => !scannedIds.includes(p.id))
    }
  }

  // ---- end of day ----------------------------------------------------------------------------

  endOfDay(day?: string): CounterDayReport {
    const { day: name, start, end } = day ? namedDayBounds(day, this.d.timeZone) : dayBounds(this.d.clock.now(), this.d.timeZone)
    const between = (col: string) => this.q(`${PARCEL_SELECT} WHERE cp.${col} >= ? AND cp.${col} < ?`).all(start, end) as ParcelRow[]
    const arrived = between('arrived_at')
    const handovers = this.q('SELECT * FROM counter_handovers WHERE at >= ? AND at < ?').all(start, end) as Array<{
      cod_amount: number | null
      cod_currency: string | null
      cod_method: string | null
      parcel_ids: string
    }>
    const info = (id: number) => {
      const r = this.q(
        'SELECT cp.carrier, s.cod_amount FROM counter_parcels cp LEFT JOIN shipments s ON s.id = cp.shipment_id WHERE cp.id = ?'
      ).get(id) as { carrier: string | null; cod_amount: number | null } | undefined
      return { carrier: r && isCarrier(r.carrier) ? r.carrier : null, cod: (r?.cod_amount ?? 0) > 0 }
    }
    const handedOver: Parameters<typeof buildReport>[0]['handedOver'] = []
    for (const h of handovers) {
      const parcels = (JSON.parse(h.parcel_ids) as number[]).map(info)
      // One COD line per hand-over, on the carrier of the parcel that carried the COD (else the first).
      const codAt = Math.max(
        0,
        parcels.findIndex((p) => p.cod)
      )
      parcels.forEach((p, i) =>
        handedOver.push({
          carrier: p.carrier,
          codAmount: i === codAt ? h.cod_amount : null,
          currency: h.cod_currency,
          codMethod: h.cod_method
        })
      )
    }
    const overrides = (
      this.q(`SELECT count(*) AS n FROM counter_audit WHERE reason IS NOT NULL AND action LIKE '%override%' AND at >= ? AND at < ?`).get(
        start,
        end
      ) as { n: number }
    ).n
    const onShelf = (this.q(`SELECT count(*) AS n FROM counter_parcels WHERE state IN ('on_shelf','to_return')`).get() as { n: number }).n
    const c = (r: ParcelRow) => (isCarrier(r.carrier) ? r.carrier : null)
    const report = buildReport({
      day: name,
      checkedIn: arrived
        .filter((r) => r.origin === 'driver' && r.state !== 'refused')
        .map((r) => ({ carrier: c(r), damaged: r.damaged === 1, notForPoint: r.not_for_point === 1, unmatched: r.shipment_id === null })),
      refused: arrived.filter((r) => r.state === 'refused').map((r) => ({ carrier: c(r) })),
      handedOver,
      droppedOff: arrived.filter((r) => r.origin === 'dropoff').map((r) => ({ carrier: c(r) })),
      collected: between('collected_at').map((r) => ({ carrier: c(r) })),
      preparedForReturn: between('return_at')
        .filter((r) => r.origin === 'driver')
        .map((r) => ({ carrier: c(r) })),
      overrides,
      onShelf
    })
    const t = report.totals
    const x = report.exceptions
    const L = this.doc()
    const { w } = L
    const lines = [
      L.code(this.pointLine()),
      w.reportIn(t.in, t.droppedOff, t.refused),
      w.reportOut(t.out, t.handedOver, t.collected),
      w.reportReturns(t.preparedForReturn, t.onShelf),
      w.reportExceptions(x.damaged, x.notForPoint, x.unmatched, x.overrides),
      '',
      ...report.carriers.flatMap((l) => [
        w.reportCarrier(l.carrier === 'unknown' ? w.unknownCarrier : CARRIER_NAMES[l.carrier], l.in, l.out, l.handedOver),
        ...l.cod.map((c) => `   ${w.cod} ${L.money(c.cents / 100, c.currency)} ${L.pay(c.method)} (${c.count})`)
      ])
    ]
    this.audit('end_of_day', null, { day: name })
    return { ...report, csv: reportCsv(report), document: textDocument(w.dayTitle(L.day(name)), lines, { widthMm: 210, lang: L.lang }) }
  }

  auditLog(limit: number): CounterAuditEntry[] {
    return (
      this.q('SELECT * FROM counter_audit ORDER BY id DESC LIMIT ?').all(limit) as Array<{
        id: number
        at: number
        clerk: string
        action: string
        parcel_id: number | null
        detail: string | null
        reason: string | null
      }>
    ).map((r) => ({
      id: r.id,
      at: iso(r.at)!,
      clerk: r.clerk,
      action: r.action,
      parcelId: r.parcel_id,
      detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
      reason: r.reason
    }))
  }

  /** Gives unmatched parcels their shipment once it is known (a poll, an import, the demo...). */
  matchUnmatched(): number {
    const rows = this.q('SELECT id, tracking_key FROM counter_parcels WHERE shipment_id IS NULL').all() as Array<{
      id: number
      tracking_key: string
    }>
    let n = 0
    for (const r of rows) {
      const hit = this.shipmentByKey(r.tracking_key)
      if (!hit) continue
      this.q(
        `UPDATE counter_parcels SET shipment_id = ?, carrier = ?, tracking_number = ?, recipient_name = coalesce(recipient_name, ?), recipient_phone = coalesce(recipient_phone, ?) WHERE id = ?`
      ).run(hit.id, hit.carrier, hit.tracking_number, hit.recipient_name, hit.recipient_phone, r.id)
      this.audit('matched', r.id, { shipment: hit.id })
      n++
    }
    return n
  }

  // ---- helpers -------------------------------------------------------------------------------

  private clerk(): string {
    return this.config().clerk
  }

  private pointLine(): string {
    return this.d.pointId() ?? 'Guichet'
  }

  /** The documents' language and formats, as the clerk has them set right now. */
  private doc(): DocLocale {
    const lang = docLanguage(this.d.settingsStore.get(LANGUAGE_KEY), this.d.systemLocale ?? Intl.DateTimeFormat().resolvedOptions().locale)
    return docLocale(lang, this.d.timeZone)
  }

  private codeOf(code: string): { key: string; number: string } {
    const number = normalizeScan(code)
    const key = trackingKey(number)
    if (key.length < 4 || !/^[0-9A-Z]+$/.test(key))
      throw new GuichetError('invalid_input', 'This does not look like a tracking number or AWB.', { field: 'code' })
    return { key, number }
  }

  private newPickupCode(): string {
    return String(Math.floor(this.random() * 1_000_000)).padStart(6, '0')
  }

  private savePhoto(parcelId: number, dataUrl: string): void {
    const m = /^data:image\/(jpeg|png|webp);base64,(.+)$/.exec(dataUrl)
    if (!m) throw new GuichetError('invalid_input', 'A JPEG, PNG or WebP image.', { field: 'photo' })
    const bytes = Buffer.from(m[2]!, 'base64')
    if (bytes.length === 0) throw new GuichetError('invalid_input', 'The photo is empty.', { field: 'photo' })
    const name = `parcel-${parcelId}-${this.d.clock.now()}.${m[1] === 'jpeg' ? 'jpg' : m[1]}`
    try {
      mkdirSync(this.d.photoDir, { recursive: true })
      writeFileSync(join(this.d.photoDir, name), bytes)
    } catch (e) {
      this.d.logger.error('counter.photo_failed', { parcelId, error: e instanceof Error ? e.message : String(e) })
      throw new GuichetError('storage', 'The photo could not be saved; the parcel is recorded without it.', { retryable: true })
    }
    this.q('UPDATE counter_parcels SET photo = ? WHERE id = ?').run(name, parcelId)
  }

  private audit(action: string, parcelId: number | null, detail: Record<string, unknown> | null, reason: string | null = null): void {
    this.q('INSERT INTO counter_audit (at, clerk, action, parcel_id, detail, reason) VALUES (?, ?, ?, ?, ?, ?)').run(
      this.d.clock.now(),
      this.clerk(),
      action,
      parcelId,
      detail ? JSON.stringify(detail) : null,
      reason
    )
  }

  private liveByKey(key: string): ParcelRow | undefined {
    return this.q(`${PARCEL_SELECT} WHERE cp.tracking_key = ? AND cp.state IN ('on_shelf','to_return')`).get(key) as ParcelRow | undefined
  }

  private shipmentByKey(key: string): ShipmentHit | undefined {
    return this.q(
      'SELECT id, carrier, tracking_number, recipient_name, recipient_phone, point_id, direction FROM shipments WHERE tracking_key = ? ORDER BY id DESC LIMIT 1'
    ).get(key) as ShipmentHit | undefined
  }

  private row(id: number): ParcelRow {
    const r = this.q(`${PARCEL_SELECT} WHERE cp.id = ?`).get(id) as ParcelRow | undefined
    if (!r) throw new GuichetError('not_found', `No parcel ${id} at this counter.`, { field: 'parcelId' })
    return r
  }

  parcel(id: number): CounterParcel {
    return this.toParcel(this.row(id))
  }

  private sessionRow(id: number): SessionRow {
    const s = this.q('SELECT * FROM counter_sessions WHERE id = ?').get(id) as SessionRow | undefined
    if (!s) throw new GuichetError('not_found', `No session ${id}.`, { field: 'sessionId' })
    return s
  }

  private openSession(id: number, kind: SessionRow['kind']): SessionRow {
    const s = this.sessionRow(id)
    if (s.kind !== kind)
      throw new GuichetError('invalid_input', `Session ${id} is not a ${kind === 'checkin' ? 'check-in' : 'collection'}.`, {
        field: 'sessionId'
      })
    if (s.closed_at !== null) throw new GuichetError('conflict', `Session ${id} is closed; start a new one.`, { field: 'sessionId' })
    return s
  }

  private session(id: number): CounterSession {
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

  private toParcel(r: ParcelRow, now = this.d.clock.now(), hold: Record<CarrierId, number> = this.config().holdDays): CounterParcel {
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
      carrierStatus: r.s_status,
      carrierStatusKind: r.s_kind,
      codAmount: r.s_cod,
      currency: r.s_currency,
      handedOverAt: iso(r.handed_over_at)
    }
  }
}
