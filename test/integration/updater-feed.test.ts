// The update feed end to end over real HTTP on 127.0.0.1: a latest-linux.yml and an artifact
// as electron-builder publishes them, read by the plain-TS feed engine (which mirrors
// electron-updater's generic provider) and by the UpdateService on top of it.
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/main/platform/clock'
import { silentLogger } from '../../src/main/platform/logger'
import { MemoryStore } from '../../src/main/core/settings/settings'
import { FeedEngine, loadStagingId } from '../../src/main/features/updater/feed'
import { feedTarget } from '../../src/main/features/updater/policy'
import { UpdateService } from '../../src/main/features/updater/service'

const artifact = randomBytes(256 * 1024)
const sha512 = createHash('sha512').update(artifact).digest('base64')
const tampered = Buffer.from(artifact)
tampered[1000] = tampered[1000]! ^ 0xff

// A desk at ~0.5 in the rollout, and one at the very start.
const MID_DESK = '6f1c2a44-0000-4000-8000-00007fffffff'
const FIRST_DESK = '6f1c2a44-0000-4000-8000-000000000001'

interface Feed {
  yml: string
  body: Buffer
}
const feeds = new Map<string, Feed>()
const requests: string[] = []

function latestYml(o: { version: string; stagingPercentage?: number; file?: string }): string {
  const file = o.file ?? `Guichet-${o.version}.AppImage`
  return [
    `version: ${o.version}`,
    'files:',
    `  - url: ${file}`,
    `    sha512: ${sha512}`,
    `    size: ${artifact.length}`,
    `    blockMapSize: 1234`,
    `path: ${file}`,
    `sha512: ${sha512}`,
    `releaseDate: '2026-11-27T10:00:00.000Z'`,
    'releaseNotes: |',
    '  <h3>What is new</h3>',
    '  <ul><li>Faster search</li><li>Labels print in Arabic</li></ul>',
    ...(o.stagingPercentage !== undefined ? [`stagingPercentage: ${o.stagingPercentage}`] : []),
    ''
  ].join('\n')
}

let server: Server
let base = ''
let dir = ''

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    requests.push(url.pathname + url.search)
    const [, feedName, file] = url.pathname.split('/')
    const feed = feeds.get(feedName ?? '')
    if (!feed) return void res.writeHead(404).end()
    if (file === 'latest-linux.yml') return void res.writeHead(200, { 'content-type': 'text/yaml' }).end(feed.yml)
    if (file?.endsWith('.AppImage')) return void res.writeHead(200, { 'content-length': feed.body.length }).end(feed.body)
    res.writeHead(404).end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()))
})

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
  dir = ''
  feeds.clear()
  requests.length = 0
})

function engine(stagingId = FIRST_DESK, currentVersion = '1.0.0') {
  dir = mkdtempSync(join(tmpdir(), 'guichet-upd-'))
  return new FeedEngine({ currentVersion, platform: 'linux', arch: 'x64', stagingId, downloadDir: join(dir, 'pending'), timeoutMs: 5000 })
}

