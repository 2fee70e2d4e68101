import { createHash } from 'node:crypto'
import { z } from 'zod'
import { CARRIERS, type CarrierId } from '../../../shared/domain'
import { GuichetError } from '../../../shared/result'
import type { AccountInfo, ConnectionCheck } from '../../../shared/contract/accounts'
import type { CarrierAccount, CarrierAdapter, CarrierModule } from '../../carriers/types'
import type { Clock } from '../../platform/clock'
import type { Logger } from '../../platform/logger'
import { originsOf, requireSecureUrl } from '../credentials/origin'
import { secretValues } from '../credentials/secret-fields'
import type { KeyValueStore } from '../settings/settings'
import { DEFAULT_SCHEDULE, type ScheduleSettings } from '../schedule/schedule'
import { probeConnection } from './connection'
import { scheduleFromOptions } from './schedule'

// Carrier accounts: which carrier, under which alias, at which URL, with which non-secret
// options (Express Relais' seed-000 fields, say). Secrets stay in the vault and are read at the
// moment an adapter is built. Adapters are cached per account so each keeps its rate budget.

const SETTINGS_KEY = 'carrierAccounts'

const accountConfigSchema = z.lazy(() =>
  z.strictObject({
    carrier: z.enum(CARRIERS),
    alias: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash or underscore (at most 64)'),
    baseUrl: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }),
    enabled: z.boolean().default(true),
    options: z.record(z.string().max(64), z.union([z.string().max(1000), z.number(), z.boolean(), z.null()])).default({})
  })
)
type AccountConfig = z.infer<typeof accountConfigSchema>

interface CarrierAccountsDeps {
  settingsStore: KeyValueStore
  /**
   * Secrets of an account from the vault, or null when none are stored or they were not entered
   * for every origin the account calls (`origins`: its base URL and URL-valued options).
   */
  secretsFor(carrier: CarrierId, alias: string, origins: readonly string[]): Record<string, string> | null
  /** An existing account now calls other origins: its secrets must be dropped and asked again. */
  onOriginsChanged?: (carrier: CarrierId, alias: string) => void
  moduleFor(carrier: CarrierId): CarrierModule | undefined
  clock: Clock
  logger: Logger
  /** Decorates each adapter once it is built (connectivity reporting). */
  wrap?: (adapter: CarrierAdapter) => CarrierAdapter
}

interface CachedAdapter {
  fingerprint: string
  adapter: CarrierAdapter
}

export class CarrierAccounts {
  private readonly cache = new Map<string, CachedAdapter>()
  private readonly schedules = new Map<string, { options: AccountConfig['options'] | undefined; settings: ScheduleSettings }>()
  private parsed: AccountConfig[] | null = null
  /** Each account's last connection test, with the fingerprint of what it tested: a change hides it. */
  private readonly checks = new Map<string, { fingerprint: string; check: ConnectionCheck }>()
  /** Demo accounts point at in-process simulators; they live in memory only. */
  private demo: CarrierAccount[] = []

  constructor(private readonly deps: CarrierAccountsDeps) {}

  /**
   * Configured accounts, as saved; an invalid saved entry is skipped with a warning. Parsed once
   * and kept: the pipeline asks for an account's cadence once per shipment of a batch, and every
   * write goes through save() or remove(), which drop the copy.
   */
  configured(): AccountConfig[] {
    if (this.parsed) return this.parsed
    const raw = this.deps.settingsStore.get(SETTINGS_KEY)
    const out: AccountConfig[] = []
    for (const entry of Array.isArray(raw) ? raw : []) {
      const r = accountConfigSchema.safeParse(entry)
      if (r.success) out.push(r.data)
      else this.deps.logger.warn('accounts.invalid_entry', { issue: r.error.issues[0]?.message })
    }
    this.parsed = out
    return out
  }

