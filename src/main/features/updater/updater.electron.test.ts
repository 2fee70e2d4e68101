import { EventEmitter } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../platform/logger'
import { feedTarget } from './policy'
import { ElectronUpdaterEngine, createDesktopUpdater, readBuildFeed, type UpdaterLike } from './updater.electron'

// A stand-in for electron-updater's AppUpdater: records what the engine asks of it.
function fakeUpdater(result: unknown) {
  const emitter = new EventEmitter()
  const calls: Array<[string, ...unknown[]]> = []
  const u = Object.assign(emitter, {
    autoDownload: true,
    autoInstallOnAppQuit: true,
    allowDowngrade: false,
    disableWebInstaller: false,
    forceDevUpdateConfig: false,
    logger: null as unknown,
    setFeedURL: (o: unknown) => {
      calls.push(['setFeedURL', o])
      u.allowDowngrade = true // electron-updater does this when a channel is set
    },
    checkForUpdates: async () => result,
    downloadUpdate: async () => {
      emitter.emit('download-progress', { percent: 42.7 })
      return ['/tmp/x']
    },
    quitAndInstall: (silent?: boolean, runAfter?: boolean) => calls.push(['quitAndInstall', silent, runAfter])
  })
  return { u: u as unknown as UpdaterLike & EventEmitter & { allowDowngrade: boolean }, calls }
}

describe('ElectronUpdaterEngine', () => {
  it('leaves download and install decisions to the service and never crashes on updater errors', () => {
    const { u } = fakeUpdater(null)
    new ElectronUpdaterEngine(u, silentLogger)
    expect(u.autoDownload).toBe(false)
    expect(u.autoInstallOnAppQuit).toBe(false)
    expect(() => u.emit('error', new Error('net::ERR_NAME_NOT_RESOLVED'))).not.toThrow()
    expect(u.forceDevUpdateConfig).toBe(false)
    const dev = fakeUpdater(null).u
    new ElectronUpdaterEngine(dev, silentLogger, { dev: true })
    expect(dev.forceDevUpdateConfig).toBe(true)
  })

  it('points the generic provider at the channel feed and keeps allowDowngrade as decided', async () => {
    const { u, calls } = fakeUpdater({
      isUpdateAvailable: true,
      updateInfo: { version: '1.1.0', releaseDate: '2026-11-27', releaseNotes: '<p>Faster</p>' }
    })
    const e = new ElectronUpdaterEngine(u, silentLogger)
    const offered = await e.check(feedTarget('https://u.example.test/g', 'stable', '1.0.0'))
    expect(calls[0]).toEqual([
      'setFeedURL',
      { provider: 'generic', url: 'https://u.example.test/g', channel: 'latest', useMultipleRangeRequest: false }
    ])
    expect(u.allowDowngrade).toBe(false)
    expect(offered).toEqual({ version: '1.1.0', releaseDate: '2026-11-27', releaseNotes: 'Faster' })
    const progress: number[] = []
    await e.download((p) => progress.push(p))
    expect(progress).toEqual([42])
    expect(u.listenerCount('download-progress')).toBe(0)
    e.install({ silent: true, runAfter: false })
    expect(calls.at(-1)).toEqual(['quitAndInstall', true, false])
  })

  it('reports nothing when electron-updater finds no update or is inactive', async () => {
    for (const r of [null, { isUpdateAvailable: false, updateInfo: { version: '1.0.0' } }]) {
      const e = new ElectronUpdaterEngine(fakeUpdater(r).u, silentLogger)
      expect(await e.check(feedTarget('https://u.example.test/g', 'beta', '1.0.0'))).toBeNull()
    }
  })
})

describe('desktop updater setup', () => {
  it('reads the build feed from app-update.yml', () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-res-'))
    try {
      expect(readBuildFeed(dir)).toEqual({ feedUrl: null, channel: 'stable' })
      writeFileSync(
        join(dir, 'app-update.yml'),
        'provider: generic\nurl: https://updates.example.com/guichet\nupdaterCacheDirName: guichet-updater\n'
      )
      expect(readBuildFeed(dir)).toEqual({ feedUrl: 'https://updates.example.com/guichet', channel: 'stable' })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('says a packaged build is signed by the publisher electron-builder wrote into app-update.yml', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-res-'))
    try {
      const at = (isPackaged: boolean) => createDesktopUpdater({ app: { isPackaged }, logger: silentLogger, resourcesPath: dir })
      writeFileSync(join(dir, 'app-update.yml'), 'provider: generic\nurl: https://updates.example.com/guichet\n')
      expect((await at(true)).signing).toEqual({ signed: false, publisher: null })
      writeFileSync(
        join(dir, 'app-update.yml'),
        'provider: generic\nurl: https://updates.example.com/guichet\npublisherName:\n  - Guichet SAS\n'
      )
      expect((await at(true)).signing).toEqual({ signed: true, publisher: 'Guichet SAS' })
      // An unpacked build is never called signed.
      expect((await at(false)).signing).toEqual({ signed: false, publisher: null })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('keeps updates off under tests without loading electron-updater', async () => {
    const setup = await createDesktopUpdater({ app: { isPackaged: true }, logger: silentLogger, resourcesPath: '/nonexistent' })
    expect(setup).toMatchObject({ engine: null, disabledReason: 'under_test' })
  })
})