describe('feed engine against a local generic feed', () => {
  it('finds the newer version, downloads it and verifies its sha512', async () => {
    feeds.set('good', { yml: latestYml({ version: '1.1.0' }), body: artifact })
    const e = engine()
    const offered = await e.check(feedTarget(`${base}/good`, 'stable', '1.0.0'))
    expect(offered).toMatchObject({ version: '1.1.0', releaseDate: '2026-11-27T10:00:00.000Z' })
    expect(offered?.releaseNotes).toContain('• Faster search')
    expect(offered?.releaseNotes).not.toMatch(/</)
    const progress: number[] = []
    await e.download((p) => progress.push(p))
    expect(e.downloaded).toBe(join(dir, 'pending', 'Guichet-1.1.0.AppImage'))
    expect(readFileSync(e.downloaded!).equals(artifact)).toBe(true)
    expect(progress.at(-1)).toBe(100)
    expect(requests).toContain('/good/latest-linux.yml')
  })

  it('rejects a tampered artifact and leaves nothing on disk', async () => {
    feeds.set('bad', { yml: latestYml({ version: '1.1.0' }), body: tampered })
    const e = engine()
    expect(await e.check(feedTarget(`${base}/bad`, 'stable', '1.0.0'))).not.toBeNull()
    await expect(e.download()).rejects.toMatchObject({ code: 'carrier_refused', message: expect.stringContaining('sha512') })
    expect(e.downloaded).toBeNull()
    expect(readdirSync(join(dir, 'pending'))).toEqual([])
  })

  it('honours stagingPercentage: a desk outside the percentage does not see the update', async () => {
    feeds.set('staged', { yml: latestYml({ version: '1.1.0', stagingPercentage: 10 }), body: artifact })
    expect(await engine(MID_DESK).check(feedTarget(`${base}/staged`, 'stable', '1.0.0'))).toBeNull()
    rmSync(dir, { recursive: true, force: true })
    expect(await engine(FIRST_DESK).check(feedTarget(`${base}/staged`, 'stable', '1.0.0'))).toMatchObject({ version: '1.1.0' })
  })

  it('sees nothing when the desk already runs that version, and downgrades only when allowed', async () => {
    feeds.set('same', { yml: latestYml({ version: '1.0.0' }), body: artifact })
    expect(await engine().check(feedTarget(`${base}/same`, 'stable', '1.0.0'))).toBeNull()
    rmSync(dir, { recursive: true, force: true })
    feeds.set('older', { yml: latestYml({ version: '1.2.4' }), body: artifact })
    expect(await engine(FIRST_DESK, '1.3.0').check(feedTarget(`${base}/older`, 'stable', '1.3.0'))).toBeNull()
    rmSync(dir, { recursive: true, force: true })
    expect(await engine(FIRST_DESK, '1.3.0-beta.2').check(feedTarget(`${base}/older`, 'stable', '1.3.0-beta.2'))).toMatchObject({
      version: '1.2.4'
    })
  })

  it('keeps the feed path and query, and a feed cannot write outside its directory', async () => {
    feeds.set('trav', { yml: latestYml({ version: '1.1.0', file: '../../evil.AppImage' }), body: artifact })
    const e = engine()
    // new URL() resolves the dots away: the file is fetched from the server root and stored by basename.
    await e.check(feedTarget(`${base}/trav?token=abc123`, 'stable', '1.0.0'))
    await expect(e.download()).rejects.toBeTruthy()
    expect(requests[0]).toBe('/trav/latest-linux.yml?token=abc123')
    expect(readdirSync(dir)).toEqual(['pending'])
  })

  it('reports a missing channel and an unreachable server as typed errors without the query string', async () => {
    await expect(engine().check(feedTarget(`${base}/nothing?token=s3cret`, 'beta', '1.0.0'))).rejects.toMatchObject({
      code: 'not_found',
      message: expect.not.stringContaining('s3cret')
    })
    const closed = createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((r) => closed.close(() => r()))
    await expect(engine().check(feedTarget(`http://127.0.0.1:${port}/x`, 'stable', '1.0.0'))).rejects.toMatchObject({ code: 'offline' })
  })

  it('rejects a feed that is not an update description', async () => {
    feeds.set('junk', { yml: '- just\n- a list\n', body: artifact })
    await expect(engine().check(feedTarget(`${base}/junk`, 'stable', '1.0.0'))).rejects.toMatchObject({ code: 'carrier_error' })
  })

  it('keeps one staging id per desk in userData/.updaterId, as electron-updater does', async () => {
    dir = mkdtempSync(join(tmpdir(), 'guichet-upd-'))
    const a = await loadStagingId(dir)
    expect(a).toMatch(/^[0-9a-f-]{36}$/)
    expect(await loadStagingId(dir)).toBe(a)
    expect(readFileSync(join(dir, '.updaterId'), 'utf8')).toBe(a)
  })
})

describe('UpdateService over the local feed', () => {
  function service(feed: string, stagingId = FIRST_DESK) {
    dir = mkdtempSync(join(tmpdir(), 'guichet-upd-'))
    const installs: string[] = []
    const withInstall = new FeedEngine({
      currentVersion: '1.0.0',
      platform: 'linux',
      arch: 'x64',
      stagingId,
      downloadDir: join(dir, 'pending'),
      onInstall: (file) => installs.push(file)
    })
    const s = new UpdateService({
      engine: withInstall,
      disabledReason: null,
      currentVersion: '1.0.0',
      store: new MemoryStore(),
      defaults: { feedUrl: `${base}/${feed}`, channel: 'stable' },
      clock: new ManualClock(),
      logger: silentLogger,
      isPrinting: () => false,
      hasUnsentOutbox: () => false,
      isOpeningHours: () => true
    })
    return { s, installs }
  }

  it('finds, verifies and reports the update, then installs on restart now', async () => {
    feeds.set('good', { yml: latestYml({ version: '1.1.0' }), body: artifact })
    const { s, installs } = service('good')
    await s.check()
    await s.settled()
    const st = s.status()
    expect(st).toMatchObject({ phase: 'ready', show: 'restart_offer', available: { version: '1.1.0' }, lastError: null })
    expect(st.available?.releaseNotes).toContain('Labels print in Arabic')
    expect(s.restartNow()).toEqual({ installing: true, blockedBy: null })
    expect(installs).toEqual([join(dir, 'pending', 'Guichet-1.1.0.AppImage')])
  })

  it('reports a tampered artifact quietly and offers nothing to install', async () => {
    feeds.set('bad', { yml: latestYml({ version: '1.1.0' }), body: tampered })
    const { s, installs } = service('bad')
    await s.check()
    await s.settled()
    const st = s.status()
    expect(st).toMatchObject({ phase: 'error', show: 'quiet_error', available: null })
    expect(st.lastError?.message).toContain('sha512')
    expect(s.restartNow()).toEqual({ installing: false, blockedBy: 'nothing_downloaded' })
    expect(installs).toEqual([])
  })

  it('shows nothing to a desk outside the staged rollout', async () => {
    feeds.set('staged', { yml: latestYml({ version: '1.1.0', stagingPercentage: 10 }), body: artifact })
    const { s } = service('staged', MID_DESK)
    const st = await s.check()
    expect(st).toMatchObject({ phase: 'up_to_date', show: 'nothing', available: null })
    expect(requests.some((r) => r.endsWith('.AppImage'))).toBe(false)
  })
})
