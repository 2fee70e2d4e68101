// Check-in: a driver's drop, parcel by parcel, each shelved in a slot with its pickup code (or
// refused at the door). Each accepted parcel becomes a "checked in, slot …" event of its shipment.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CheckinResult, CheckinWarning, CounterParcel, CounterSession } from '../../../shared/contract/counter'
import { GuichetError } from '../../../shared/result'
import { suggestSlot } from './core'
import type { CounterContext } from './context'

export class Checkin {
  constructor(private readonly c: CounterContext) {}

  start(driver: string, announced?: number): CounterSession {
    const now = this.c.now()
    const info = this.c
      .q(`INSERT INTO counter_sessions (kind, driver, announced, clerk, opened_at) VALUES ('checkin', ?, ?, ?, ?)`)
      .run(driver, announced ?? null, this.c.clerk(), now)
    const id = Number(info.lastInsertRowid)
    this.c.audit('checkin_start', null, { session: id, driver, announced: announced ?? null })
    return this.c.session(id)
  }

  scan(input: {
    sessionId: number
    code: string
    damaged?: boolean
    note?: string
    photo?: string
    slot?: string
    refuse?: string
  }): CheckinResult {
    const c = this.c
    const session = c.openSession(input.sessionId, 'checkin')
    const { key, number } = c.codeOf(input.code)
    c.matchUnmatched()
    const warnings: CheckinWarning[] = []
    const live = c.liveByKey(key)
    if (live) {
      // A second scan of the same parcel (the scanner beeped twice, or it was already here).
      warnings.push('already_here')
      return { parcel: c.parcels([live])[0]!, warnings, session: c.session(session.id) }
    }
    const hit = c.shipmentByKey(key)
    const pointId = c.d.pointId()
    const notForPoint = !!(hit && pointId && hit.point && hit.point.id !== pointId)
    if (!hit) warnings.push('unmatched')
    if (notForPoint) warnings.push('not_for_point')
    const now = c.now()
    const carrier = hit?.carrier ?? null
    const refused = input.refuse !== undefined
    const slot = refused ? null : (input.slot ?? suggestSlot(carrier, now, hit?.recipientName ?? null))
    const id = c.d.db.transaction(() => {
      const info = c
        .q(
          `INSERT INTO counter_parcels (tracking_key, tracking_number, shipment_id, carrier, origin, state, slot, pickup_code,
            recipient_name, recipient_phone, arrived_at, session_id, damaged, damage_note, not_for_point, refused_reason)
          VALUES (?, ?, ?, ?, 'driver', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
        )
        .run(
          key,
          hit?.trackingNumber ?? number,
          hit?.id ?? null,
          carrier,
          refused ? 'refused' : 'on_shelf',
          slot,
          refused ? null : this.newPickupCode(),
          hit?.recipientName ?? null,
          hit?.recipientPhone ?? null,
          now,
          session.id,
          input.damaged ? 1 : 0,
          input.note ?? null,
          notForPoint ? 1 : 0,
          input.refuse ?? null
        )
      const parcelId = Number(info.lastInsertRowid)
      c.audit(
        refused ? 'checkin_refused' : input.damaged ? 'checkin_damaged' : 'checkin',
        parcelId,
        { session: session.id, tracking: hit?.trackingNumber ?? number, warnings },
        input.refuse ?? null
      )
      if (!refused && hit) c.recordStep(hit.id, { step: 'checkin', at: now, slot }, parcelId)
      return parcelId
    })()
    if (input.photo) this.savePhoto(id, input.photo)
    const after = c.session(session.id)
    if (after.announced !== null && after.scanned > after.announced) warnings.push('over_announced')
    c.d.changed?.(hit ? [hit.id] : [])
    return { parcel: c.parcel(id), warnings, session: after }
  }

  /** Closes the driver's drop: a count that differs from the announced one needs a reason. */
  close(sessionId: number, overrideReason?: string): CounterSession {
    const s = this.c.openSession(sessionId, 'checkin')
    const scanned = this.c.session(sessionId).scanned
    if (s.announced !== null && scanned !== s.announced && !overrideReason) {
      throw new GuichetError(
        'conflict',
        `Scanned ${scanned} of the ${s.announced} parcels the driver announced: give a reason to close anyway.`,
        { field: 'overrideReason' }
      )
    }
    this.c.q('UPDATE counter_sessions SET closed_at = ? WHERE id = ?').run(this.c.now(), sessionId)
    this.c.audit(
      overrideReason ? 'checkin_close_override' : 'checkin_close',
      null,
      { session: sessionId, scanned, announced: s.announced },
      overrideReason ?? null
    )
    return this.c.session(sessionId)
  }

  /** A parcel moved on the shelf: the timeline says where it is now. */
  setSlot(parcelId: number, slot: string): CounterParcel {
    const p = this.c.row(parcelId)
    if (p.state !== 'on_shelf' && p.state !== 'to_return') throw new GuichetError('conflict', 'This parcel is no longer on the shelf.')
    const now = this.c.now()
    this.c.d.db.transaction(() => {
      this.c.q('UPDATE counter_parcels SET slot = ? WHERE id = ?').run(slot, parcelId)
      this.c.audit('slot', parcelId, { from: p.slot, to: slot })
      if (p.state === 'on_shelf') this.c.recordStep(p.shipment_id, { step: 'checkin', at: now, slot }, `${parcelId}|${slot}|${now}`)
    })()
    this.c.d.changed?.(p.shipment_id !== null ? [p.shipment_id] : [])
    return this.c.parcel(parcelId)
  }

  attachPhoto(parcelId: number, photo: string, note?: string): CounterParcel {
    this.c.row(parcelId)
    this.savePhoto(parcelId, photo)
    this.c.q('UPDATE counter_parcels SET damaged = 1, damage_note = coalesce(?, damage_note) WHERE id = ?').run(note ?? null, parcelId)
    this.c.audit('photo', parcelId, { note: note ?? null })
    return this.c.parcel(parcelId)
  }

  private newPickupCode(): string {
    return String(Math.floor(this.c.random() * 1_000_000)).padStart(6, '0')
  }

  private savePhoto(parcelId: number, dataUrl: string): void {
    const m = /^data:image\/(jpeg|png|webp);base64,(.+)$/.exec(dataUrl)
    if (!m) throw new GuichetError('invalid_input', 'A JPEG, PNG or WebP image.', { field: 'photo' })
    const bytes = Buffer.from(m[2]!, 'base64')
    if (bytes.length === 0) throw new GuichetError('invalid_input', 'The photo is empty.', { field: 'photo' })
    const name = `parcel-${parcelId}-${this.c.now()}.${m[1] === 'jpeg' ? 'jpg' : m[1]}`
    try {
      mkdirSync(this.c.d.photoDir, { recursive: true })
      writeFileSync(join(this.c.d.photoDir, name), bytes)
    } catch (e) {
      this.c.d.logger.error('counter.photo_failed', { parcelId, error: e instanceof Error ? e.message : String(e) })
      throw new GuichetError('storage', 'The photo could not be saved; the parcel is recorded without it.', { retryable: true })
    }
    this.c.q('UPDATE counter_parcels SET photo = ? WHERE id = ?').run(name, parcelId)
  }
}
