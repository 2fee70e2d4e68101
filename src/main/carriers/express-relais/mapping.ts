// Seed 000's status table, reproduced exactly (20 rows, in the seed's order): Express Relais status
// -> TC Logistics status (our unified status) with the ER description. The kinds let the counter
// tell "waiting at the locker/point" and "out for delivery" apart from "in transit".
import type { StatusMapping, StatusMappingRow } from '../types'

export const EXPRESS_RELAIS_ROWS: readonly StatusMappingRow[] = [
  { native: 'NEW_ORDER', unified: 'packaging', description: 'Initial status at order creation' },
  { native: 'ORDER_CONFIRMED', unified: 'ready_to_ship', description: 'Order Confirmed' },
  { native: 'ORDER_CANCELED', unified: 'cancelled', final: true, description: 'The order was canceled by the client' },
  { native: 'ORDER_REFUSED', unified: 'delivery_failure', description: 'Order refused by Express Relais' },
  { native: 'MISSING_PARCEL', unified: 'delivery_failure', description: 'Missing parcel during pickup' },
  { native: 'PARCEL_PICKEDUP', unified: 'shipped', description: 'Parcel picked up' },
  { native: 'PARCEL_IN_AGENCY', unified: 'shipping_in_progress', description: 'The package arrived at the regional agency' },
  { native: 'PARCEL_IN_TRANSIT', unified: 'shipping_in_progress', description: 'Parcel in transit' },
  {
    native: 'PARCEL_IN_DELIVERY',
    unified: 'shipping_in_progress',
    kind: 'out_for_delivery',
    description: 'The parcel is delivered to the locker or destination address'
  },
  {
    native: 'DELIVERED_TO_LOCKER',
    unified: 'shipping_in_progress',
    kind: 'waiting_at_point',
    description: 'Parcel delivered to the locker'
  },
  { native: 'PARCEL_RETRIEVED', unified: 'delivered', final: true, description: 'Parcel received from Smartlocker' },
  {
    native: 'WAITING_IN_LOCKER',
    unified: 'shipping_in_progress',
    kind: 'waiting_at_point',
    description: 'The package waiting for pickup from the automated locker'
  },
  {
    native: 'DELAY_IN_RETRIEVE',
    unified: 'shipping_in_progress',
    kind: 'waiting_at_point',
    description: 'Package delayed for pickup at the destination locker'
  },
  {
    native: 'WAITING_COD',
    unified: 'shipping_in_progress',
    kind: 'waiting_at_point',
    description: 'The package arrived at the destination locker and awaiting payment upon delivery'
  },
  {
    native: 'COD_PAID',
    unified: 'shipping_in_progress',
    kind: 'waiting_at_point',
    description: 'Payment upon delivery at the locker completed, the recipient can retrieve their parcel'
  },
  { native: 'PARCEL_TO_RETURN', unified: 'return', description: 'The client has initiated the return of the parcel in question' },
  {
    native: 'PARCEL_ABANDONED',
    unified: 'return',
    description: 'The package was abandoned because the package was not delivered and the client did not initiate its return'
  },
  { native: 'PARCEL_RETURNED', unified: 'return', final: true, description: 'Parcel returned successfully' },
  { native: 'PARCEL_IN_FINAL_AGENCY', unified: 'shipping_in_progress', description: 'Parcel has arrived at the final agency' },
  { native: 'RETURN_REQUEST_CONFIRMED', unified: 'return', description: 'The requested return parcel has been confirmed' }
]

export const expressRelaisMapping: StatusMapping = {
  rows: EXPRESS_RELAIS_ROWS,
  normalise: (s) =>
    s
      .trim()
      .toUpperCase()
      .replace(/[\s-]+/g, '_'),
  fallback: { unified: 'shipping_in_progress', kind: 'info' }
}

/** The ER description of a status (kept in the per-parcel status log). */
export const erDescription = (native: string): string | null =>
  EXPRESS_RELAIS_ROWS.find((r) => r.native === expressRelaisMapping.normalise!(native))?.description ?? null
