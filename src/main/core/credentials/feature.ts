// The credentials slice: carrier secrets in the vault the platform gives (OS key store or key
// file), and the channels the settings screen uses. Built before the accounts, which read it.
import type { Handlers } from '../../platform/ipc/dispatch'
import type { Logger } from '../../platform/logger'
import type { KeyValueStore } from '../settings/settings'
import { CredentialsService } from './service'
import type { Vault } from './vault'

/** Where the user's acceptance of the Linux plain-text key risk is remembered (settings store). */
const PLAIN_TEXT_RISK_KEY = 'credentialsPlainTextRiskAccepted'

type CredentialsChannel = 'credentials.status' | 'credentials.set' | 'credentials.clear' | 'credentials.acceptPlainTextRisk'

interface CredentialsFeature {
  service: CredentialsService
  handlers: Pick<Handlers, CredentialsChannel>
  close(): void
}

export function createCredentialsFeature(o: {
  settingsStore: KeyValueStore
  logger: Logger
  createVault(ctx: { plainTextRiskAccepted: () => boolean }): Vault
}): CredentialsFeature {
  const vault = o.createVault({ plainTextRiskAccepted: () => o.settingsStore.get(PLAIN_TEXT_RISK_KEY) === true })
  const service = new CredentialsService(vault, o.logger)
  const handlers: Pick<Handlers, CredentialsChannel> = {
    'credentials.status': () => service.status(),
    'credentials.set': ({ carrier, account, secrets }) => service.set(carrier, account, secrets),
    'credentials.clear': ({ carrier, account }) => service.clear(carrier, account),
    'credentials.acceptPlainTextRisk': ({ accept }) => {
      o.settingsStore.set(PLAIN_TEXT_RISK_KEY, accept)
      o.logger.warn('credentials.plain_text_risk', { accepted: accept })
      return service.status()
    }
  }
  return { service, handlers, close: () => undefined }
}
