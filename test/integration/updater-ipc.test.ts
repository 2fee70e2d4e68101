// The updater channels through the real backend and dispatcher, in both modes.
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBackend } from '../../src/main/backend'
import { browserPlatform } from '../../src/main/platforms'
import { ManualClock } from '../../src/main/platform/clock'
import { silentLogger } from '../../src/main/platform/logger'
import { MemoryStore } from '../../src/main/core/settings/settings'
import { FeedEngine } from '../../src/main/features/updater/feed'
import { testBackend } from '../helpers/backend'

describe('updater channels in browser mode', () => {
  it('reports that updates are managed by the desktop app', async () => {
    const b = testBackend({ demo: false })
    try {
      const status = await b.dispatch('updater.status', {})
      expect(status).toMatchObject({
        ok: true,
        value: { supported: false, disabledReason: 'browser_mode', phase: 'disabled', show: 'nothing' }
      })
      expect(await b.dispatch('updater.check', {})).toMatchObject({ ok: true, value: { supported: false } })
      expect(await b.dispatch('updater.restartNow', {})).toMatchObject({
        ok: false,
        error: { code: 'unsupported', message: 'Updates are managed by the desktop app' }
      })
      expect(await b.dispatch('updater.setChannel', { channel: 'beta' })).toMatchObject({ ok: false, error: { code: 'unsupported' } })
    } finally {
      b.close()
      rmSync(b.dataDir, { recursive: true, force: true })
    }
  })

  it('validates channel input strictly', async () => {
    const b = testBackend({ demo: false })
    try {
      expect(await b.dispatch('updater.setChannel', { channel: 'Latest!' })).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', field: 'channel' }
      })
      // The renderer names a channel; a feed address is not part of the call at all.
      for (const feedUrl of ['ftp://x', 'https://evil.example/feed', null])
        expect(await b.dispatch('updater.setChannel', { channel: 'beta', feedUrl })).toMatchObject({
          ok: false,
          error: { code: 'invalid_input' }
        })
      expect(await b.dispatch('updater.status', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    } finally {
      b.close()
      rmSync(b.dataDir, { recursive: true, force: true })
    }
  })
})

describe('updater channels in the desktop shape (engine injected)', () => {
  const artifact = randomBytes(4096)
  const sha512 = createHash('sha512').update(artifact).digest('base64')
  let server: Server
  let base = ''
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/feed/beta-linux.yml') {
        return void res.end(
          `version: 1.1.0-beta.1\nfiles:\n  - url: Guichet-1.1.0-beta.1.AppImage\n    sha512: ${sha512}\n    size: ${artifact.length}\nreleaseDate: '2026-11-27T10:00:00.000Z'\nreleaseNotes: Early access\n`
        )
      }
      if (req.url === '/feed/Guichet-1.1.0-beta.1.AppImage') return void res.end(artifact)
      res.writeHead(404).end()
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed`
  })
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()))
  })

  it('switches to beta, finds and downloads the beta, and offers restart now', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'guichet-upd-ipc-'))
    const engine = new FeedEngine({
      currentVersion: '1.0.0',
      platform: 'linux',
      arch: 'x64',
      stagingId: '6f1c2a44-0000-4000-8000-000000000001',
      downloadDir: join(dataDir, 'pending'),
      onInstall: () => {}
    })
    const b = createBackend({
      dataDir,
      version: '1.0.0',
      settingsStore: new MemoryStore(),
      clock: new ManualClock(),
      logger: silentLogger,
      platform: {
        ...browserPlatform(),
        kind: 'electron',
        updates: { engine, disabledReason: null, defaults: { feedUrl: base, channel: 'stable' } }
      }
    })
    const pushed: string[] = []
    b.events.on('updater.changed', (s) => pushed.push(s.phase))
    try {
      expect(await b.dispatch('updater.setChannel', { channel: 'beta' })).toMatchObject({
        ok: true,
        value: { channel: 'beta', supported: true }
      })
      await b.dispatch('updater.check', {})
      await b.updater.settled()
      const s = await b.dispatch('updater.status', {})
      expect(s).toMatchObject({
        ok: true,
        value: { phase: 'ready', show: 'restart_offer', available: { version: '1.1.0-beta.1', releaseNotes: 'Early access' } }
      })
      expect(await b.dispatch('updater.restartNow', {})).toEqual({ ok: true, value: { installing: true, blockedBy: null } })
      // The UI hears each step without polling.
      expect(pushed).toEqual(expect.arrayContaining(['checking', 'downloading', 'ready']))
      expect(pushed.at(-1)).toBe('ready')
    } finally {
      b.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('waits for the outbox: restart now is refused while a write is unsent', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'guichet-upd-ipc-'))
    const installs: string[] = []
    const engine = new FeedEngine({
      currentVersion: '1.0.0',
      platform: 'linux',
      arch: 'x64',
      stagingId: '6f1c2a44-0000-4000-8000-000000000001',
      downloadDir: join(dataDir, 'pending'),
      onInstall: (f) => installs.push(f)
    })
    const b = createBackend({
      dataDir,
      version: '1.0.0',
      settingsStore: new MemoryStore(),
      clock: new ManualClock(),
      logger: silentLogger,
      demo: true,
      outboxAutoStart: false,
      platform: {
        ...browserPlatform(),
        kind: 'electron',
        updates: { engine, disabledReason: null, defaults: { feedUrl: base, channel: 'beta' } }
      }
    })
    try {
      await b.dispatch('updater.check', {})
      await b.updater.settled()
      const page = (await b.dispatch('shipments.list', { limit: 1 })) as { ok: true; value: { items: Array<{ id: number }> } }
      const remark = await b.dispatch('remarks.add', { shipmentId: page.value.items[0]!.id, text: 'Client absent' })
      expect(remark.ok).toBe(true)
      expect(await b.dispatch('updater.restartNow', {})).toEqual({ ok: true, value: { installing: false, blockedBy: 'outbox_pending' } })
      expect(installs).toEqual([])
    } finally {
      b.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
