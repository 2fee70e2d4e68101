import { describe, expect, it } from 'vitest'
import { GuichetError } from '../../../shared/result'
import { HOUR, ManualClock } from '../../platform/clock'
import type { Logger } from '../../platform/logger'
import { MemoryStore } from '../../core/settings/settings'
import type { OfferedUpdate, UpdateEngine } from './engine'
import type { FeedTarget } from './policy'
import { UPDATE_SETTINGS_KEY, UpdateService, type Timers, type UpdateServiceOptions } from './service'

class FakeTimers implements Timers {
  pending: Array<{ fn: () => void; ms: number; id: number }> = []
  private n = 0
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.n
    this.pending.push({ fn, ms, id })
    return id
  }
  clearTimeout(h: unknown): void {
    this.pending = this.pending.filter((t) => t.id !== h)
  }
  /** Fires the one pending timer and returns its delay. */
  fire(): number {
    const t = this.pending.shift()
    if (!t) throw new Error('no timer pending')
    t.fn()
    return t.ms
  }
}

class FakeEngine implements UpdateEngine {
  targets: FeedTarget[] = []
  offer: OfferedUpdate | null = null
  checkError: Error | null = null
  downloadError: Error | null = null
  installs: Array<{ silent: boolean; runAfter: boolean }> = []
  installError: Error | null = null
  async check(target: FeedTarget) {
    this.targets.push(target)
    if (this.checkError) throw this.checkError
    return this.offer
  }
  async download(onProgress?: (p: number) => void) {
    onProgress?.(50)
    if (this.downloadError) throw this.downloadError
  }
  install(opts: { silent: boolean; runAfter: boolean }) {
    if (this.installError) throw this.installError
    this.installs.push(opts)
  }
}

function recordingLogger() {
  const lines: Array<{ level: string; event: string; fields?: Record<string, unknown> }> = []
  const log =
    (level: string) =>
    (event: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, event, fields })
    }
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), addSecret() {} }
  return { logger, lines }
}

function setup(over: Partial<UpdateServiceOptions> = {}, busy: { printing?: boolean; outbox?: boolean; open?: boolean } = {}) {
  const engine = new FakeEngine()
  const timers = new FakeTimers()
  const clock = new ManualClock()
  const store = new MemoryStore()
  const { logger, lines } = recordingLogger()
  const flags = { printing: false, outbox: false, open: true, ...busy }
  const service = new UpdateService({
    engine,
    disabledReason: null,
    currentVersion: '1.0.0',
    store,
    defaults: { feedUrl: 'https://updates.example.test/guichet', channel: 'stable' },
    clock,
    logger,
    timers,
    startDelayMs: 10_000,
    isPrinting: () => flags.printing,
    hasUnsentOutbox: () => flags.outbox,
    isOpeningHours: () => flags.open,
    ...over
  })
  return { service, engine, timers, clock, store, lines, flags }
}

const v110: OfferedUpdate = { version: '1.1.0', releaseDate: '2026-11-27T10:00:00.000Z', releaseNotes: 'Faster search' }

describe('UpdateService schedule', () => {
  it('checks shortly after start, then every 6 hours', async () => {
    const { service, engine, timers, clock } = setup()
    service.start()
    expect(timers.pending.map((t) => t.ms)).toEqual([10_000])
    timers.fire()
    await service.settled()
    expect(engine.targets).toHaveLength(1)
    expect(timers.pending.map((t) => t.ms)).toEqual([6 * HOUR])
    clock.advance(6 * HOUR)
    timers.fire()
    await service.settled()
    expect(engine.targets).toHaveLength(2)
    expect(service.status().phase).toBe('up_to_date')
    service.stop()
    expect(timers.pending).toHaveLength(0)
  })

  it('retries a failed check after 30 minutes and shows the failure quietly', async () => {
    const { service, engine, timers, lines } = setup()
    engine.checkError = new GuichetError('offline', 'The update server updates.example.test could not be reached')
    service.start()
    timers.fire()
    await service.settled()
    const s = service.status()
    expect(s.phase).toBe('error')
    expect(s.show).toBe('quiet_error')
    expect(s.lastError?.message).toContain('could not be reached')
    expect(timers.pending.map((t) => t.ms)).toEqual([30 * 60_000])
    expect(lines.some((l) => l.level === 'warn' && l.event === 'updater.check_failed')).toBe(true)
    service.stop()
  })

  it('survives an engine that throws something that is not an Error', async () => {
    const { service, engine } = setup()
    engine.check = () => Promise.reject('boom' as unknown as Error)
    const s = await service.check()
    expect(s.phase).toBe('error')
    expect(s.lastError?.message).toBe('boom')
  })
})

