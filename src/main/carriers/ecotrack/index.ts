import type { CarrierModule } from '../types'
import { createEcotrackAdapter } from './client'
import { ecotrackMapping } from './mapping'

export const ecotrackModule: CarrierModule = {
  id: 'ecotrack',
  mapping: ecotrackMapping,
  createAdapter: (account, deps) => createEcotrackAdapter(account, deps)
}
