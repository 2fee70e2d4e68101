// The warehouse workflows of seed 002 over the aggregators: create order (never twice), assign
// AWB, fetch the label, cancel, create the return and its AWB (linked to the forward shipment,
// same timeline). Every order row and every shipment records the alias that made it, and every
// later call goes through that alias's adapter (its credentials, its rate limits).
//
// The order guard: Shiprocket takes no idempotency key, so the create is written down first
// (aggregator_orders, state 'pending', synchronous=FULL) and `attempts` is raised on disk BEFORE
// the call. If the process dies after the aggregator created the order but before Guichet
// recorded it, the next attempt finds a pending row with attempts > 0 and asks the aggregator
// for the reference instead of creating again.
// Table owner: `aggregator_orders` (shipments through the repository and refs.ts).
import type { Database } from 'better-sqlite3'
import { CARRIER_NAMES } from '../../../shared/domain'
import type { AggregatorId, AggregatorOrderInfo, LabelFetched, WarehouseOrder } from '../../../shared/contract/aggregators'
import { GuichetError } from '../../../shared/result'
import { CarrierError, type NativeEvent } from '../../carriers/types'
import { ShipmentRefs } from '../../core/shipments/refs'
import type { ShipmentRepository } from '../../core/shipments/shipments.repo'
import { durably } from '../../core/outbox/store'
import type { StatusPipeline } from '../../core/pipeline/pipeline'
import { iso, type Clock } from '../../platform/clock'
import type { Logger } from '../../platform/logger'
import type { AggregatorOps, CreatedAtAggregator, WarehouseAddress } from '../../carriers/aggregator'

interface WarehouseDeps {
  db: Database
  repo: ShipmentRepository
  pipeline: StatusPipeline
  clock: Clock
  logger: Logger
  /** The ops for an alias; throws GuichetError('not_found') for an alias that is not configured. */
  opsFor(carrier: AggregatorId, alias: string): AggregatorOps
  /** Where returns go back to, per account. */
  warehouseFor(carrier: AggregatorId, alias: string): WarehouseAddress | null
  /** Stores a carrier label file for printing; returns its id. */
  saveLabel?(shipmentId: number, contentType: string, data: Buffer): number | null
  /** Test seam: runs after the aggregator answered a create, before Guichet records it. */
  afterCreateCall?(): Promise<void> | void
}

interface Row {
  id: number
  carrier: AggregatorId
  account: string
  direction: 'forward' | 'return'
  reference: string
  state: 'pending' | 'created' | 'failed'
  request: string
  attempts: number
  carrier_order_id: string | null
  carrier_shipment_id: string | null
  awb: string | null
  courier: string | null
  label_url: string | null
  shipment_id: number | null
  parent_shipment_id: number | null
  last_error_code: string | null
  last_error: string | null
  created_at: number
}

/** Statuses each aggregator's own steps stand for, in its native vocabulary (its mapping table). */
const STEP_NATIVES: Record<AggregatorId, { awb: [string, string]; returnAwb: [string, string]; cancel: [string, string] }> = {
  shiprocket: { awb: ['order:3', 'READY TO SHIP'], returnAwb: ['order:22', 'RETURN INITIATED'], cancel: ['order:5', 'CANCELED'] },
  clickpost: { awb: ['2', 'PICKUP_PENDING'], returnAwb: ['101', 'RETURN ORDER PLACED'], cancel: ['10', 'CANCELLED_ORDER'] },
  shipway: { awb: ['SCH', 'Pickup scheduled'], returnAwb: ['RSCH', 'Return pickup scheduled'], cancel: ['CAN', 'Cancelled'] }
}

const FINAL_CARRIER_ERRORS = new Set(['invalid_input', 'carrier_refused', 'unauthorized', 'unsupported', 'not_found'])

function toInfo(r: Row): AggregatorOrderInfo {
  return {
    id: r.id,
    carrier: r.carrier,
    account: r.account,
    direction: r.direction,
    reference: r.reference,
    state: r.state,
    carrierOrderId: r.carrier_order_id,
    carrierShipmentId: r.carrier_shipment_id,
    awb: r.awb,
    courier: r.courier,
    shipmentId: r.shipment_id,
    parentShipmentId: r.parent_shipment_id,
    lastError: r.last_error_code ? { code: r.last_error_code, message: r.last_error ?? '' } : null,
    createdAt: iso(r.created_at)!
  }
}

