// Guichet's warehouse order -> Shipway v2orders (the SDK's order fields). A push is keyed by
// order_id, so the guard's reconcile simply asks getorders?orderid=; the AWB comes from the same
// call once Shipway has assigned a courier. order_type "reverse" is our assumption: no published
// material shows how the newer API takes a return pickup (see carriers/README.md).
import type { WarehouseOrder } from '../../../shared/contract/aggregators'
import { GuichetError } from '../../../shared/result'
import type { AggregatorOps, CreatedAtAggregator, WarehouseAddress } from '../aggregator'
import type { ShipwayAdapter } from './client'

function push(
  reference: string,
  order: WarehouseOrder,
  to: { name: string; phone: string; address: string; city: string; state: string; pincode: string; country: string; email?: string },
  now: number,
  reverse: boolean
) {
  const [first, ...last] = to.name.split(/\s+/)
  return {
    order_id: reference,
    products: order.items.map((i) => ({ product: i.name, price: String(i.price), product_code: i.sku, product_quantity: String(i.units) })),
    payment_type: order.payment === 'cod' && !reverse ? 'C' : 'P',
    order_total: String(order.items.reduce((s, i) => s + i.price * i.units, 0)),
    shipping_firstname: first,
    shipping_lastname: last.join(' '),
    shipping_address: to.address,
    shipping_city: to.city,
    shipping_state: to.state,
    shipping_country: to.country,
    shipping_zipcode: to.pincode,
    shipping_phone: to.phone.replace(/\D/g, '').slice(-10),
    email: to.email ?? '',
    order_weight: String(order.weightGrams),
    box_length: String(order.lengthCm),
    box_breadth: String(order.breadthCm),
    box_height: String(order.heightCm),
    order_date: new Date(now).toISOString().slice(0, 19).replace('T', ' '),
    ...(reverse ? { order_type: 'reverse' } : {})
  }
}

const created = (reference: string, reverse: boolean): CreatedAtAggregator => ({
  carrierOrderId: reference,
  carrierShipmentId: null,
  awb: null,
  courier: null,
  labelUrl: null,
  nativeStatus: null,
  nativeLabel: reverse ? 'Return pushed' : 'Order pushed'
})

export function shipwayWarehouseOps(sw: ShipwayAdapter, o: { now: () => number; warehouse: WarehouseAddress | null }): AggregatorOps {
  return {
    adapter: sw,
    async createOrder(order) {
      await sw.pushOrder(push(order.reference, order, order.recipient, o.now(), false))
      return created(order.reference, false)
    },
    async findOrder(reference, direction) {
      const s = await sw.orderShipment(reference)
      return s ? { ...created(reference, direction === 'return'), awb: s.awb, courier: s.carrier, labelUrl: s.labelUrl } : null
    },
    async assignAwb(c) {
      const s = await sw.orderShipment(c.reference)
      if (!s?.awb)
        throw new GuichetError('carrier_refused', 'Shipway has not assigned an AWB to this order yet; try again shortly.', {
          retryable: true
        })
      return { awb: s.awb, courier: s.carrier, labelUrl: s.labelUrl }
    },
    async label(rec) {
      const url = rec.labelUrl ?? (await sw.orderShipment(rec.reference))?.labelUrl
      if (!url) throw new GuichetError('not_found', 'Shipway has no label for this order yet.')
      return sw.fetchLabel(url)
    },
    cancel: (awb) => sw.cancel!(awb, { idempotencyKey: `cancel-${awb}` }),
    async createReturn(reference, fwd, _awb, warehouse: WarehouseAddress) {
      await sw.pushOrder(push(reference, fwd, warehouse, o.now(), true))
      return created(reference, true)
    }
  }
}
