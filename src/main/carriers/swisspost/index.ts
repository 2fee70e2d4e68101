import type { CarrierModule } from '../types'
import { createSwissPostAdapter } from './client'
import { swissPostMapping } from './mapping'

export const swissPostModule: CarrierModule = {
  id: 'swisspost',
  mapping: swissPostMapping,
  createAdapter: (account, deps) => createSwissPostAdapter(account, deps)
}
