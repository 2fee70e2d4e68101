// Guichet's warehouse order -> Clickpost create-order v3. Clickpost gives the AWB and label URL
// at create; it has no lookup by reference, so after a crash the guard stops for the clerk.
import type { WarehouseOrder } from '../../../shared/contract/aggregators'
import { GuichetError } from '../../../shared/result'
import type { AggregatorOps, CreatedAtAggregator, WarehouseAddress } from '../aggregator'
import type { ClickpostAdapter, ClickpostCreated } from './client'

const created = (c: ClickpostCreated, returnOrder: boolean): CreatedAtAggregator => ({
  carrierOrderId: c.referenceNumber || c.waybill,
  carrierShipmentId: null,
  awb: c.waybill,
  courier: c.courierName,
  labelUrl: c.label,
  nativeStatus: returnOrder ? '101' : '1',
  nativeLabel: returnOrder ? 'RETURN ORDER PLACED' : 'ORDER_PLACED'
})

function body(
  reference: string,
  order: WarehouseOrder,
  from: WarehouseAddress,
  to: { name: string; phone: string; address: string; city: string; state: string; pincode: string; country: string; email?: string },
  now: number,
  rvp: boolean
) {
  const value = order.items.reduce((s, i) => s + i.price * i.units, 0)
  return {
    pickup_info: {
      pickup_name: from.name,
      pickup_phone: from.phone.replace(/\D/g, '').slice(-10),
      pickup_pincode: from.pincode,
      pickup_address: from.address,
      pickup_time: new Date(now).toISOString(),
      pickup_city: from.city,
      pickup_state: from.state,
      pickup_country: from.country,
      email: from.email ?? ''
    },
    drop_info: {
      drop_name: to.name,
      drop_address: to.address,
      drop_phone: to.phone.replace(/\D/g, '').slice(-10),
      drop_pincode: to.pincode,
      drop_city: to.city,
      drop_state: to.state,
      drop_country: to.country,
      drop_email: to.email ?? ''
    },
    shipment_details: {
      items: order.items.map((i) => ({ price: i.price, description: i.name, sku: i.sku, quantity: i.units })),
      invoice_value: value,
      invoice_number: reference,
      invoice_date: new Date(now).toISOString().slice(0, 10),
      reference_number: reference,
      length: Math.ceil(order.lengthCm),
      breadth: Math.ceil(order.breadthCm),
      height: Math.ceil(order.heightCm),
      weight: order.weightGrams,
      order_type: rvp || order.payment === 'prepaid' ? 'PREPAID' : 'COD',
      cod_value: rvp || order.payment === 'prepaid' ? 0 : value
    },
    additional: {
      label: true,
      delivery_type: rvp ? 'RVP' : 'FORWARD',
      order_id: reference,
      ...(rvp ? { rvp_reason: 'Customer return' } : {})
    }
  }
}

export function clickpostWarehouseOps(cp: ClickpostAdapter, o: { now: () => number; warehouse: WarehouseAddress | null }): AggregatorOps {
  const wh = (): WarehouseAddress => {
    if (!o.warehouse)
      throw new GuichetError('invalid_input', 'This Clickpost account has no warehouse address (the pickup_info of every order).', {
        field: 'account'
      })
    return o.warehouse
  }
  return {
    adapter: cp,
    createOrder: async (order) => created(await cp.createOrder(body(order.reference, order, wh(), order.recipient, o.now(), false)), false),
    findOrder: async () => 'unknown',
    assignAwb: async () => {
      throw new GuichetError('unsupported', 'Clickpost gives the AWB when the order is created.')
    },
    label: async (rec) => cp.fetchLabel(rec.labelUrl ?? (await cp.labelUrl(rec.awb))),
    cancel: (awb) => cp.cancel!(awb, { idempotencyKey: `cancel-${awb}` }),
    createReturn: async (reference, fwd, _awb, warehouse) => {
      const buyer = {
        name: fwd.recipient.name,
        phone: fwd.recipient.phone,
        email: fwd.recipient.email,
        address: fwd.recipient.address,
        city: fwd.recipient.city,
        state: fwd.recipient.state,
        pincode: fwd.recipient.pincode,
        country: fwd.recipient.country
      }
      return created(await cp.createOrder(body(reference, fwd, buyer, warehouse, o.now(), true)), true)
    }
  }
}
