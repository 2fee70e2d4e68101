import type { CarrierModule } from '../types'
import { createClickpostAdapter } from './client'
import { clickpostMapping } from './mapping'
import { clickpostWebhook } from './webhook'

export const clickpostModule: CarrierModule = {
  id: 'clickpost',
  mapping: clickpostMapping,
  createAdapter: (account, deps) => createClickpostAdapter(account, deps),
  webhook: clickpostWebhook
}
