// The update service: schedules checks, downloads in the background, decides when an install
// may happen, and says what the clerk sees. Electron and electron-updater are behind the
// UpdateEngine interface, so all of this runs (and is tested) in plain Node.

import { z } from 'zod'
import { feedUrl as feedUrlSchema, updateChannel, type UpdateStatus } from '../../../shared/contract/updater'
import { GuichetError } from '../../../shared/result'
import { iso, realTimers, type Clock, type Timers } from '../../platform/clock'
import type { Logger } from '../../platform/logger'
import { NOT_SIGNED, type BuildSigning } from '../../platform/security/signing'
import type { KeyValueStore } from '../../core/settings/settings'
import type { OfferedUpdate, UpdateEngine } from './engine'
import {
  decideInstall,
  feedTarget,
  nextCheckAt,
  type DisabledReason,
  type InstallBlock,
  type InstallTrigger,
  type UpdateChannel
} from './policy'

/** The settings key the updater owns in the shared settings store. */
export const UPDATE_SETTINGS_KEY = 'updates'
const storedSchema = z.lazy(() =>
  z
    .object({
      channel: updateChannel,
      // Written by versions that let the UI set a feed; read only to be ignored (see settings()).
      feedUrl: z.unknown(),
      // The downloaded version's notes, shown as "what's new" once it runs.
      notes: z.object({ version: z.string().max(64), text: z.string().max(8000).nullable() })
    })
    .partial()
)

export type { Timers }

export interface UpdateServiceOptions {
  /** null: updates are off here (browser mode, not packaged, under tests...). */
  engine: UpdateEngine | null
  disabledReason: DisabledReason | null
  currentVersion: string
  store: KeyValueStore
  /** The build's feed (app-update.yml / publish url) and channel, until the point overrides them. */
  defaults: { feedUrl: string | null; channel: UpdateChannel }
  /** Whether this build is code-signed and by whom (platform/security/signing.ts); unset: not signed. */
  signing?: BuildSigning
  clock: Clock
  logger: Logger
  timers?: Timers
  /** The first check waits a little so it never slows the desk's start. */
  startDelayMs?: number
  isPrinting: () => boolean
  hasUnsentOutbox: () => boolean
  isOpeningHours: (now: number) => boolean
}

type Phase = UpdateStatus['phase']

export class UpdateService {
  private phase: Phase
  private lastCheckAt: number | null = null
  private lastCheckFailed = false
  private lastError: { message: string; at: number } | null = null
  private available: OfferedUpdate | null = null
  private readyVersion: string | null = null
  private downloadPercent: number | null = null
  private installBlockedBy: InstallBlock | null = null
  private timer: unknown = null
  private inFlight: Promise<void> | null = null
  private downloading: Promise<void> | null = null
  private stopped = true
  /** Set once the installer was started: the quit that follows must not start it twice. */
  private installStarted = false
  private readonly listeners = new Set<(s: UpdateStatus) => void>()
  private readonly timers: Timers

  constructor(private readonly o: UpdateServiceOptions) {
    this.timers = o.timers ?? realTimers
    this.phase = this.enabled ? 'idle' : 'disabled'
  }

  private get enabled(): boolean {
    return this.o.engine !== null && this.o.disabledReason === null
  }

  /**
   * The point's channel when valid, else the build's; the feed is always the build's own. A feed
   * address kept in settings (older versions allowed one) is ignored: settings.json is writable
   * by whoever sits at the desk, and the feed decides what code runs at the next restart.
   */
  settings(): { channel: UpdateChannel; feedUrl: string | null } {
    const raw = this.o.store.get(UPDATE_SETTINGS_KEY)
    const parsed = raw === undefined ? null : storedSchema.safeParse(raw)
    if (parsed && !parsed.success) this.o.logger.warn('updater.settings_invalid', { issue: parsed.error.issues[0]?.message })
    const s = parsed?.success ? parsed.data : {}
    const feed = feedUrlSchema.safeParse(this.o.defaults.feedUrl)
    return { channel: s.channel ?? this.o.defaults.channel, feedUrl: feed.success ? feed.data : null }
  }

  /** Starts the schedule: a check shortly after start, then every 6 hours. */
  start(): void {
    if (!this.enabled || !this.stopped) return
    this.stopped = false
    this.schedule(this.o.startDelayMs ?? 15_000)
  }

  stop(): void {
    this.stopped = true
    if (this.timer !== null) this.timers.clearTimeout(this.timer)
    this.timer = null
  }

