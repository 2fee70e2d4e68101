// Sendcloud's numeric parcel status ids (contract note §3.7; consistent across third-party clients,
// not in the official text read) onto Guichet's unified statuses. The native status kept beside it
// is the id as text ("12"), its message the label.
import type { StatusMapping, StatusMappingRow } from '../types'

export const SENDCLOUD_ROWS: readonly StatusMappingRow[] = [
  { native: '1', unified: 'ready_to_ship', description: 'Announced' },
  { native: '3', unified: 'shipped', description: 'En route to sorting center' },
  { native: '4', unified: 'shipping_in_progress', description: 'Delivery delayed' },
  { native: '5', unified: 'shipping_in_progress', description: 'Sorted' },
  { native: '6', unified: 'shipping_in_progress', description: 'Not sorted' },
  { native: '7', unified: 'shipping_in_progress', description: 'Being sorted' },
  // An attempt is not yet a failure: the carrier tries again or takes it to a point (as ECOTRACK).
  { native: '8', unified: 'shipping_in_progress', description: 'Delivery attempt failed' },
  { native: '11', unified: 'delivered', final: true, description: 'Delivered' },
  // Issue 7: 12 is "waiting at the point", which the counter must tell apart from "in transit".
  { native: '12', unified: 'shipping_in_progress', kind: 'waiting_at_point', description: 'Awaiting customer pickup' },
  { native: '13', unified: 'ready_to_ship', description: 'Announced: not collected' },
  { native: '15', unified: 'delivery_failure', description: 'Error collecting' },
  { native: '22', unified: 'shipped', description: 'Shipment picked up by driver' },
  { native: '80', unified: 'delivery_failure', description: 'Unable to deliver' },
  { native: '91', unified: 'shipping_in_progress', description: 'Parcel en route' },
  { native: '92', unified: 'shipping_in_progress', kind: 'out_for_delivery', description: 'Driver en route' },
  { native: '93', unified: 'delivered', final: true, description: 'Shipment collected by customer' },
  { native: '999', unified: 'packaging', description: 'No label' },
  { native: '1000', unified: 'ready_to_ship', description: 'Ready to send' },
  { native: '1001', unified: 'packaging', description: 'Being announced' },
  // The carrier never took it: still being prepared from the counter's point of view.
  { native: '1002', unified: 'packaging', description: 'Announcement failed' },
  { native: '1337', unified: 'shipping_in_progress', kind: 'info', description: 'Unknown status - check carrier track & trace page' },
  { native: '1998', unified: 'cancelled', final: true, description: 'Cancelled upstream' },
  { native: '1999', unified: 'cancelled', description: 'Cancellation requested' },
  { native: '2000', unified: 'cancelled', final: true, description: 'Cancelled' },
  { native: '2001', unified: 'cancelled', description: 'Submitting cancellation request' },
  { native: '62989', unified: 'shipping_in_progress', description: 'At Customs' },
  { native: '62991', unified: 'delivery_failure', description: 'Refused by recipient' },
  { native: '62992', unified: 'return', final: true, description: 'Returned to sender' },
  { native: '62993', unified: 'shipping_in_progress', kind: 'info', description: 'Delivery method changed' },
  { native: '62994', unified: 'shipping_in_progress', kind: 'info', description: 'Delivery date changed' },
  { native: '62995', unified: 'shipping_in_progress', kind: 'info', description: 'Delivery address changed' },
  { native: '62996', unified: 'delivery_failure', description: 'Exception' },
  { native: '62997', unified: 'delivery_failure', description: 'Address invalid' }
]

export const sendcloudMapping: StatusMapping = {
  rows: SENDCLOUD_ROWS,
  // Ids are numbers; " 12 " or 12.0 from a sloppy source still match.
  normalise: (n) => {
    const t = String(n).trim()
    return /^\d+(\.0+)?$/.test(t) ? String(Number(t)) : t.toLowerCase()
  },
  fallback: { unified: 'shipping_in_progress', kind: 'info' }
}

/** The message Sendcloud gives each id (simulator and tests). */
export const SENDCLOUD_MESSAGES: ReadonlyMap<number, string> = new Map(SENDCLOUD_ROWS.map((r) => [Number(r.native), r.description!]))
