// Clickpost's status vocabulary as data (contract note §5.2): `clickpost_status_code` 1-32 and 101,
// mapped on the code, never on the text (webhooks say "OutForDelivery", tracking says
// "OUT_FOR_DELIVERY"). NDR reasons ride along as the event's comment.
import type { StatusMapping, StatusMappingRow } from '../types'

export const CLICKPOST_ROWS: readonly StatusMappingRow[] = [
  { native: '1', unified: 'packaging', description: 'ORDER_PLACED' },
  { native: '2', unified: 'ready_to_ship', description: 'PICKUP_PENDING' },
  { native: '3', unified: 'ready_to_ship', kind: 'info', description: 'PICKUP_FAILED' },
  { native: '4', unified: 'shipped', description: 'PICKED_UP' },
  { native: '5', unified: 'shipping_in_progress', description: 'INTRANSIT' },
  { native: '6', unified: 'shipping_in_progress', kind: 'out_for_delivery', description: 'OUT_FOR_DELIVERY' },
  { native: '7', unified: 'delivery_failure', final: true, description: 'NOT_SERVICEABLE' },
  { native: '8', unified: 'delivered', final: true, description: 'DELIVERED' },
  // A failed attempt (NDR): the courier tries again unless the shipper asks for RTO.
  { native: '9', unified: 'delivery_failure', description: 'FAILED_DELIVERY' },
  { native: '10', unified: 'cancelled', final: true, description: 'CANCELLED_ORDER' },
  { native: '11', unified: 'return', final: false, description: 'RTO_REQUESTED' },
  { native: '12', unified: 'return', final: false, description: 'RTO' },
  { native: '13', unified: 'return', final: false, description: 'RTO_OUT_FOR_DELIVERY' },
  { native: '14', unified: 'return', final: true, description: 'RTO_DELIVERED' },
  { native: '15', unified: 'return', final: false, description: 'RTO_FAILED' },
  { native: '16', unified: 'delivery_failure', final: true, description: 'LOST' },
  { native: '17', unified: 'delivery_failure', final: true, description: 'DAMAGED' },
  { native: '18', unified: 'shipping_in_progress', kind: 'info', description: 'SHIPMENT_DELAYED' },
  { native: '19', unified: 'shipping_in_progress', kind: 'info', description: 'CONTACT_CUSTOMER_CARE' },
  { native: '20', unified: 'shipping_in_progress', kind: 'info', description: 'SHIPMENT_HELD' },
  { native: '21', unified: 'return', final: false, description: 'RTO_INTRANSIT' },
  // 22-24 and 29 are not in the official table; they fall back and stay visible.
  { native: '25', unified: 'ready_to_ship', description: 'OUT_FOR_PICKUP' },
  { native: '26', unified: 'return', final: false, kind: 'info', description: 'RTO_CONTACT_CUSTOMER_CARE' },
  { native: '27', unified: 'return', final: false, kind: 'info', description: 'RTO_SHIPMENT_DELAY' },
  { native: '28', unified: 'packaging', description: 'AWB REGISTERED' },
  { native: '30', unified: 'shipped', description: 'EXCHANGE_PICKUP' },
  { native: '31', unified: 'shipping_in_progress', description: 'EXCHANGE_INTRANSIT' },
  { native: '32', unified: 'delivered', final: true, description: 'EXCHANGE_DELIVERED' },
  { native: '101', unified: 'return', final: false, description: 'RETURN ORDER PLACED' }
]

/** NDR reason codes (official), shown beside a failed delivery. */
export const CLICKPOST_NDR_REASONS: Readonly<Record<number, string>> = {
  0: 'Unknown Exception',
  1: 'Customer Unavailable',
  2: 'Rejected by Customer',
  3: 'Delivery Rescheduled',
  4: 'No Attempt',
  5: 'Customer Unreachable',
  6: 'Address Issue',
  7: 'Payment Issue',
  8: 'Out Of Delivery Area',
  9: 'Order Already Cancelled',
  10: 'Self Collect',
  11: 'Shipment Seized By Customer'
}

/** "NDR 6: Address Issue" for a known code; the carrier's own words otherwise. */
export function ndrReason(code: unknown, description?: unknown): string | null {
  const n = typeof code === 'number' ? code : typeof code === 'string' && /^\d+$/.test(code) ? Number(code) : null
  if (n !== null && CLICKPOST_NDR_REASONS[n]) return `NDR ${n}: ${CLICKPOST_NDR_REASONS[n]}`
  return typeof description === 'string' && description.trim() ? description.trim() : null
}

export const clickpostMapping: StatusMapping = {
  rows: CLICKPOST_ROWS,
  normalise: (s) => s.trim().replace(/^0+(?=\d)/, ''),
  fallback: { unified: 'shipping_in_progress', kind: 'info' }
}
