// Shiprocket's status vocabularies as data (contract note §5.1). Shiprocket numbers statuses in
// TWO unrelated schemes that reuse the same integers (7 is DELIVERED as a shipment status and
// DELIVERED as an order status, but 5 is MANIFEST GENERATED vs CANCELED), so natives carry their
// scheme: `shipment:<id>` (shipment_status_id, sr-status, tracking shipment_status) and
// `order:<id>` (status_code on create, current_status_id in the webhook). Return-flow events
// (is_return = 1) are `return:<shipment id>`: the same parcel moves, but it is coming back.
import type { StatusMapping, StatusMappingRow } from '../types'

/** Shipment-status ids. 5-7, 17-19, 38, 42: official examples; the rest: third-party lists. */
const SHIPROCKET_SHIPMENT_ROWS: readonly StatusMappingRow[] = [
  { native: 'shipment:5', unified: 'ready_to_ship', description: 'MANIFEST GENERATED' },
  { native: 'shipment:6', unified: 'shipped', description: 'SHIPPED' },
  { native: 'shipment:7', unified: 'delivered', final: true, description: 'DELIVERED' },
  { native: 'shipment:8', unified: 'cancelled', final: true, description: 'CANCELED' },
  { native: 'shipment:9', unified: 'return', final: false, description: 'RTO INITIATED' },
  { native: 'shipment:10', unified: 'return', final: true, description: 'RTO DELIVERED' },
  { native: 'shipment:12', unified: 'delivery_failure', final: true, description: 'LOST' },
  { native: 'shipment:13', unified: 'ready_to_ship', kind: 'info', description: 'PICKUP ERROR' },
  { native: 'shipment:14', unified: 'return', final: false, description: 'RTO ACKNOWLEDGED' },
  { native: 'shipment:15', unified: 'ready_to_ship', description: 'PICKUP RESCHEDULED' },
  { native: 'shipment:16', unified: 'cancelled', final: false, description: 'CANCELLATION REQUESTED' },
  { native: 'shipment:17', unified: 'shipping_in_progress', kind: 'out_for_delivery', description: 'OUT FOR DELIVERY' },
  { native: 'shipment:18', unified: 'shipping_in_progress', description: 'IN TRANSIT' },
  { native: 'shipment:19', unified: 'ready_to_ship', description: 'OUT FOR PICKUP' },
  { native: 'shipment:20', unified: 'ready_to_ship', kind: 'info', description: 'PICKUP EXCEPTION' },
  // Undelivered (NDR): the courier tries again unless the seller asks for RTO.
  { native: 'shipment:21', unified: 'delivery_failure', description: 'UNDELIVERED' },
  { native: 'shipment:22', unified: 'shipping_in_progress', kind: 'info', description: 'DELAYED' },
  { native: 'shipment:23', unified: 'delivered', description: 'PARTIAL DELIVERED' },
  { native: 'shipment:24', unified: 'delivery_failure', final: true, description: 'DESTROYED' },
  { native: 'shipment:25', unified: 'delivery_failure', final: true, description: 'DAMAGED' },
  { native: 'shipment:26', unified: 'delivered', final: true, description: 'FULFILLED' },
  { native: 'shipment:38', unified: 'shipping_in_progress', description: 'REACHED AT DESTINATION HUB' },
  { native: 'shipment:39', unified: 'shipping_in_progress', kind: 'info', description: 'MISROUTED' },
  { native: 'shipment:40', unified: 'return', final: false, description: 'RTO_NDR' },
  { native: 'shipment:41', unified: 'return', final: false, description: 'RTO_OFD' },
  { native: 'shipment:42', unified: 'shipped', description: 'PICKED UP' }
]