describe('UpdateService download and what to show', () => {
  it('downloads an offered update in the background, then offers restart now', async () => {
    const { service, engine } = setup()
    engine.offer = v110
    const first = await service.check()
    expect(first.available?.version).toBe('1.1.0')
    expect(['downloading', 'ready']).toContain(first.phase)
    await service.settled()
    const s = service.status()
    expect(s.phase).toBe('ready')
    expect(s.show).toBe('restart_offer')
    expect(s.available).toEqual({ version: '1.1.0', releaseDate: v110.releaseDate, releaseNotes: 'Faster search' })
    expect(s.downloadPercent).toBe(100)
    expect(s.lastCheckAt).not.toBeNull()
  })

  it('keeps working on the current version when the download fails', async () => {
    const { service, engine } = setup()
    engine.offer = v110
    engine.downloadError = new GuichetError('carrier_refused', 'The downloaded update 1.1.0 failed its sha512 check and was discarded')
    await service.check()
    await service.settled()
    const s = service.status()
    expect(s.phase).toBe('error')
    expect(s.show).toBe('quiet_error')
    expect(s.available).toBeNull()
    expect(service.restartNow()).toEqual({ installing: false, blockedBy: 'nothing_downloaded' })
    expect(engine.installs).toHaveLength(0)
  })

  it('keeps a downloaded update when a later check fails', async () => {
    const { service, engine } = setup()
    engine.offer = v110
    await service.check()
    await service.settled()
    engine.checkError = new Error('DNS')
    const s = await service.check()
    expect(s.phase).toBe('ready')
    expect(s.show).toBe('restart_offer')
    expect(s.lastError?.message).toBe('DNS')
  })

  it('keeps the downloaded notes as what is new once that version runs', async () => {
    const { service, engine, store } = setup()
    engine.offer = v110
    await service.check()
    await service.settled()
    expect(service.status().installedNotes).toBeNull()
    const after = setup({ store, currentVersion: '1.1.0' })
    expect(after.service.status().installedNotes).toBe('Faster search')
    expect(after.service.status().channel).toBe('stable')
  })

  it('does not download the same version twice', async () => {
    const { service, engine } = setup()
    engine.offer = v110
    let downloads = 0
    const original = engine.download.bind(engine)
    engine.download = (p) => {
      downloads++
      return original(p)
    }
    await service.check()
    await service.settled()
    await service.check()
    await service.settled()
    expect(downloads).toBe(1)
    expect(service.status().phase).toBe('ready')
  })

  it('runs one check at a time', async () => {
    const { service, engine } = setup()
    await Promise.all([service.check(), service.check(), service.check()])
    expect(engine.targets).toHaveLength(1)
  })

  it('does nothing without a feed URL', async () => {
    const { service, engine } = setup({ defaults: { feedUrl: null, channel: 'stable' } })
    const s = await service.check()
    expect(engine.targets).toHaveLength(0)
    expect(s.supported).toBe(false)
    expect(s.disabledReason).toBe('no_feed')
  })

  it('never shows a token from the feed URL', async () => {
    const { service } = setup({ defaults: { feedUrl: 'https://updates.example.test/g?token=s3cr3t-value', channel: 'stable' } })
    expect(JSON.stringify(service.status())).not.toContain('s3cr3t')
  })
})

describe('UpdateService install decisions', () => {
  async function ready(busy: Parameters<typeof setup>[1] = {}) {
    const t = setup({}, busy)
    t.engine.offer = v110
    await t.service.check()
    await t.service.settled()
    return t
  }

  it('installs and relaunches when the clerk chooses restart now', async () => {
    const { service, engine, flags } = await ready()
    expect(service.restartNow()).toEqual({ installing: true, blockedBy: null })
    expect(engine.installs).toEqual([{ silent: false, runAfter: true }])
    // The quit that the installer triggers must not start it a second time.
    flags.open = false
    expect(service.onQuit()).toBe(false)
    expect(engine.installs).toHaveLength(1)
  })

  it('refuses restart now during a print or with an unsent outbox, and says why', async () => {
    const { service, engine, flags } = await ready({ printing: true })
    expect(service.restartNow()).toEqual({ installing: false, blockedBy: 'printing' })
    expect(service.status().installBlockedBy).toBe('printing')
    flags.printing = false
    flags.outbox = true
    expect(service.restartNow()).toEqual({ installing: false, blockedBy: 'outbox_pending' })
    flags.outbox = false
    expect(service.restartNow().installing).toBe(true)
    expect(service.status().installBlockedBy).toBeNull()
    expect(engine.installs).toHaveLength(1)
  })

  it('treats a predicate that throws as busy', async () => {
    const t = setup({
      isPrinting: () => {
        throw new Error('printer service down')
      }
    })
    t.engine.offer = v110
    await t.service.check()
    await t.service.settled()
    expect(t.service.restartNow()).toEqual({ installing: false, blockedBy: 'printing' })
    expect(t.engine.installs).toHaveLength(0)
  })

  it('installs silently at quit outside opening hours only', async () => {
    const { service, engine, flags } = await ready()
    expect(service.onQuit()).toBe(false)
    expect(service.status().installBlockedBy).toBe('opening_hours')
    flags.open = false
    flags.outbox = true
    expect(service.onQuit()).toBe(false)
    flags.outbox = false
    expect(service.onQuit()).toBe(true)
    expect(engine.installs).toEqual([{ silent: true, runAfter: false }])
  })

  it('does nothing at quit without a downloaded update', async () => {
    const { service, engine } = setup({}, { open: false })
    expect(service.onQuit()).toBe(false)
    expect(engine.installs).toHaveLength(0)
  })

  it('reports an installer that fails to start quietly, and keeps the update', async () => {
    const { service, engine } = await ready()
    engine.installError = new Error('spawn EACCES')
    expect(service.restartNow()).toEqual({ installing: false, blockedBy: null })
    const s = service.status()
    expect(s.phase).toBe('ready')
    expect(s.lastError?.message).toBe('spawn EACCES')
  })
})

