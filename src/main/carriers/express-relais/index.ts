import type { CarrierModule } from '../types'
import { createExpressRelaisAdapter } from './client'
import { expressRelaisMapping } from './mapping'

export const expressRelaisModule: CarrierModule = {
  id: 'express-relais',
  mapping: expressRelaisMapping,
  createAdapter: (account, deps) => createExpressRelaisAdapter(account, deps)
}