/** Order / current-status ids. 1, 20, 21: official examples; the rest: third-party list. */
const SHIPROCKET_ORDER_ROWS: readonly StatusMappingRow[] = [
  { native: 'order:1', unified: 'packaging', description: 'NEW' },
  { native: 'order:2', unified: 'packaging', description: 'INVOICED' },
  { native: 'order:3', unified: 'ready_to_ship', description: 'READY TO SHIP' },
  { native: 'order:4', unified: 'ready_to_ship', description: 'PICKUP SCHEDULED' },
  { native: 'order:5', unified: 'cancelled', final: true, description: 'CANCELED' },
  { native: 'order:6', unified: 'shipped', description: 'SHIPPED' },
  { native: 'order:7', unified: 'delivered', final: true, description: 'DELIVERED' },
  { native: 'order:8', unified: 'cancelled', final: true, description: 'EPAYMENT FAILED' },
  { native: 'order:9', unified: 'return', final: true, description: 'RETURNED' },
  { native: 'order:10', unified: 'packaging', kind: 'info', description: 'UNMAPPED' },
  { native: 'order:11', unified: 'packaging', kind: 'info', description: 'UNFULFILLABLE' },
  { native: 'order:12', unified: 'ready_to_ship', description: 'PICKUP QUEUE' },
  { native: 'order:13', unified: 'ready_to_ship', description: 'PICKUP RESCHEDULED' },
  { native: 'order:14', unified: 'ready_to_ship', kind: 'info', description: 'PICKUP ERROR' },
  { native: 'order:15', unified: 'return', final: false, description: 'RTO INITIATED' },
  { native: 'order:16', unified: 'return', final: true, description: 'RTO DELIVERED' },
  { native: 'order:17', unified: 'return', final: false, description: 'RTO ACKNOWLEDGED' },
  { native: 'order:18', unified: 'cancelled', final: false, description: 'CANCELLATION REQUESTED' },
  { native: 'order:19', unified: 'shipping_in_progress', kind: 'out_for_delivery', description: 'OUT FOR DELIVERY' },
  { native: 'order:20', unified: 'shipping_in_progress', description: 'IN TRANSIT' },
  { native: 'order:21', unified: 'return', final: false, description: 'RETURN PENDING' },
  { native: 'order:22', unified: 'return', final: false, description: 'RETURN INITIATED' },
  { native: 'order:51', unified: 'shipped', description: 'PICKED UP' }
]

/** A return shipment's own moves (is_return = 1), named as the warehouse reads them. */
const SHIPROCKET_RETURN_ROWS: readonly StatusMappingRow[] = [
  { native: 'return:19', unified: 'return', final: false, description: 'RETURN_OUT_FOR_PICKUP' },
  { native: 'return:42', unified: 'return', final: false, description: 'RETURN_PICKED_UP' },
  { native: 'return:6', unified: 'return', final: false, description: 'RETURN_SHIPPED' },
  { native: 'return:18', unified: 'return', final: false, description: 'RETURN_IN_TRANSIT' },
  { native: 'return:17', unified: 'return', final: false, description: 'RETURN_OUT_FOR_DELIVERY' },
  { native: 'return:7', unified: 'return', final: true, description: 'RETURN_DELIVERED' },
  { native: 'return:8', unified: 'return', final: true, description: 'RETURN_CANCELLED' }
]

/** Label of a return-flow status ("RETURN_PICKED_UP"), else the shipment status label in words. */
export function shiprocketReturnLabel(shipmentStatusId: number, fallback: string): string {
  return SHIPROCKET_RETURN_ROWS.find((r) => r.native === `return:${shipmentStatusId}`)?.description ?? `RETURN ${fallback}`.trim()
}

export const shiprocketMapping: StatusMapping = {
  rows: [...SHIPROCKET_SHIPMENT_ROWS, ...SHIPROCKET_ORDER_ROWS, ...SHIPROCKET_RETURN_ROWS],
  normalise: (s) => s.trim().toLowerCase().replace(/\s+/g, ''),
  fallback: { unified: 'shipping_in_progress', kind: 'info' }
}
