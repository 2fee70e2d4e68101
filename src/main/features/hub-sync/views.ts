// The two views the network adds, read from the desk's own SQLite (they work with the hub gone):
// a point's expected arrivals (what the warehouse sent it, not on its shelf yet) and, at the
// warehouse, the points' counter steps (check-in, hand-over, return) as the hub brought them.
import type { Database } from 'better-sqlite3'
import type { CarrierId, EventKind, UnifiedStatus } from '../../../shared/domain'
import type { ExpectedArrival, PointStep } from '../../../shared/contract/hub'

/** Statuses that say the parcel is not moving yet: registered today, it comes tomorrow at the earliest. */
const NOT_MOVING = new Set<string>(['packaging', 'ready_to_ship'])

/** Local midnight of `now`: "today" is the clerk's day. */
function startOfDay(now: number): number {
  const d = new Date(now)
  d.setHours(0, 0, 0, 0)
  return d.getTime()
}

export function expectedArrivals(db: Database, pointId: string, now: number): ExpectedArrival[] {
  const rows = db
    .prepare(
      `SELECT s.id, s.tracking_number AS trackingNumber, s.carrier, s.account, s.tracking_key AS trackingKey,
              s.recipient_name AS recipientName, s.unified_status AS status, s.status_kind AS statusKind, s.created_at AS createdAt
         FROM shipments s
        WHERE s.point_id = ? AND s.direction = 'forward' AND s.unified_status NOT IN ('delivered','cancelled','return')
          AND NOT EXISTS (SELECT 1 FROM counter_parcels p WHERE p.tracking_key = s.tracking_key)
        ORDER BY s.created_at, s.id`
    )
    .all(pointId) as Array<{
    id: number
    trackingNumber: string
    carrier: CarrierId
    account: string
    trackingKey: string
    recipientName: string
    status: UnifiedStatus
    statusKind: EventKind
    createdAt: number
  }>
  if (rows.length === 0) return []
  // Who sent each one: the desk that registered it, named by the hub. One pass over the point's
  // shipment events in the inbox, not one lookup per parcel.
  const senders = new Map<string, string | null>()
  const inbox = db
    .prepare(
      `SELECT carrier, account, tracking_key AS k, json_extract(body, '$.fromDesk') AS sender FROM hub_inbox
        WHERE kind = 'shipment' AND point_id = ?`
    )
    .all(pointId) as Array<{ carrier: string; account: string; k: string; sender: string | null }>
  for (const r of inbox) senders.set(`${r.carrier}|${r.account}|${r.k}`, r.sender)
  const today = startOfDay(now)
  const list = rows.map((r): ExpectedArrival => {
    const moving = !NOT_MOVING.has(r.status) || r.statusKind === 'out_for_delivery' || r.statusKind === 'waiting_at_point'
    return {
      shipmentId: r.id,
      trackingNumber: r.trackingNumber,
      carrier: r.carrier,
      recipientName: r.recipientName,
      sender: senders.get(`${r.carrier}|${r.account}|${r.trackingKey}`) ?? null,
      status: r.status,
      statusKind: r.statusKind,
      createdAt: new Date(r.createdAt).toISOString(),
      expectedOn: r.createdAt >= today && !moving ? 'tomorrow' : 'today'
    }
  })
  // Today's first (the driver at the door), each day oldest first.
  return [...list.filter((a) => a.expectedOn === 'today'), ...list.filter((a) => a.expectedOn === 'tomorrow')]
}

export function pointSteps(db: Database, limit: number): PointStep[] {
  const rows = db
    .prepare(
      `SELECT desk_id AS deskId, point_id AS pointId, tracking_key AS trackingKey, body, at FROM hub_inbox
        WHERE kind = 'counter' ORDER BY at DESC LIMIT ?`
    )
    .all(limit) as Array<{ deskId: string; pointId: string | null; trackingKey: string | null; body: string; at: number }>
  return rows.map((r) => {
    const b = JSON.parse(r.body) as { action?: string; state?: string | null; trackingNumber?: string | null; fromDesk?: string }
    return {
      deskId: r.deskId,
      deskName: b.fromDesk ?? null,
      pointId: r.pointId,
      trackingKey: r.trackingKey,
      trackingNumber: b.trackingNumber ?? null,
      action: b.action ?? '',
      state: b.state ?? null,
      at: new Date(r.at).toISOString()
    }
  })
}
