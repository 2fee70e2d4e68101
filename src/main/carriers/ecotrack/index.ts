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
export type { EcotrackAdapter } from './client'
export type { EcotrackOrderInput, EcotrackOrderRow } from './wire'