export class WarehouseService {
  private readonly refs: ShipmentRefs
  constructor(private readonly d: WarehouseDeps) {
    this.refs = new ShipmentRefs(d.db)
  }

  private row(carrier: string, account: string, direction: string, reference: string): Row | undefined {
    return this.d.db
      .prepare('SELECT * FROM aggregator_orders WHERE carrier = ? AND account = ? AND direction = ? AND reference = ?')
      .get(carrier, account, direction, reference) as Row | undefined
  }
  private byId(id: number): Row {
    return this.d.db.prepare('SELECT * FROM aggregator_orders WHERE id = ?').get(id) as Row
  }
  private byShipment(shipmentId: number): Row {
    const r = this.d.db.prepare('SELECT * FROM aggregator_orders WHERE shipment_id = ?').get(shipmentId) as Row | undefined
    if (!r) throw new GuichetError('not_found', `Shipment ${shipmentId} was not created through an aggregator.`, { field: 'shipmentId' })
    return r
  }

  list(limit: number): AggregatorOrderInfo[] {
    return (this.d.db.prepare('SELECT * FROM aggregator_orders ORDER BY id DESC LIMIT ?').all(limit) as Row[]).map(toInfo)
  }

  /** Pending creates left by a crash (for a restart to finish, and for the UI). */
  pending(): AggregatorOrderInfo[] {
    return (this.d.db.prepare(`SELECT * FROM aggregator_orders WHERE state = 'pending' ORDER BY id`).all() as Row[]).map(toInfo)
  }

  async createOrder(carrier: AggregatorId, account: string, order: WarehouseOrder): Promise<AggregatorOrderInfo> {
    const ops = this.d.opsFor(carrier, account)
    const r = await this.guardedCreate(carrier, account, 'forward', order.reference, order, null, () => ops.createOrder(order), ops)
    return toInfo(r)
  }

  /** One create, at most once at the aggregator, whatever crashes in between. */
  private async guardedCreate(
    carrier: AggregatorId,
    account: string,
    direction: 'forward' | 'return',
    reference: string,
    order: WarehouseOrder,
    parentId: number | null,
    create: () => Promise<CreatedAtAggregator>,
    ops: AggregatorOps
  ): Promise<Row> {
    const { db, clock } = this.d
    let rec = this.row(carrier, account, direction, reference)
    if (rec?.state === 'created') {
      // Same reference, same order: answer with the first one, whatever the clerk clicked twice.
      if (rec.request !== JSON.stringify(order))
        throw new GuichetError(
          'conflict',
          `Order ${reference} already exists on ${CARRIER_NAMES[carrier]} (${account}) with other details.`,
          { field: 'reference' }
        )
      return rec
    }
    if (!rec) {
      const now = clock.now()
      durably(db, () =>
        db
          .prepare(
            `INSERT INTO aggregator_orders (carrier, account, direction, reference, state, request, parent_shipment_id, created_at, updated_at)
            VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?)`
          )
          .run(carrier, account, direction, reference, JSON.stringify(order), parentId, now, now)
      )
      rec = this.row(carrier, account, direction, reference)!
    }
    if (rec.attempts > 0 && rec.state === 'pending') {
      // An earlier create may have reached the aggregator: ask before sending another.
      const found = await ops.findOrder(reference, direction)
      if (found === 'unknown') {
        throw new GuichetError(
          'conflict',
          `An earlier attempt may already have created ${reference} on ${CARRIER_NAMES[carrier]}; check its panel before creating it again.`,
          { field: 'reference' }
        )
      }
      if (found) {
        this.d.logger.info('aggregator.order_reconciled', { carrier, account, reference })
        return this.record(rec.id, found, order)
      }
    }
    durably(db, () =>
      db
        .prepare(`UPDATE aggregator_orders SET state = 'pending', attempts = attempts + 1, request = ?, updated_at = ? WHERE id = ?`)
        .run(JSON.stringify(order), clock.now(), rec.id)
    )
    let created: CreatedAtAggregator
    try {
      created = await create()
    } catch (e) {
      const err = e instanceof GuichetError ? e : new CarrierError('carrier_error', `${CARRIER_NAMES[carrier]} create failed`)
      // Refused outright: nothing exists upstream, the clerk fixes and tries again. Otherwise
      // (timeout, 5xx) the order may exist: the row stays pending and the next try reconciles.
      const refused = FINAL_CARRIER_ERRORS.has(err.code) && !(err as CarrierError).retryable
      durably(db, () =>
        db
          .prepare(
            `UPDATE aggregator_orders SET state = ?, attempts = CASE WHEN ? THEN attempts - 1 ELSE attempts END, last_error_code = ?, last_error = ?, updated_at = ? WHERE id = ?`
          )
          .run(refused ? 'failed' : 'pending', refused ? 1 : 0, err.code, err.message, clock.now(), rec.id)
      )
      throw err
    }
    await this.d.afterCreateCall?.()
    return this.record(rec.id, created, order)
  }

