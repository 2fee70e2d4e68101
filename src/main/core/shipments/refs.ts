// Table owner: `shipments`, with shipments.repo.ts (rows created, and the lookup screens' reads).
// These are the keyed reads and the few column writes other modules need (the poller's due list,
// the outbox's reference, a point or a tracking number set later), so that no feature runs its own
// SQL on this table. Status, schedule and carrier_data columns are written by the status pipeline
// only (core/pipeline), in the same transaction as the events.
import type { Database, Statement } from 'better-sqlite3'
import type { CarrierId, DeliveryPoint } from '../../../shared/domain'
import { trackingKey } from '../../../shared/scan'

/** What other modules need to name a shipment to its carrier. */
export interface ShipmentRef {
  id: number
  carrier: CarrierId
  account: string
  trackingNumber: string
  direction: 'forward' | 'return'
  parentId: number | null
}

interface Raw {
  id: number
  carrier: CarrierId
  account: string
  tracking_number: string
  direction: 'forward' | 'return'
  parent_id: number | null
}

const toRef = (r: Raw): ShipmentRef => ({
  id: r.id,
  carrier: r.carrier,
  account: r.account,
  trackingNumber: r.tracking_number,
  direction: r.direction,
  parentId: r.parent_id
})

const COLUMNS = 'id, carrier, account, tracking_number, direction, parent_id'

export class ShipmentRefs {
  private readonly s: Record<
    'byId' | 'byAccountKey' | 'byKey' | 'due' | 'topUp' | 'countDue' | 'lastGood' | 'setPoint' | 'setTracking',
    Statement
  >

  constructor(db: Database) {
    this.s = {
      byId: db.prepare(`SELECT ${COLUMNS} FROM shipments WHERE id = ?`),
      byAccountKey: db.prepare(`SELECT ${COLUMNS} FROM shipments WHERE carrier = ? AND account = ? AND tracking_key = ?`),
      byKey: db.prepare(`SELECT ${COLUMNS} FROM shipments WHERE tracking_key = ? ORDER BY id DESC LIMIT 1`),
      // The unary + keeps SQLite on the due index (only due rows are read) rather than the
      // (carrier, account, tracking_key) index, which would read every shipment of the account.
      due: db.prepare(
        `SELECT ${COLUMNS} FROM shipments WHERE next_check_at <= ? AND +carrier = ? AND +account = ?
         ORDER BY next_check_at, id LIMIT ?`
      ),
      topUp: db.prepare(
        `SELECT ${COLUMNS} FROM shipments WHERE next_check_at > ? AND next_check_at <= ? AND +carrier = ? AND +account = ?
         ORDER BY next_check_at, id LIMIT ?`
      ),
      countDue: db.prepare('SELECT count(*) AS n FROM shipments WHERE next_check_at <= ?'),
      lastGood: db.prepare('SELECT max(last_good_check_at) AS t FROM shipments'),
      setPoint: db.prepare(
        'UPDATE shipments SET point_id = ?, point_name = ?, point_address = ?, point_type = ?, updated_at = ? WHERE id = ?'
      ),
      setTracking: db.prepare(
        'UPDATE shipments SET tracking_number = ?, tracking_key = ?, next_check_at = coalesce(next_check_at, ?), updated_at = ? WHERE id = ?'
      )
    }
  }

  get(id: number): ShipmentRef | null {
    const r = this.s.byId.get(id) as Raw | undefined
    return r ? toRef(r) : null
  }

  /** The shipments of one account with this tracking key (a webhook names its parcel so). */
  byAccountKey(carrier: CarrierId, account: string, key: string): ShipmentRef[] {
    return (this.s.byAccountKey.all(carrier, account, key) as Raw[]).map(toRef)
  }

  /** The newest shipment with this tracking key, any carrier (a scan at the counter). */
  newestByKey(key: string): ShipmentRef | null {
    const r = this.s.byKey.get(key) as Raw | undefined
    return r ? toRef(r) : null
  }

  /** One account's shipments due for a check, oldest due first (the poller). */
  due(carrier: CarrierId, account: string, now: number, limit: number): ShipmentRef[] {
    return (this.s.due.all(now, carrier, account, limit) as Raw[]).map(toRef)
  }

  /** Shipments falling due within (now, until]: they fill a batch call that has room. */
  dueSoon(carrier: CarrierId, account: string, now: number, until: number, limit: number): ShipmentRef[] {
    return (this.s.topUp.all(now, until, carrier, account, limit) as Raw[]).map(toRef)
  }

  countDue(now: number): number {
    return (this.s.countDue.get(now) as { n: number }).n
  }

  /** The last time any carrier answered a check (connectivity's "last good sync" at start). */
  lastGoodCheckAt(): number | null {
    return (this.s.lastGood.get() as { t: number | null }).t
  }

  /** The point a shipment goes to (its summary columns; the full point is the points feature's). */
  setPoint(id: number, p: Pick<DeliveryPoint, 'id' | 'name' | 'address' | 'type'>, now: number): boolean {
    return this.s.setPoint.run(p.id, p.name, p.address, p.type, now, id).changes === 1
  }

  /** A tracking number the carrier gave after the shipment was made (an aggregator's AWB); due for a check by `dueAt`. */
  setTrackingNumber(id: number, trackingNumber: string, dueAt: number, now: number): boolean {
    return this.s.setTracking.run(trackingNumber, trackingKey(trackingNumber), dueAt, now, id).changes === 1
  }
}
