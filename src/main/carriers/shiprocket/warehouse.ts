// Guichet's warehouse order -> Shiprocket's wire format, over the Shiprocket adapter.
import type { WarehouseOrder } from '../../../shared/contract/aggregators'
import type { AggregatorOps, CreatedAtAggregator, WarehouseAddress } from '../aggregator'
import type { ShiprocketAdapter } from './client'
import type { ShiprocketCreated } from './wire'

const today = (now: number) => new Date(now + 5.5 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')

function created(c: ShiprocketCreated & { awb?: string | null }): CreatedAtAggregator {
  return {
    carrierOrderId: String(c.orderId),
    carrierShipmentId: c.shipmentId ? String(c.shipmentId) : null,
    awb: c.awb ?? null,
    courier: null,
    labelUrl: null,
    nativeStatus: c.statusCode ? `order:${c.statusCode}` : null,
    nativeLabel: c.status || null
  }
}

export function shiprocketWarehouseOps(sr: ShiprocketAdapter, o: { now: () => number; pickupLocation?: string }): AggregatorOps {
  return {
    adapter: sr,
    async createOrder(order: WarehouseOrder) {
      const [firstName, ...last] = order.recipient.name.split(/\s+/)
      const subTotal = order.items.reduce((s, i) => s + i.price * i.units, 0)
      const c = await sr.createOrder({
        order_id: order.reference,
        order_date: today(o.now()),
        pickup_location: o.pickupLocation ?? 'Primary',
        billing_customer_name: firstName ?? order.recipient.name,
        billing_last_name: last.join(' '),
        billing_address: order.recipient.address,
        billing_city: order.recipient.city,
        billing_pincode: Number(order.recipient.pincode),
        billing_state: order.recipient.state,
        billing_country: order.recipient.country,
        billing_email: order.recipient.email ?? 'noreply@guichet.invalid',
        billing_phone: Number(order.recipient.phone.replace(/^\+?91(?=\d{10}$)/, '').replace(/\D/g, '')),
        shipping_is_billing: true,
        order_items: order.items.map((i) => ({ name: i.name, sku: i.sku, units: i.units, selling_price: i.price })),
        payment_method: order.payment === 'cod' ? 'COD' : 'Prepaid',
        sub_total: subTotal > 0 ? subTotal : 1,
        length: order.lengthCm,
        breadth: order.breadthCm,
        height: order.heightCm,
        weight: order.weightGrams / 1000
      })
      return created(c)
    },
    async findOrder(reference) {
      const f = await sr.findOrder(reference)
      return f ? created(f) : null
    },
    async assignAwb(c, opts) {
      const a = await sr.assignAwb(Number(c.carrierShipmentId), { courierId: opts.courierId, isReturn: opts.isReturn })
      return { awb: a.awb, courier: a.courierName || null, labelUrl: null }
    },
    async label(rec) {
      if (rec.labelUrl) return sr.fetchLabel(rec.labelUrl)
      const { url } = await sr.generateLabel([Number(rec.carrierShipmentId)])
      return sr.fetchLabel(url)
    },
    cancel: (awb) => sr.cancelAwbs([awb]),
    async createReturn(reference, fwd, _awb, wh: WarehouseAddress) {
      const c = await sr.createReturn({
        order_id: reference,
        order_date: today(o.now()).slice(0, 10),
        pickup_customer_name: fwd.recipient.name,
        pickup_address: fwd.recipient.address,
        pickup_city: fwd.recipient.city,
        pickup_state: fwd.recipient.state,
        pickup_country: fwd.recipient.country,
        pickup_pincode: Number(fwd.recipient.pincode),
        pickup_email: fwd.recipient.email ?? 'noreply@guichet.invalid',
        pickup_phone: fwd.recipient.phone.replace(/\D/g, '').slice(-10),
        shipping_customer_name: wh.name,
        shipping_address: wh.address,
        shipping_city: wh.city,
        shipping_country: wh.country,
        shipping_pincode: Number(wh.pincode),
        shipping_state: wh.state,
        shipping_phone: wh.phone.replace(/\D/g, '').slice(-10),
        order_items: fwd.items.map((i) => ({ name: i.name, sku: i.sku, units: i.units, selling_price: i.price, discount: 0 })),
        payment_method: 'Prepaid',
        sub_total: Math.max(
          1,
          fwd.items.reduce((s, i) => s + i.price * i.units, 0)
        ),
        length: fwd.lengthCm,
        breadth: fwd.breadthCm,
        height: fwd.heightCm,
        weight: fwd.weightGrams / 1000
      })
      return created(c)
    }
  }
}