  /** Writes what the aggregator created: the order row and the local shipment, in one transaction. */
  private record(id: number, c: CreatedAtAggregator, order: WarehouseOrder): Row {
    const { db, repo, clock } = this.d
    const now = clock.now()
    const rec = this.byId(id)
    let shipmentId = rec.shipment_id
    durably(db, () => {
      if (shipmentId === null) {
        shipmentId = repo.insert({
          carrier: rec.carrier,
          account: rec.account,
          // Until an AWB exists the order is found by its reference.
          trackingNumber: c.awb ?? rec.reference,
          reference: rec.reference,
          recipientName:
            rec.direction === 'forward'
              ? order.recipient.name
              : (this.d.warehouseFor(rec.carrier, rec.account)?.name ?? order.recipient.name),
          recipientPhone: order.recipient.phone,
          direction: rec.direction,
          parentId: rec.parent_shipment_id,
          codAmount: order.payment === 'cod' ? order.items.reduce((s, i) => s + i.price * i.units, 0) : null,
          currency: 'INR',
          weightGrams: order.weightGrams,
          carrierData: { carrierOrderId: c.carrierOrderId, carrierShipmentId: c.carrierShipmentId },
          createdAt: now,
          nextCheckAt: c.awb ? now : null
        })
      }
      db.prepare(
        `UPDATE aggregator_orders SET state = 'created', carrier_order_id = ?, carrier_shipment_id = ?, awb = coalesce(?, awb), courier = coalesce(?, courier),
          label_url = coalesce(?, label_url), shipment_id = ?, last_error_code = NULL, last_error = NULL, updated_at = ? WHERE id = ?`
      ).run(c.carrierOrderId, c.carrierShipmentId, c.awb, c.courier, c.labelUrl, shipmentId, now, id)
      if (c.nativeStatus)
        this.timeline(
          shipmentId!,
          { at: now, nativeStatus: c.nativeStatus, label: c.nativeLabel, dedupeKey: `create|${c.nativeStatus}` },
          rec.direction === 'return'
        )
    })
    return this.byId(id)
  }

  /** Adds an event to a shipment and, for a return, to the forward shipment's timeline too. */
  private timeline(shipmentId: number, ev: NativeEvent, isReturn: boolean): void {
    // Aggregators stamp to the second: a local step kept to the millisecond would look newer than
    // a notification from the same second and hide it.
    const e = { ...ev, at: Math.floor(ev.at / 1000) * 1000 }
    const updates = [{ shipmentId, events: [e] }]
    const parent = isReturn ? this.d.repo.get(shipmentId)?.parentId : null
    if (parent) updates.push({ shipmentId: parent, events: [{ ...e, dedupeKey: `return:${shipmentId}|${e.dedupeKey ?? e.nativeStatus}` }] })
    this.d.pipeline.apply({ source: 'manual', updates })
  }

  async assignAwb(shipmentId: number, courierId?: number): Promise<AggregatorOrderInfo> {
    const rec = this.byShipment(shipmentId)
    if (rec.awb) return toInfo(rec)
    const ops = this.d.opsFor(rec.carrier, rec.account)
    const a = await ops.assignAwb(
      { carrierShipmentId: rec.carrier_shipment_id, carrierOrderId: rec.carrier_order_id ?? '', reference: rec.reference },
      { courierId, isReturn: rec.direction === 'return' }
    )
    this.setAwb(rec, a.awb, a.courier, a.labelUrl)
    return toInfo(this.byId(rec.id))
  }