describe('UpdateService channels', () => {
  it('asks the feed of the chosen channel, with a downgrade allowed only out of a prerelease', async () => {
    const { service, engine, store } = setup({
      currentVersion: '1.3.0-beta.2',
      defaults: { feedUrl: 'https://u.example.test/g', channel: 'beta' }
    })
    await service.check()
    expect(engine.targets.at(-1)).toEqual({ url: 'https://u.example.test/g', channel: 'beta', allowDowngrade: false })
    service.setChannel('stable')
    expect(store.get(UPDATE_SETTINGS_KEY)).toMatchObject({ channel: 'stable' })
    await service.check()
    expect(engine.targets.at(-1)).toEqual({ url: 'https://u.example.test/g', channel: 'stable', allowDowngrade: true })
    service.setChannel('site-casa-01')
    await service.check()
    expect(engine.targets.at(-1)).toEqual({ url: 'https://u.example.test/g', channel: 'site-casa-01', allowDowngrade: true })
  })

  it('never allows a downgrade from a release version', async () => {
    const { service, engine } = setup()
    service.setChannel('beta')
    service.setChannel('stable')
    await service.check()
    expect(engine.targets.at(-1)?.allowDowngrade).toBe(false)
  })

  it('drops what the old channel offered and checks the new one soon', async () => {
    const { service, engine, timers } = setup()
    service.start()
    engine.offer = v110
    timers.fire()
    await service.settled()
    expect(service.status().phase).toBe('ready')
    service.setChannel('beta')
    const s = service.status()
    expect(s.channel).toBe('beta')
    expect(s.phase).toBe('idle')
    expect(s.available).toBeNull()
    expect(timers.pending.map((t) => t.ms)).toEqual([0])
    service.stop()
  })

  it('rejects a bad channel with a typed error and keeps the settings', () => {
    const { service, store } = setup()
    expect(() => service.setChannel('../etc')).toThrow(GuichetError)
    expect(() => service.setChannel('https://evil.example/feed')).toThrow(GuichetError)
    expect(store.get(UPDATE_SETTINGS_KEY)).toBeUndefined()
    expect(service.status().channel).toBe('stable')
  })

  it('never reads the feed from settings: a feed address written there (older versions, a hand edit) is ignored', async () => {
    const { service, engine, store } = setup()
    store.set(UPDATE_SETTINGS_KEY, { channel: 'beta', feedUrl: 'https://evil.example.test/feed' })
    await service.check()
    expect(engine.targets.at(-1)).toMatchObject({ url: 'https://updates.example.test/guichet', channel: 'beta' })
    service.setChannel('stable')
    expect(store.get(UPDATE_SETTINGS_KEY)).toEqual({ channel: 'stable' })
  })

  it('falls back to the defaults when the stored settings are damaged', () => {
    const { service, store, lines } = setup()
    store.set(UPDATE_SETTINGS_KEY, { channel: 42 })
    expect(service.status().channel).toBe('stable')
    expect(lines.some((l) => l.event === 'updater.settings_invalid')).toBe(true)
  })
})

describe('UpdateService build signing', () => {
  it('reports the signing it was given, and not signed when none was', () => {
    expect(setup().service.status().signing).toEqual({ signed: false, publisher: null })
    const signed = setup({ signing: { signed: true, publisher: 'Guichet SAS' } }).service.status()
    expect(signed.signing).toEqual({ signed: true, publisher: 'Guichet SAS' })
  })
})

describe('UpdateService when updates are off', () => {
  it('reports why, never checks, never schedules, and refuses restart now', async () => {
    for (const reason of ['not_packaged', 'under_test'] as const) {
      const { service, engine, timers } = setup({ disabledReason: reason })
      service.start()
      expect(timers.pending).toHaveLength(0)
      const s = await service.check()
      expect(engine.targets).toHaveLength(0)
      expect(s).toMatchObject({ supported: false, disabledReason: reason, phase: 'disabled', show: 'nothing' })
      expect(() => service.restartNow()).toThrow(GuichetError)
      expect(service.onQuit()).toBe(false)
    }
  })

  it('says browser mode when there is no engine at all', () => {
    const { service } = setup({ engine: null })
    expect(service.status()).toMatchObject({ supported: false, disabledReason: 'browser_mode' })
  })
})
