import type { CarrierModule } from '../types'
import { createSendcloudAdapter } from './client'
import { sendcloudMapping } from './mapping'
import { sendcloudWebhook } from './webhook'

export const sendcloudModule: CarrierModule = {
  id: 'sendcloud',
  mapping: sendcloudMapping,
  createAdapter: (account, deps) => createSendcloudAdapter(account, deps),
  webhook: sendcloudWebhook
}