  private setAwb(rec: Row, awb: string, courier: string | null, labelUrl: string | null): void {
    const { db, clock } = this.d
    const now = clock.now()
    durably(db, () => {
      db.prepare('UPDATE aggregator_orders SET awb = ?, courier = ?, label_url = coalesce(?, label_url), updated_at = ? WHERE id = ?').run(
        awb,
        courier,
        labelUrl,
        now,
        rec.id
      )
      // From now on the parcel is known (and polled) by its AWB.
      this.refs.setTrackingNumber(rec.shipment_id!, awb, now, now)
      const [native, label] = rec.direction === 'return' ? STEP_NATIVES[rec.carrier].returnAwb : STEP_NATIVES[rec.carrier].awb
      this.timeline(
        rec.shipment_id!,
        {
          at: now,
          nativeStatus: native,
          label,
          waybill: awb,
          description: courier ? `AWB ${awb} (${courier})` : `AWB ${awb}`,
          dedupeKey: `awb|${awb}`
        },
        rec.direction === 'return'
      )
    })
  }

  async label(shipmentId: number): Promise<LabelFetched> {
    const rec = this.byShipment(shipmentId)
    if (!rec.awb) throw new GuichetError('invalid_input', 'Assign an AWB before asking for the label.', { field: 'shipmentId' })
    const ops = this.d.opsFor(rec.carrier, rec.account)
    const file = await ops.label({
      awb: rec.awb,
      reference: rec.reference,
      carrierShipmentId: rec.carrier_shipment_id,
      labelUrl: rec.label_url
    })
    const labelId = this.d.saveLabel?.(shipmentId, file.contentType, Buffer.from(file.data)) ?? null
    return { shipmentId, awb: rec.awb, labelId, bytes: file.data.length, contentType: file.contentType }
  }

  async cancel(shipmentId: number): Promise<AggregatorOrderInfo> {
    const rec = this.byShipment(shipmentId)
    if (!rec.awb)
      throw new GuichetError('invalid_input', 'This order has no AWB yet: cancel it from the aggregator panel.', { field: 'shipmentId' })
    await this.d.opsFor(rec.carrier, rec.account).cancel(rec.awb)
    const [native, label] = STEP_NATIVES[rec.carrier].cancel
    durably(this.d.db, () =>
      this.timeline(
        shipmentId,
        { at: this.d.clock.now(), nativeStatus: native, label, waybill: rec.awb, dedupeKey: `cancel|${rec.awb}` },
        false
      )
    )
    return toInfo(this.byId(rec.id))
  }

  /** Generates the return: the return order, then its AWB; linked to the forward shipment. */
  async createReturn(shipmentId: number): Promise<AggregatorOrderInfo> {
    const fwd = this.byShipment(shipmentId)
    if (fwd.direction !== 'forward') throw new GuichetError('invalid_input', 'This shipment is itself a return.', { field: 'shipmentId' })
    if (!fwd.awb) throw new GuichetError('invalid_input', 'The forward order has no AWB: nothing to return yet.', { field: 'shipmentId' })
    const warehouse = this.d.warehouseFor(fwd.carrier, fwd.account)
    if (!warehouse)
      throw new GuichetError('invalid_input', `Account ${fwd.account} has no warehouse address for returns.`, { field: 'account' })
    const ops = this.d.opsFor(fwd.carrier, fwd.account)
    const order = JSON.parse(fwd.request) as WarehouseOrder
    const reference = `R-${fwd.reference}`.slice(0, 50)
    let rec = await this.guardedCreate(
      fwd.carrier,
      fwd.account,
      'return',
      reference,
      order,
      shipmentId,
      () => ops.createReturn(reference, order, fwd.awb!, warehouse),
      ops
    )
    if (!rec.awb) {
      const a = await ops.assignAwb(
        { carrierShipmentId: rec.carrier_shipment_id, carrierOrderId: rec.carrier_order_id ?? '', reference },
        { isReturn: true }
      )
      this.setAwb(rec, a.awb, a.courier, a.labelUrl)
      rec = this.byId(rec.id)
    }
    return toInfo(rec)
  }

  getReturn(shipmentId: number): AggregatorOrderInfo | null {
    const r = this.d.db
      .prepare(`SELECT * FROM aggregator_orders WHERE parent_shipment_id = ? AND direction = 'return' ORDER BY id DESC LIMIT 1`)
      .get(shipmentId) as Row | undefined
    return r ? toInfo(r) : null
  }
}
