// Applying what the hub fanned out, in one SQLite transaction with the new cursor: a crash
// before the commit pulls the same events again; (author desk, seq) in hub_inbox keeps each once.
// Events are facts and never conflict: a shipment another desk registered is added if this desk
// does not have it, a carrier status is added once (its dedupe key) and becomes the current one
// only if it is the newest, a remark once. Counter steps and write states are kept in the inbox,
// where the warehouse view reads them.
import type { Database } from 'better-sqlite3'
import type { PulledEvent } from '../../../shared/hub/contract'

const s = (v: unknown): string | null => (typeof v === 'string' ? v : null)
const n = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

export function applyPulled(db: Database, events: readonly PulledEvent[], cursor: number, now: number): Set<string> {
  const applied = new Set<string>()
  const inbox = db.prepare(
    `INSERT INTO hub_inbox (desk_id, seq, cursor, kind, at, carrier, account, tracking_key, point_id, body)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
  )
  const shipmentOf = db.prepare('SELECT id, status_at FROM shipments WHERE carrier = ? AND account = ? AND tracking_key = ?')
  const insertShipment = db.prepare(
    `INSERT INTO shipments (carrier, account, tracking_number, tracking_key, reference, recipient_name, recipient_phone,
       point_id, point_name, point_address, point_type, direction, cod_amount, currency, weight_grams, unified_status,
       created_at, updated_at, next_check_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (carrier, account, tracking_key) DO NOTHING`
  )
  const insertStatus = db.prepare(
    `INSERT INTO tracking_events (shipment_id, at, unified_status, kind, native_status, native_label, description, location,
       comment, waybill, source, recorded_at, dedupe_key)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (shipment_id, dedupe_key) DO NOTHING`
  )
  const current = db.prepare(
    `UPDATE shipments SET unified_status = ?, status_kind = ?, native_status = ?, native_label = ?, status_at = ?, updated_at = ?
     WHERE id = ? AND coalesce(status_at, 0) <= ?`
  )
  const insertRemark = db.prepare(
    `INSERT INTO remarks (shipment_id, text, author, origin, state, created_at, dedupe_key) VALUES (?, ?, ?, ?, 'sent', ?, ?)
     ON CONFLICT (shipment_id, dedupe_key) DO NOTHING`
  )

  db.transaction(() => {
    // Silences the hub_log triggers: what the hub sent is not logged back to it.
    db.prepare('INSERT INTO hub_applying (x) VALUES (1)').run()
    for (const e of events) {
      const first = inbox.run(
        e.deskId,
        e.seq,
        e.cursor,
        e.kind,
        e.at,
        e.carrier,
        e.account,
        e.trackingKey,
        e.pointId,
        // The author's name rides with the fact, for "sent by" in the point's expected arrivals.
        JSON.stringify(e.deskName ? { ...e.body, fromDesk: e.deskName } : e.body)
      )
      if (first.changes === 0) continue
      const b = e.body
      if (e.kind === 'shipment' && e.carrier && e.account && e.trackingKey) {
        const r = insertShipment.run(
          e.carrier,
          e.account,
          s(b.trackingNumber) ?? e.trackingKey,
          e.trackingKey,
          s(b.reference),
          s(b.recipientName) ?? '',
          s(b.recipientPhone),
          e.pointId,
          s(b.pointName),
          s(b.pointAddress),
          s(b.pointType),
          b.direction === 'return' ? 'return' : 'forward',
          n(b.codAmount),
          s(b.currency),
          n(b.weightGrams),
          s(b.unifiedStatus) ?? 'packaging',
          e.at,
          now,
          n(b.nextCheckAt)
        )
        if (r.changes > 0) applied.add('shipment')
      } else if ((e.kind === 'status' || e.kind === 'remark') && e.carrier && e.account && e.trackingKey) {
        const ship = shipmentOf.get(e.carrier, e.account, e.trackingKey) as { id: number } | undefined
        if (!ship) continue // kept in the inbox; a shipment this desk does not follow
        const dedupe = s(b.dedupeKey) ?? `hub:${e.deskId}:${e.seq}`
        if (e.kind === 'status') {
          const status = s(b.unifiedStatus) ?? 'packaging'
          const kind = s(b.eventKind) ?? 'status'
          const native = s(b.nativeStatus) ?? ''
          const r = insertStatus.run(
            ship.id,
            e.at,
            status,
            kind,
            native,
            s(b.nativeLabel),
            s(b.description),
            s(b.location),
            s(b.comment),
            s(b.waybill),
            s(b.source) ?? 'poll',
            now,
            dedupe
          )
          if (r.changes > 0) {
            current.run(status, kind, native, s(b.nativeLabel), e.at, now, ship.id, e.at)
            applied.add('status')
          }
        } else {
          const r = insertRemark.run(ship.id, s(b.text) ?? '', s(b.author), b.origin === 'carrier' ? 'carrier' : 'local', e.at, dedupe)
          if (r.changes > 0) applied.add('remark')
        }
      } else {
        applied.add(e.kind)
      }
    }
    db.prepare('UPDATE hub_link SET cursor = max(cursor, ?), last_ok_at = ? WHERE id = 1').run(cursor, now)
    db.prepare('DELETE FROM hub_applying').run()
  })()
  return applied
}
