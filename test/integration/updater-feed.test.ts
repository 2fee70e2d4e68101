// The update path a Windows desk runs, end to end: electron-updater's own NsisUpdater (under a
// stubbed `electron`, see electron-updater.testkit.ts) driven by the real ElectronUpdaterEngine
// and UpdateService inside the real backend, against a generic feed served on 127.0.0.1.
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { UpdateStatus } from '../../src/shared/contract/updater'
import { createBackend } from '../../src/main/backend'
import { browserPlatform } from '../../src/main/platforms'
import { ManualClock } from '../../src/main/platform/clock'
import { silentLogger } from '../../src/main/platform/logger'
import { MemoryStore } from '../../src/main/core/settings/settings'
import { UPDATE_SETTINGS_KEY } from '../../src/main/features/updater/service'
import { ElectronUpdaterEngine, readBuildFeed } from '../../src/main/features/updater/updater.electron'
import {
  installElectronStub,
  recordingNsisUpdater,
  StubFeed,
  type ElectronStub,
  type RecordingUpdater
} from '../../src/main/features/updater/electron-updater.testkit'

const PUBLISHER = 'Guichet Test Publisher'
// Stands for an Authenticode signature: a file is "signed by" whoever its first line names.
const signed = (by: string, body: Buffer): Buffer => Buffer.concat([Buffer.from(`SIGNED-BY:${by}\n`), body])
const artifact = signed(PUBLISHER, randomBytes(64 * 1024))
const verifyCalls: string[][] = []
async function verify(publisherNames: string[], file: string): Promise<string | null> {
  verifyCalls.push(publisherNames)
  const { readFileSync } = await import('node:fs')
  const firstLine = readFileSync(file).subarray(0, 200).toString('latin1').split('\n')[0]
  return publisherNames.some((p) => firstLine === `SIGNED-BY:${p}`) ? null : `signed by "${firstLine}", not by ${publisherNames.join(', ')}`
}

// A second server that no desk must ever reach: a feed address a renderer or a hand edit tries.
const evil = new StubFeed()
const feed = new StubFeed()
let stub: ElectronStub
let updater: RecordingUpdater
let dataDir = ''
const flags = { printing: false }

beforeAll(async () => {
  await feed.start()
  await evil.start()
  evil.files.set('Guichet-Setup-9.9.9.exe', { body: signed('Someone Else', randomBytes(1024)) })
  evil.feeds.set('latest', { version: '9.9.9', file: 'Guichet-Setup-9.9.9.exe' })
  evil.feeds.set('beta', { version: '9.9.9', file: 'Guichet-Setup-9.9.9.exe' })
})
afterAll(async () => {
  await feed.close()
  await evil.close()
})
beforeEach(() => {
  stub = installElectronStub({ version: '1.0.0', feedUrl: feed.base, publisherName: PUBLISHER })
  updater = recordingNsisUpdater(verify)
  dataDir = mkdtempSync(join(tmpdir(), 'guichet-upd-'))
  flags.printing = false
})
afterEach(() => {
  stub.restore()
  rmSync(dataDir, { recursive: true, force: true })
  feed.feeds.clear()
  feed.files.clear()
  feed.requests.length = 0
  evil.requests.length = 0
  verifyCalls.length = 0
})

/** The desktop shape: the build's feed from app-update.yml, the real engine, the real backend. */
function desk(o: { settings?: MemoryStore; printing?: boolean; demo?: boolean } = {}) {
  const b = createBackend({
    dataDir,
    version: '1.0.0',
    settingsStore: o.settings ?? new MemoryStore(),
    clock: new ManualClock(),
    logger: silentLogger,
    demo: o.demo ?? false,
    outboxAutoStart: false,
    platform: {
      ...browserPlatform(),
      kind: 'electron',
      updates: {
        engine: new ElectronUpdaterEngine(updater, silentLogger),
        disabledReason: null,
        defaults: readBuildFeed(stub.resourcesPath),
        ...(o.printing ? { isPrinting: () => flags.printing } : {})
      }
    }
  })
  return b
}

