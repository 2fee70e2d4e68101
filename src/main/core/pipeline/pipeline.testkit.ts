// Shared fixtures for pipeline and poller tests and benchmarks: an in-memory store, a small
// status table in the shape of the carrier modules' tables. Not used by the app itself.
import type { CarrierId } from '../../../shared/domain'
import type { StatusMapping } from '../../carriers/types'
import { openDatabase, type Database } from '../../platform/db/database'
import { ShipmentRepository } from '../shipments/shipments.repo'

export const TEST_MAPPING: StatusMapping = {
  rows: [
    { native: 'NEW_ORDER', unified: 'packaging' },
    { native: 'ORDER_CONFIRMED', unified: 'ready_to_ship' },
    { native: 'PARCEL_PICKEDUP', unified: 'shipped' },
    { native: 'PARCEL_IN_TRANSIT', unified: 'shipping_in_progress' },
    { native: 'WAITING_IN_LOCKER', unified: 'shipping_in_progress', kind: 'waiting_at_point' },
    { native: 'DELIVERED_UNPAID', unified: 'delivered', final: false },
    { native: 'PARCEL_RETRIEVED', unified: 'delivered', final: true },
    { native: 'ORDER_CANCELED', unified: 'cancelled', final: true },
    { native: 'PARCEL_RETURNED', unified: 'return', final: true }
  ],
  normalise: (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase(),
  fallback: { unified: 'shipping_in_progress', kind: 'info' }
}

export function memoryStore(file = ':memory:'): { db: Database; repo: ShipmentRepository } {
  const { db } = openDatabase(file, { skipIntegrityCheck: true })
  return { db, repo: new ShipmentRepository(db) }
}

export const mappingForAll = (): ((c: CarrierId) => StatusMapping) => () => TEST_MAPPING
