import type { CarrierModule } from '../types'
import { createShipwayAdapter } from './client'
import { shipwayMapping } from './mapping'
import { shipwayWebhook } from './webhook'

export const shipwayModule: CarrierModule = {
  id: 'shipway',
  mapping: shipwayMapping,
  createAdapter: (account, deps) => createShipwayAdapter(account, deps),
  webhook: shipwayWebhook
}
