import type { CredentialsAccountStatus, CredentialsStatus } from '../../../shared/contract/actions'
import type { CarrierId } from '../../../shared/domain'
import { sharedRedactor, type Logger } from '../../platform/logger'
import { covers, isLoopbackOrigin } from './origin'
import { maskSecret, type Secrets, type Vault } from './vault'
import { secretValues } from './secret-fields'
import { isWebhookSecretCarrier, WEBHOOK_SECRETS } from '../../../shared/webhook-secret'

/**
 * Where the vault keeps the origins a credential is bound to, inside the same encrypted entry.
 * The contract's field names start with a letter, so the renderer can neither set nor read it.
 */
const ORIGINS = '@origins'

function split(stored: Secrets): { secrets: Secrets; bound: string[] | null } {
  const { [ORIGINS]: raw, ...secrets } = stored
  let bound: string[] | null = null
  try {
    const parsed: unknown = raw === undefined ? null : JSON.parse(raw)
    if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) bound = parsed
  } catch {
    bound = []
  }
  return { secrets, bound }
}

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
    for (const { carrier, account } of carrierList(this.vault)) accounts.push(this.accountStatus(carrier, account))
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
    for (const [k, v] of Object.entries(secrets ? split(secrets).secrets : {})) hints[k] = maskSecret(k, v)
    return { carrier, account, configured: secrets !== null, hints }
  }

  /**
   * Stores an account's secrets, bound to the origins it calls now when they are known (else to
   * the origins of its first use). Entering them is the user's word that they belong there.
   */
  set(carrier: CarrierId, account: string, secrets: Secrets, given?: readonly string[]): CredentialsAccountStatus {
    // Register first: if anything below fails, its message is already redacted.
    const { secrets: typed } = split(secrets)
    // The webhook secret Guichet generated is not on the clerk's form: saving the form keeps it.
    const kept = isWebhookSecretCarrier(carrier) ? WEBHOOK_SECRETS[carrier].field : null
    const stored = kept && !(kept in typed) ? this.vault.get(carrier, account)?.[kept] : undefined
    const clean = stored !== undefined && kept ? { ...typed, [kept]: stored } : typed
    const origins = given ?? this.originsOf?.(carrier, account) ?? undefined
    for (const v of secretValues(clean)) this.hide(v)
    this.vault.set(carrier, account, origins && origins.length > 0 ? { ...clean, [ORIGINS]: JSON.stringify(origins) } : clean)
    this.logger.info('credentials.set', { carrier, account, fields: Object.keys(secrets) })
    return this.accountStatus(carrier, account)
  }

  /**
   * Replaces one field (a webhook secret the app generated), keeping the account's other secrets
   * and the origins they are bound to. The caller registers the value with the redactor (see
   * features/webhooks/secrets.ts: it is shown once first).
   */
  setField(carrier: CarrierId, account: string, field: string, value: string): void {
    const stored = this.vault.get(carrier, account) ?? {}
    this.vault.set(carrier, account, { ...stored, [field]: value })
    this.logger.info('credentials.field_set', { carrier, account, field })
  }

  /** Registers a value with both redactors (a secret created in main and shown once). */
  redact(value: string): void {
    this.hide(value)
  }

  clear(carrier: CarrierId, account: string): { cleared: boolean } {
    const cleared = this.vault.delete(carrier, account)
    this.logger.info('credentials.cleared', { carrier, account, cleared })
    return { cleared }
  }

  /**
   * For the carrier layer only (main process): the secrets of one account, or null. Given the
   * origins the account calls, null too when they are not all the ones the secrets were entered
   * for (the host was changed behind the vault's back), or one of them is plain http off this
   * computer: the secret never leaves for a place it was not given to.
   */
  secretsFor(carrier: CarrierId, account: string, origins?: readonly string[]): Secrets | null {
    const stored = this.vault.get(carrier, account)
    if (!stored) return null
    const { secrets, bound } = split(stored)
    for (const v of secretValues(secrets)) this.hide(v)
    if (origins === undefined) return secrets
    if (origins.some((o) => o.startsWith('http:') && !isLoopbackOrigin(o))) {
      this.logger.warn('credentials.insecure_origin', { carrier, account, origins })
      return null
    }
    if (bound === null) {
      // Stored before origins were bound, or set before the account had a URL: bound on first use.
      this.vault.set(carrier, account, { ...secrets, [ORIGINS]: JSON.stringify(origins) })
      return secrets
    }
    if (!covers(bound, origins)) {
      this.logger.warn('credentials.origin_changed', { carrier, account, bound, origins })
      return null
    }
    return secrets
  }

  /** Where set() learns the origins an account calls now (the accounts module, wired late). */
  private originsOf: ((carrier: CarrierId, account: string) => readonly string[] | null) | undefined
  bindOriginsFrom(lookup: (carrier: CarrierId, account: string) => readonly string[] | null): void {
    this.originsOf = lookup
  }

  /** The account now calls other origins: its secrets are dropped and must be entered again. */
  originsChanged(carrier: CarrierId, account: string): void {
    const cleared = this.vault.delete(carrier, account)
    if (cleared) this.logger.warn('credentials.dropped_for_new_origin', { carrier, account })
  }

  configuredCarriers(): CarrierId[] {
    return [...new Set(carrierList(this.vault).map((a) => a.carrier))]
  }

  /** Whether secrets can be stored now (desktop: the OS key store, or the accepted plain-text risk). */
  available(): boolean {
    return this.vault.health().available
  }

  /** This desk's own secrets (its hub credential), kept in the same vault, never listed as a carrier account. */
  ownSecrets(name: string): Secrets | null {
    const s = this.vault.get(OWN, name)
    for (const v of Object.values(s ?? {})) this.hide(v)
    return s
  }

  setOwnSecrets(name: string, secrets: Secrets): void {
    for (const v of Object.values(secrets)) this.hide(v)
    this.vault.set(OWN, name, secrets)
  }

  clearOwnSecrets(name: string): boolean {
    return this.vault.delete(OWN, name)
  }

  /** On start: every stored secret is known to the redactor before any carrier call can log. */
  private registerAll(): void {
    if (!this.vault.health().available) return
    for (const { carrier, account } of safeList(this.vault)) {
      try {
        for (const v of secretValues(split(this.vault.get(carrier, account) ?? {}).secrets)) this.hide(v)
      } catch (e) {
        this.logger.warn('credentials.unreadable', { carrier, account, error: e })
      }
    }
  }
}

/** The vault's namespace for this desk's own secrets: not a carrier, so never shown as an account. */
const OWN = 'guichet' as CarrierId

const carrierList = (vault: Vault) => safeList(vault).filter((a) => a.carrier !== OWN)

function safeList(vault: Vault): Array<{ carrier: CarrierId; account: string }> {
  try {
    return vault.list()
  } catch {
    return []
  }
}
