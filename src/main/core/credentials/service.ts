import type { CredentialsAccountStatus, CredentialsStatus } from '../../../shared/contract/actions'
import type { CarrierId } from '../../../shared/domain'
import { sharedRedactor, type Logger } from '../../platform/logger'
import { maskSecret, type Secrets, type Vault } from './vault'

/**
 * Carrier credentials as the rest of main sees them. The UI gets statuses and hints only;
 * adapters get the secrets through `secretsFor`. Every secret this service ever holds is
 * registered with the logger's redactor, so it cannot reach a log or an error message.
 */
export class CredentialsService {
  /** Both the logger's redactor and the shared one (used by IPC errors and the outbox's stored errors). */
  private hide(value: string): void {
    this.logger.addSecret(value)
    sharedRedactor.add(value)
  }

  constructor(
    private readonly vault: Vault,
    private readonly logger: Logger
  ) {
    this.registerAll()
  }

  status(): CredentialsStatus {
    const h = this.vault.health()
    const accounts: CredentialsAccountStatus[] = []
    for (const { carrier, account } of safeList(this.vault)) accounts.push(this.accountStatus(carrier, account))
    return { backend: h.backend, available: h.available, problem: h.problem, accounts }
  }

  accountStatus(carrier: CarrierId, account: string): CredentialsAccountStatus {
    const hints: Record<string, string> = {}
    let secrets: Secrets | null = null
    try {
      secrets = this.vault.get(carrier, account)
    } catch {
      // Unreadable or locked: still "configured" (something is stored), without hints.
      return { carrier, account, configured: true, hints }
    }
    for (const [k, v] of Object.entries(secrets ?? {})) hints[k] = maskSecret(k, v)
    return { carrier, account, configured: secrets !== null, hints }
  }

  set(carrier: CarrierId, account: string, secrets: Secrets): CredentialsAccountStatus {
    // Register first: if anything below fails, its message is already redacted.
    for (const v of Object.values(secrets)) this.hide(v)
    this.vault.set(carrier, account, secrets)
    this.logger.info('credentials.set', { carrier, account, fields: Object.keys(secrets) })
    return this.accountStatus(carrier, account)
  }

  clear(carrier: CarrierId, account: string): { cleared: boolean } {
    const cleared = this.vault.delete(carrier, account)
    this.logger.info('credentials.cleared', { carrier, account, cleared })
    return { cleared }
  }

  /** For the carrier layer only (main process): the secrets of one account, or null. */
  secretsFor(carrier: CarrierId, account: string): Secrets | null {
    const s = this.vault.get(carrier, account)
    if (s) for (const v of Object.values(s)) this.hide(v)
    return s
  }

  configuredCarriers(): CarrierId[] {
    return [...new Set(safeList(this.vault).map((a) => a.carrier))]
  }

  /** On start: every stored secret is known to the redactor before any carrier call can log. */
  private registerAll(): void {
    if (!this.vault.health().available) return
    for (const { carrier, account } of safeList(this.vault)) {
      try {
        for (const v of Object.values(this.vault.get(carrier, account) ?? {})) this.hide(v)
      } catch (e) {
        this.logger.warn('credentials.unreadable', { carrier, account, error: e })
      }
    }
  }
}

function safeList(vault: Vault): Array<{ carrier: CarrierId; account: string }> {
  try {
    return vault.list()
  } catch {
    return []
  }
}
