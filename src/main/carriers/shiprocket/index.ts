import type { CarrierModule } from '../types'
import { createShiprocketAdapter } from './client'
import { shiprocketMapping } from './mapping'
import { shiprocketWebhook } from './webhook'

export const shiprocketModule: CarrierModule = {
  id: 'shiprocket',
  mapping: shiprocketMapping,
  createAdapter: (account, deps) => createShiprocketAdapter(account, deps),
  webhook: shiprocketWebhook
}