function publish(name: string, version: string, o: { sha512?: string; body?: Buffer; stagingPercentage?: number } = {}) {
  const file = `Guichet-Setup-${version}.exe`
  feed.files.set(file, { body: o.body ?? artifact, sha512: o.sha512 })
  feed.feeds.set(name, { version, file, stagingPercentage: o.stagingPercentage, releaseNotes: '<ul><li>Faster search</li></ul>' })
}

async function checkAndSettle(b: ReturnType<typeof desk>): Promise<UpdateStatus> {
  await b.dispatch('updater.check', {})
  await b.updater.settled()
  const s = await b.dispatch('updater.status', {})
  if (!s.ok) throw new Error('status failed')
  return s.value as UpdateStatus
}

describe('electron-updater against the build feed', () => {
  it('reads latest.yml of the build feed, downloads, verifies sha512 and publisher, and installs on restart now', async () => {
    publish('latest', '1.1.0')
    const b = desk()
    try {
      const s = await checkAndSettle(b)
      expect(s).toMatchObject({ phase: 'ready', show: 'restart_offer', available: { version: '1.1.0' }, lastError: null })
      expect(s.available?.releaseNotes).toBe('• Faster search')
      expect(feed.requests).toEqual(['/feed/latest.yml', '/feed/Guichet-Setup-1.1.0.exe'])
      // electron-updater passed the publisher of app-update.yml to the signature check.
      expect(verifyCalls).toEqual([[PUBLISHER]])
      expect(await b.dispatch('updater.restartNow', {})).toEqual({ ok: true, value: { installing: true, blockedBy: null } })
      expect(updater.installs).toEqual([{ isSilent: false, isForceRunAfter: true }])
      // electron-updater quits the app right after starting the installer.
      await new Promise((r) => setImmediate(r))
      expect(stub.app.quits).toBe(1)
    } finally {
      b.close()
    }
  })

  it('refuses an installer whose sha512 does not match the feed, and keeps nothing to install', async () => {
    publish('latest', '1.1.0', { sha512: createHash('sha512').update('another file').digest('base64') })
    const b = desk()
    try {
      const s = await checkAndSettle(b)
      expect(s).toMatchObject({ phase: 'error', show: 'quiet_error', available: null })
      expect(s.lastError?.message).toMatch(/sha512/)
      expect(verifyCalls).toEqual([])
      expect(await b.dispatch('updater.restartNow', {})).toEqual({
        ok: true,
        value: { installing: false, blockedBy: 'nothing_downloaded' }
      })
      expect(updater.installs).toEqual([])
      const pending = join(stub.dir, 'cache', 'guichet-updater', 'pending')
      expect(existsSync(pending) ? readdirSync(pending).filter((f) => f.endsWith('.exe')) : []).toEqual([])
    } finally {
      b.close()
    }
  })

  it('refuses an installer signed by another publisher, even with a matching sha512', async () => {
    publish('latest', '1.1.0', { body: signed('Someone Else', randomBytes(4096)) })
    const b = desk()
    try {
      const s = await checkAndSettle(b)
      expect(s).toMatchObject({ phase: 'error', available: null })
      expect(s.lastError?.message).toMatch(/not signed by the application owner/)
      expect(await b.dispatch('updater.restartNow', {})).toMatchObject({ ok: true, value: { installing: false } })
      expect(updater.installs).toEqual([])
    } finally {
      b.close()
    }
  })

  it('leaves a desk outside a staged rollout on its version', async () => {
    publish('latest', '1.1.0', { stagingPercentage: 10 })
    // The staging id electron-updater keeps in userData/.updaterId; this one sits at ~0.5.
    writeFileSync(join(stub.app.userData, '.updaterId'), '6f1c2a44-0000-4000-8000-00007fffffff')
    const b = desk()
    try {
      expect(await checkAndSettle(b)).toMatchObject({ phase: 'up_to_date', available: null })
      expect(feed.requests).toEqual(['/feed/latest.yml'])
    } finally {
      b.close()
    }
  })
})

