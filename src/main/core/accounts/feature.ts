// The accounts slice: carrier accounts (settings + credentials) and their adapters, the channels
// of the accounts screen, and the stream of carrier answers connectivity listens to.
import { carrierModule } from '../../carriers/registry'
import type { Handlers } from '../../platform/ipc/dispatch'
import type { Clock } from '../../platform/clock'
import type { Logger } from '../../platform/logger'
import type { CredentialsService } from '../credentials/service'
import type { KeyValueStore } from '../settings/settings'
import { CarrierAccounts } from './accounts'
import { reportingAdapter, type CallReporter } from './reporting'

type AccountsChannel = 'accounts.list' | 'accounts.save' | 'accounts.remove' | 'accounts.test'

export interface AccountsFeature {
  service: CarrierAccounts
  handlers: Pick<Handlers, AccountsChannel>
  /** Every carrier answer (or network failure) of every adapter, for whoever listens (connectivity). */
  onCall(reporter: CallReporter): () => void
  /** The base URLs of the enabled accounts: what a connectivity probe may try. */
  enabledHosts(): string[]
  close(): void
}

export function createAccountsFeature(o: {
  settingsStore: KeyValueStore
  credentials: CredentialsService
  clock: Clock
  logger: Logger
}): AccountsFeature {
  const listeners = new Set<CallReporter>()
  const calls: CallReporter = {
    reportSuccess: () => listeners.forEach((l) => l.reportSuccess()),
    reportNetworkFailure: (m) => listeners.forEach((l) => l.reportNetworkFailure(m))
  }
  const service = new CarrierAccounts({
    settingsStore: o.settingsStore,
    secretsFor: (carrier, alias, origins) => o.credentials.secretsFor(carrier, alias, origins),
    onOriginsChanged: (carrier, alias) => o.credentials.originsChanged(carrier, alias),
    moduleFor: carrierModule,
    clock: o.clock,
    logger: o.logger,
    // Every carrier answer is reported, so "last good sync" and offline follow real calls.
    wrap: (adapter) => reportingAdapter(adapter, calls)
  })
  // A credential is bound to its account's origins: the vault asks the accounts which they are.
  o.credentials.bindOriginsFrom((carrier, alias) => service.originsOf(carrier, alias))
  const handlers: Pick<Handlers, AccountsChannel> = {
    'accounts.list': () => service.list(),
    'accounts.save': (input) => service.save(input),
    'accounts.remove': ({ carrier, alias }) => service.remove(carrier, alias),
    // A connection test through the carrier's own adapter: the cheapest real call it allows.
    'accounts.test': ({ carrier, alias }) => service.test(carrier, alias)
  }
  return {
    service,
    handlers,
    onCall(reporter) {
      listeners.add(reporter)
      return () => listeners.delete(reporter)
    },
    enabledHosts: () =>
      service
        .list()
        .filter((a) => a.enabled)
        .map((a) => a.baseUrl),
    close: () => listeners.clear()
  }
}
