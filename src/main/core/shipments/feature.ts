// The lookup slice: find, search, list and open shipments, all read from the repository.
import type { Handlers } from '../../platform/ipc/dispatch'
import type { Clock } from '../../platform/clock'
import { ShipmentService } from './service'
import type { ShipmentRepository } from './shipments.repo'

type ShipmentsChannel = 'shipments.find' | 'shipments.search' | 'shipments.list' | 'shipments.get'

interface ShipmentsFeature {
  service: ShipmentService
  handlers: Pick<Handlers, ShipmentsChannel>
  close(): void
}

export function createShipmentsFeature(o: { repo: ShipmentRepository; clock: Clock }): ShipmentsFeature {
  const service = new ShipmentService(o.repo, o.clock)
  return {
    service,
    handlers: {
      'shipments.find': ({ query }) => service.find(query),
      'shipments.search': ({ text, limit }) => service.search(text, limit),
      'shipments.list': (f) => service.list(f),
      'shipments.get': ({ id }) => service.get(id)
    },
    close: () => undefined
  }
}