describe('channels are names of the build feed, never addresses', () => {
  it('uses only allow-listed channel names, on the build feed only', async () => {
    publish('beta', '1.1.0-beta.1')
    publish('site-casa-01', '1.0.1')
    const b = desk()
    try {
      for (const channel of ['../../evil', 'latest', 'https://evil.example/feed', evil.base, 'beta/../../x', 'Beta', 'site-', ''])
        expect(await b.dispatch('updater.setChannel', { channel })).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
      expect(await b.dispatch('updater.setChannel', { channel: 'beta' })).toMatchObject({ ok: true, value: { channel: 'beta' } })
      expect(await checkAndSettle(b)).toMatchObject({ phase: 'ready', available: { version: '1.1.0-beta.1' } })
      expect(await b.dispatch('updater.setChannel', { channel: 'site-casa-01' })).toMatchObject({ ok: true })
      await checkAndSettle(b)
      const feeds = feed.requests.filter((r) => r.endsWith('.yml'))
      expect(feeds).toEqual(['/feed/beta.yml', '/feed/site-casa-01.yml'])
      expect(evil.requests).toEqual([])
    } finally {
      b.close()
    }
  })

  it('a renderer cannot set a feed URL, and a feed address written into settings is ignored', async () => {
    publish('latest', '1.0.0')
    const settings = new MemoryStore()
    // An older version (or a hand edit of settings.json) left a feed address there.
    settings.set(UPDATE_SETTINGS_KEY, { channel: 'stable', feedUrl: evil.base })
    const b = desk({ settings })
    try {
      for (const input of [
        { channel: 'beta', feedUrl: evil.base },
        { feedUrl: evil.base },
        { channel: 'beta', url: evil.base },
        { channel: 'beta', provider: { provider: 'generic', url: evil.base } }
      ])
        expect(await b.dispatch('updater.setChannel', input)).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
      const s = await checkAndSettle(b)
      expect(s).toMatchObject({ phase: 'up_to_date', channel: 'stable', feedUrl: feed.base })
      expect(feed.requests).toEqual(['/feed/latest.yml'])
      expect(evil.requests).toEqual([])
    } finally {
      b.close()
    }
  })
})

describe('no restart under work in progress', () => {
  it('never installs while the outbox holds an unsent write, at restart now or at quit', async () => {
    publish('latest', '1.1.0')
    const b = desk({ demo: true })
    try {
      expect(await checkAndSettle(b)).toMatchObject({ phase: 'ready' })
      const page = (await b.dispatch('shipments.list', { limit: 1 })) as { ok: true; value: { items: Array<{ id: number }> } }
      expect((await b.dispatch('remarks.add', { shipmentId: page.value.items[0]!.id, text: 'Client absent' })).ok).toBe(true)
      expect(await b.dispatch('updater.restartNow', {})).toEqual({ ok: true, value: { installing: false, blockedBy: 'outbox_pending' } })
      expect(b.updater.onQuit()).toBe(false)
      expect(updater.installs).toEqual([])
      await new Promise((r) => setImmediate(r))
      expect(stub.app.quits).toBe(0)
    } finally {
      b.close()
    }
  })

  it('never installs while a label prints, and installs when the print is done', async () => {
    publish('latest', '1.1.0')
    const b = desk({ printing: true })
    try {
      expect(await checkAndSettle(b)).toMatchObject({ phase: 'ready' })
      flags.printing = true
      expect(await b.dispatch('updater.restartNow', {})).toEqual({ ok: true, value: { installing: false, blockedBy: 'printing' } })
      expect(updater.installs).toEqual([])
      flags.printing = false
      expect(await b.dispatch('updater.restartNow', {})).toEqual({ ok: true, value: { installing: true, blockedBy: null } })
      expect(updater.installs).toEqual([{ isSilent: false, isForceRunAfter: true }])
    } finally {
      b.close()
    }
  })
})