  save(config: AccountConfig): AccountInfo {
    const parsed = accountConfigSchema.parse(config)
    scheduleFromOptions(parsed.options) // refuse a cadence that cannot be honoured, naming the field
    requireSecureUrl(parsed.baseUrl, 'baseUrl')
    for (const [k, v] of Object.entries(parsed.options)) if (typeof v === 'string') requireSecureUrl(v, `options.${k}`)
    const previous = this.configured().find((a) => a.carrier === parsed.carrier && a.alias === parsed.alias)
    const rest = this.configured().filter((a) => a !== previous)
    // A secret entered for one host never follows the account to another: drop it before saving.
    if (previous && accountOrigins(previous).join(' ') !== accountOrigins(parsed).join(' ')) {
      this.deps.onOriginsChanged?.(parsed.carrier, parsed.alias)
      this.cache.delete(`${parsed.carrier}/${parsed.alias}`)
    }
    this.deps.settingsStore.set(SETTINGS_KEY, [...rest, parsed])
    this.parsed = null
    return this.info(parsed)
  }

  remove(carrier: CarrierId, alias: string): { removed: boolean } {
    const all = this.configured()
    const rest = all.filter((a) => !(a.carrier === carrier && a.alias === alias))
    this.deps.settingsStore.set(SETTINGS_KEY, rest)
    this.parsed = null
    this.cache.delete(`${carrier}/${alias}`)
    // A later account of the same name, anywhere, starts without them.
    if (rest.length !== all.length) this.deps.onOriginsChanged?.(carrier, alias)
    return { removed: rest.length !== all.length }
  }

  setDemoAccounts(accounts: CarrierAccount[]): void {
    this.demo = accounts
    for (const a of accounts) this.cache.delete(`${a.carrier}/${a.alias}`)
  }

  /** The polling cadence of an account (its options), cached; a bad value falls back to seed 000 with a warning. */
  schedule(carrier: CarrierId, alias: string): ScheduleSettings {
    const options = this.configured().find((a) => a.carrier === carrier && a.alias === alias)?.options
    const cached = this.schedules.get(`${carrier}/${alias}`)
    if (cached && cached.options === options) return cached.settings
    let settings: ScheduleSettings
    try {
      settings = scheduleFromOptions(options)
    } catch (e) {
      this.deps.logger.warn('accounts.bad_schedule', { carrier, alias, error: (e as Error).message })
      settings = DEFAULT_SCHEDULE
    }
    this.schedules.set(`${carrier}/${alias}`, { options, settings })
    return settings
  }

  /** Everything the UI may know of the accounts: never a secret. */
  list(): AccountInfo[] {
    return [
      ...this.configured().map((a) => this.info(a)),
      ...this.demo.map((a) => ({
        carrier: a.carrier,
        alias: a.alias,
        baseUrl: a.baseUrl,
        enabled: true,
        demo: true,
        options: {},
        hasCredentials: true,
        supported: !!this.deps.moduleFor(a.carrier),
        connection: this.checks.get(`${a.carrier}/${a.alias}`)?.check ?? null
      }))
    ]
  }

  /** Carriers with at least one real (not demo) account that is enabled. */
  configuredCarriers(): CarrierId[] {
    return [
      ...new Set(
        this.configured()
          .filter((a) => a.enabled)
          .map((a) => a.carrier)
      )
    ]
  }

  /** The adapter for a shipment's account, or null while it cannot be built (no secrets, unknown carrier). */
  adapter(carrier: CarrierId, alias: string): CarrierAdapter | null {
    const account = this.resolve(carrier, alias)
    if (!account) return null
    const module = this.deps.moduleFor(carrier)
    if (!module) return null
    const key = `${carrier}/${alias}`
    const fingerprint = fingerprintOf(account)
    const cached = this.cache.get(key)
    if (cached && cached.fingerprint === fingerprint) return cached.adapter
    const adapter = this.build(module, account)
    this.cache.set(key, { fingerprint, adapter })
    return adapter
  }

  private build(module: CarrierModule, account: CarrierAccount): CarrierAdapter {
    for (const secret of secretValues(account.credentials)) this.deps.logger.addSecret(secret)
    const built = module.createAdapter(account, { now: () => this.deps.clock.now(), logger: this.deps.logger })
    return this.deps.wrap ? this.deps.wrap(built) : built
  }

