// Shipway's event codes as data (contract note §5.3; third-party material only, so the table is
// kept small and easy to change). Reverse-pickup codes (R...) belong to return shipments.
import type { StatusMapping, StatusMappingRow } from '../types'

const SHIPWAY_ROWS: readonly StatusMappingRow[] = [
  // Core webhook events (addWebhooks events list).
  { native: 'INT', unified: 'shipping_in_progress', description: 'In transit' },
  { native: 'OOD', unified: 'shipping_in_progress', kind: 'out_for_delivery', description: 'Out for delivery' },
  { native: 'DEL', unified: 'delivered', final: true, description: 'Delivered' },
  { native: 'UND', unified: 'delivery_failure', description: 'Undelivered' },
  { native: 'RTO', unified: 'return', final: false, description: 'RTO' },
  { native: 'RTD', unified: 'return', final: true, description: 'RTO delivered' },
  // Others seen in clients.
  { native: 'CAN', unified: 'cancelled', final: true, description: 'Cancelled' },
  { native: 'SCH', unified: 'ready_to_ship', description: 'Pickup scheduled' },
  { native: 'OFP', unified: 'ready_to_ship', description: 'Out for pickup' },
  { native: 'PKP', unified: 'shipped', description: 'Picked up' },
  { native: 'PKF', unified: 'ready_to_ship', kind: 'info', description: 'Pickup failed' },
  { native: 'PCAN', unified: 'cancelled', final: true, description: 'Pickup cancelled' },
  { native: 'ONH', unified: 'shipping_in_progress', kind: 'info', description: 'On hold' },
  { native: 'ODA', unified: 'delivery_failure', description: 'Out of delivery area' },
  { native: 'LOST', unified: 'delivery_failure', final: true, description: 'Lost' },
  // Reverse (return) pickups.
  { native: 'RSCH', unified: 'return', final: false, description: 'Return pickup scheduled' },
  { native: 'ROOP', unified: 'return', final: false, description: 'Return out for pickup' },
  { native: 'RPKP', unified: 'return', final: false, description: 'Return picked up' },
  { native: 'RINT', unified: 'return', final: false, description: 'Return in transit' },
  { native: 'RDEL', unified: 'return', final: true, description: 'Return delivered' }
]

export const shipwayMapping: StatusMapping = {
  rows: SHIPWAY_ROWS,
  normalise: (s) => s.trim().toUpperCase(),
  fallback: { unified: 'shipping_in_progress', kind: 'info' }
}
