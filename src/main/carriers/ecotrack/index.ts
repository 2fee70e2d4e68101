import type { CarrierModule } from '../types'
import { createEcotrackAdapter } from './client'
import { ecotrackMapping } from './mapping'

export const ecotrackModule: CarrierModule = {
  id: 'ecotrack',
  mapping: ecotrackMapping,
  createAdapter: (account, deps) => createEcotrackAdapter(account, deps)
}
export { createEcotrackAdapter } from './client'
export { ecotrackMapping } from './mapping'
export { startEcotrackSimulator } from './simulator'
export { ECOTRACK_FIXTURES } from './fixtures'
export type { EcotrackAdapter, EcotrackOrderInput, EcotrackOrderRow } from './client'
export type { EcoFixture, EcoStep } from './fixtures'