  /**
   * Tests an account as saved (enabled or not) with the cheapest real call its carrier allows
   * (connection.ts). Never throws for the carrier's answer: the outcome is the result, and it is
   * kept for list() until the account's settings or secrets change.
   */
  async test(carrier: CarrierId, alias: string): Promise<ConnectionCheck> {
    const at = new Date(this.deps.clock.now()).toISOString()
    const account = this.resolve(carrier, alias, true)
    if (!account) {
      if (
        !this.demo.some((a) => a.carrier === carrier && a.alias === alias) &&
        !this.configured().some((a) => a.carrier === carrier && a.alias === alias)
      )
        throw new GuichetError('not_found', `No ${carrier} account named "${alias}".`, { field: 'alias' })
      return { state: 'no_credentials', at, call: 'none' }
    }
    const module = this.deps.moduleFor(carrier)
    if (!module) return { state: 'unverified', at, call: 'none', error: { code: 'unsupported' } }
    const adapter = account.enabled ? this.adapter(carrier, alias) : this.build(module, account)
    const check = await probeConnection(adapter ?? this.build(module, account), at)
    this.checks.set(`${carrier}/${alias}`, { fingerprint: fingerprintOf(account), check })
    this.deps.logger.info('accounts.tested', { carrier, alias, state: check.state, call: check.call, code: check.error?.code })
    return check
  }

  /** The origins a configured account calls, or null for an account not configured (yet). */
  originsOf(carrier: CarrierId, alias: string): string[] | null {
    const config = this.configured().find((a) => a.carrier === carrier && a.alias === alias)
    return config ? accountOrigins(config) : null
  }

  /** An account with its secrets, for main-process code that must check them (webhook receiver); never for the UI. */
  account(carrier: CarrierId, alias: string): CarrierAccount | null {
    return this.resolve(carrier, alias)
  }

  /** Every account the poller should check: enabled, supported, with its secrets. */
  adapters(): CarrierAdapter[] {
    const keys = [
      ...this.configured()
        .filter((a) => a.enabled)
        .map((a) => [a.carrier, a.alias] as const),
      ...this.demo.map((a) => [a.carrier, a.alias] as const)
    ]
    return keys.map(([c, a]) => this.adapter(c, a)).filter((x): x is CarrierAdapter => x !== null)
  }

  private resolve(carrier: CarrierId, alias: string): CarrierAccount | null
  private resolve(carrier: CarrierId, alias: string, evenDisabled: true): (CarrierAccount & { enabled: boolean }) | null
  private resolve(carrier: CarrierId, alias: string, evenDisabled = false): (CarrierAccount & { enabled?: boolean }) | null {
    const demo = this.demo.find((a) => a.carrier === carrier && a.alias === alias)
    if (demo) return { ...demo, enabled: true }
    const config = this.configured().find((a) => a.carrier === carrier && a.alias === alias && (a.enabled || evenDisabled))
    if (!config) return null
    const credentials = this.deps.secretsFor(carrier, alias, accountOrigins(config))
    if (!credentials) return null
    return { carrier, alias, baseUrl: config.baseUrl, credentials, options: config.options, enabled: config.enabled }
  }

  /** The last test of this account, if what it tested (URL, options, secrets) is what is saved now. */
  private lastCheck(a: AccountConfig, credentials: Record<string, string> | null): ConnectionCheck | null {
    const kept = this.checks.get(`${a.carrier}/${a.alias}`)
    if (!kept || !credentials) return null
    const now = fingerprintOf({ baseUrl: a.baseUrl, options: a.options, credentials })
    return kept.fingerprint === now ? kept.check : null
  }

  private info(a: AccountConfig): AccountInfo {
    const credentials = this.deps.secretsFor(a.carrier, a.alias, accountOrigins(a))
    return {
      carrier: a.carrier,
      alias: a.alias,
      baseUrl: a.baseUrl,
      enabled: a.enabled,
      demo: false,
      options: a.options,
      hasCredentials: credentials !== null,
      supported: !!this.deps.moduleFor(a.carrier),
      connection: this.lastCheck(a, credentials)
    }
  }
}

/** What a connection test or a cached adapter was made with: a change of any of it makes both stale. */
function fingerprintOf(a: { baseUrl: string; options?: unknown; credentials: Record<string, string> }): string {
  return createHash('sha256')
    .update(JSON.stringify([a.baseUrl, a.options ?? {}, a.credentials]))
    .digest('hex')
}

/** Every origin an account calls: its base URL and any option holding an http(s) URL. */
function accountOrigins(a: Pick<AccountConfig, 'baseUrl' | 'options'>): string[] {
  return originsOf([a.baseUrl, ...Object.values(a.options ?? {})])
}