  onChange(listener: (s: UpdateStatus) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  status(): UpdateStatus {
    const { channel, feedUrl } = this.settings()
    const disabledReason: DisabledReason | null = this.o.disabledReason ?? (this.o.engine ? null : 'browser_mode')
    const effectiveReason = disabledReason ?? (feedUrl ? null : 'no_feed')
    const next = this.enabled && !this.stopped && feedUrl ? nextCheckAt(this.lastCheckAt, this.lastCheckFailed, this.o.clock.now()) : null
    const ready = this.phase === 'ready'
    return {
      supported: effectiveReason === null,
      disabledReason: effectiveReason,
      currentVersion: this.o.currentVersion,
      channel,
      // Shown in the About view: a token in the query string stays in main.
      feedUrl: feedUrl ? stripQuery(feedUrl) : null,
      phase: this.phase,
      lastCheckAt: iso(this.lastCheckAt),
      nextCheckAt: iso(next),
      available: this.available
        ? { version: this.available.version, releaseDate: this.available.releaseDate, releaseNotes: this.available.releaseNotes }
        : null,
      installedNotes: this.installedNotes(),
      downloadPercent: this.downloadPercent,
      lastError: this.lastError ? { message: this.lastError.message, at: iso(this.lastError.at)! } : null,
      installBlockedBy: this.installBlockedBy,
      signing: this.o.signing ?? NOT_SIGNED,
      show: ready ? 'restart_offer' : this.phase === 'error' ? 'quiet_error' : 'nothing'
    }
  }

  /** Checks now; a newer version starts downloading in the background. Never throws. */
  async check(): Promise<UpdateStatus> {
    if (!this.enabled) return this.status()
    if (!this.inFlight) {
      this.inFlight = this.runCheck().finally(() => {
        this.inFlight = null
        if (!this.stopped) this.schedule(nextCheckAt(this.lastCheckAt, this.lastCheckFailed, this.o.clock.now()) - this.o.clock.now())
      })
    }
    await this.inFlight
    return this.status()
  }

  /** Resolves when no check or download is running (tests and orderly shutdown). */
  async settled(): Promise<void> {
    while (this.inFlight || this.downloading) await (this.inFlight ?? this.downloading)
  }

  /** The clerk chose "restart now". */
  restartNow(): { installing: boolean; blockedBy: InstallBlock | null } {
    if (!this.enabled) throw new GuichetError('unsupported', 'Updates are managed by the desktop app')
    return this.tryInstall('restart_now')
  }

  /** Called as Guichet quits: installs quietly only outside opening hours and when nothing is pending. */
  onQuit(): boolean {
    if (!this.enabled || this.phase !== 'ready' || this.installStarted) return false
    return this.tryInstall('quit').installing
  }

  /** Moves the desk to another channel of the build's own feed: a name, never an address. */
  setChannel(channel: UpdateChannel): UpdateStatus {
    if (this.status().disabledReason === 'browser_mode') throw new GuichetError('unsupported', 'Updates are managed by the desktop app')
    const c = updateChannel.safeParse(channel)
    if (!c.success) throw new GuichetError('invalid_input', `channel: ${c.error.issues[0]?.message}`, { field: 'channel' })
    const { feedUrl: _ignored, ...kept } = this.storedRaw()
    void _ignored
    const patch: Record<string, unknown> = { ...kept, channel: c.data }
    const before = this.settings()
    this.o.store.set(UPDATE_SETTINGS_KEY, patch)
    const after = this.settings()
    this.o.logger.info('updater.channel_changed', {
      from: before.channel,
      to: after.channel,
      feedChanged: before.feedUrl !== after.feedUrl
    })
    if (before.channel !== after.channel || before.feedUrl !== after.feedUrl) {
      // What was offered or downloaded belongs to the old channel.
      this.available = null
      this.readyVersion = null
      this.downloadPercent = null
      this.installBlockedBy = null
      if (this.enabled) {
        this.phase = 'idle'
        this.lastCheckAt = null
        if (!this.stopped) this.schedule(0)
      }
    }
    this.emit()
    return this.status()
  }

  private installedNotes(): string | null {
    const notes = this.storedRaw().notes as { version: string; text: string | null } | undefined
    return notes && notes.version === this.o.currentVersion ? notes.text : null
  }

  private storedRaw(): Record<string, unknown> {
    const raw = this.o.store.get(UPDATE_SETTINGS_KEY)
    const parsed = raw === undefined ? null : storedSchema.safeParse(raw)
    return parsed?.success ? { ...parsed.data } : {}
  }

  private tryInstall(trigger: InstallTrigger): { installing: boolean; blockedBy: InstallBlock | null } {
    const now = this.o.clock.now()
    const decision = decideInstall({
      trigger,
      downloaded: this.phase === 'ready',
      // A predicate that fails answers "busy": better a late update than a cut-off print.
      printing: safe(this.o.isPrinting, true, this.o.logger),
      outboxPending: safe(this.o.hasUnsentOutbox, true, this.o.logger),
      openingHours: safe(() => this.o.isOpeningHours(now), true, this.o.logger)
    })
    if (!decision.install) {
      this.installBlockedBy = decision.blockedBy
      this.o.logger.info('updater.install_deferred', { trigger, blockedBy: decision.blockedBy, version: this.readyVersion })
      this.emit()
      return { installing: false, blockedBy: decision.blockedBy }
    }
    this.installBlockedBy = null
    this.o.logger.info('updater.installing', { trigger, version: this.readyVersion })
    try {
      // At quit: silent and no relaunch (the desk is closing); on "restart now": relaunch.
      this.o.engine!.install({ silent: trigger === 'quit', runAfter: trigger === 'restart_now' })
      this.installStarted = true
      return { installing: true, blockedBy: null }
    } catch (e) {
      this.fail('install', e)
      return { installing: false, blockedBy: null }
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer)
    this.timer = this.timers.setTimeout(
      () => {
        this.timer = null
        void this.check()
      },
      Math.max(0, delayMs)
    )
  }

  private async runCheck(): Promise<void> {
    const { channel, feedUrl } = this.settings()
    if (!feedUrl) return
    this.phase = this.phase === 'ready' ? 'ready' : 'checking'
    this.emit()
    const now = this.o.clock.now()
    try {
      const offered = await this.o.engine!.check(feedTarget(feedUrl, channel, this.o.currentVersion))
      this.lastCheckAt = now
      this.lastCheckFailed = false
      this.lastError = null
      if (!offered) {
        this.o.logger.info('updater.up_to_date', { channel, version: this.o.currentVersion })
        if (this.phase !== 'ready') {
          this.available = null
          this.phase = 'up_to_date'
        }
        return
      }
      if (this.readyVersion === offered.version) {
        this.phase = 'ready'
        return
      }
      this.o.logger.info('updater.available', { channel, version: offered.version })
      this.available = offered
      this.startDownload(offered)
    } catch (e) {
      this.lastCheckAt = now
      this.lastCheckFailed = true
      this.fail('check', e)
    } finally {
      this.emit()
    }
  }

  private startDownload(offered: OfferedUpdate): void {
    this.phase = 'downloading'
    this.downloadPercent = 0
    this.readyVersion = null
    this.downloading = this.o
      .engine!.download((p) => {
        this.downloadPercent = p
      })
      .then(() => {
        this.readyVersion = offered.version
        this.downloadPercent = 100
        this.phase = 'ready'
        this.o.logger.info('updater.downloaded', { version: offered.version })
        this.o.store.set(UPDATE_SETTINGS_KEY, { ...this.storedRaw(), notes: { version: offered.version, text: offered.releaseNotes } })
      })
      .catch((e: unknown) => {
        this.downloadPercent = null
        this.available = null
        this.lastCheckFailed = true
        this.fail('download', e)
      })
      .finally(() => {
        this.downloading = null
        this.emit()
      })
  }

  /** A failure is logged and shown quietly; the desk keeps working on the current version. */
  private fail(step: 'check' | 'download' | 'install', e: unknown): void {
    const message = e instanceof Error ? e.message : String(e)
    const code = e instanceof GuichetError ? e.code : 'internal'
    this.o.logger.warn(`updater.${step}_failed`, { code, message })
    this.lastError = { message, at: this.o.clock.now() }
    // A downloaded update stays installable when a later check fails.
    if (this.phase !== 'ready') this.phase = 'error'
    this.emit()
  }

  private emit(): void {
    if (this.listeners.size === 0) return
    const s = this.status()
    for (const l of this.listeners) {
      try {
        l(s)
      } catch (e) {
        this.o.logger.warn('updater.listener_failed', { error: e })
      }
    }
  }
}

function stripQuery(url: string): string {
  try {
    const u = new URL(url)
    return `${u.origin}${u.pathname}`
  } catch {
    return ''
  }
}

/** An injected predicate that throws must not crash the desk: use the given (cautious) answer. */
function safe(fn: () => boolean, fallback: boolean, logger: Logger): boolean {
  try {
    return fn()
  } catch (e) {
    logger.warn('updater.predicate_failed', { error: e })
    return fallback
  }
}
