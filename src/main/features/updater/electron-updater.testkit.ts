// electron-updater's own classes, run in plain Node against a stub feed on 127.0.0.1.
//
// electron-updater is CommonJS and calls require('electron') for the app (version, paths, quit),
// the network (net.request) and the session; vi.mock cannot reach a require inside node_modules,
// so the stub goes into Node's module cache before electron-updater is loaded. net.request is
// served by node:http, so the real ElectronHttpExecutor, GenericProvider, DigestTransform
// (sha512) and NsisUpdater run unchanged. Only doInstall is replaced: it would spawn the
// installer; here it records the call.

import { createHash } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request as httpRequest, createServer, type Server } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type * as ElectronUpdater from 'electron-updater'

const nodeRequire = createRequire(import.meta.url)

export interface ElectronStub {
  app: EventEmitter & { version: string; userData: string; quits: number }
  /** Where app-update.yml lives (process.resourcesPath in a packaged build). */
  resourcesPath: string
  dir: string
  restore(): void
}

/**
 * Puts a stand-in `electron` into Node's module cache, sets process.resourcesPath and the cache
 * directory electron-updater downloads into, all under one temporary directory.
 */
export function installElectronStub(o: { version: string; feedUrl: string; publisherName?: string }): ElectronStub {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-eu-'))
  const resourcesPath = join(dir, 'resources')
  const userData = join(dir, 'userData')
  mkdirSync(resourcesPath)
  mkdirSync(userData)
  // What electron-builder writes into a packaged build (publish + win.publisherName).
  writeFileSync(
    join(resourcesPath, 'app-update.yml'),
    [
      'provider: generic',
      `url: ${o.feedUrl}`,
      'updaterCacheDirName: guichet-updater',
      ...(o.publisherName ? ['publisherName:', `  - ${o.publisherName}`] : []),
      ''
    ].join('\n')
  )
  const app = Object.assign(new EventEmitter(), { version: o.version, userData, quits: 0 })
  const electron = {
    app: Object.assign(app, {
      isPackaged: true,
      whenReady: () => Promise.resolve(),
      getVersion: () => app.version,
      getName: () => 'Guichet',
      getAppPath: () => dir,
      getPath: () => app.userData,
      quit: () => void app.quits++,
      relaunch: () => {}
    }),
    autoUpdater: new EventEmitter(),
    session: { fromPartition: () => ({}) },
    // Electron's net.request takes the same options as node:http plus `session` and `redirect`.
    net: {
      request: (opts: Record<string, unknown>) => {
        const { session: _s, redirect: _r, ...rest } = opts
        void _s
        void _r
        // No keep-alive agent: Electron's net manages its own connections.
        return httpRequest({ ...rest, agent: false })
      }
    }
  }
  // Stays in the cache after restore(): electron-updater requires 'electron' again later (a
  // setImmediate after quitAndInstall), and the real package would try to download a binary.
  const id = nodeRequire.resolve('electron')
  nodeRequire.cache[id] = { id, filename: id, loaded: true, exports: electron } as unknown as NodeJS.Module
  const proc = process as { resourcesPath?: string }
  const previousResources = proc.resourcesPath
  const previousCache = process.env.XDG_CACHE_HOME
  proc.resourcesPath = resourcesPath
  process.env.XDG_CACHE_HOME = join(dir, 'cache')
  return {
    app,
    resourcesPath,
    dir,
    restore() {
      proc.resourcesPath = previousResources
      if (previousCache === undefined) delete process.env.XDG_CACHE_HOME
      else process.env.XDG_CACHE_HOME = previousCache
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

export interface RecordingUpdater extends ElectronUpdater.NsisUpdater {
  installs: Array<{ isSilent: boolean; isForceRunAfter: boolean }>
}

/**
 * electron-updater's NsisUpdater (what a Windows desk runs), with the installer launch recorded
 * instead of spawned. The feed is read as on Windows (latest.yml, the .exe). `verify` stands for
 * Windows' Authenticode check: electron-updater hands it the publisher names of app-update.yml.
 */
export function recordingNsisUpdater(verify: (publisherNames: string[], file: string) => Promise<string | null>): RecordingUpdater {
  const { NsisUpdater } = nodeRequire('electron-updater') as typeof ElectronUpdater
  class Recording extends NsisUpdater {
    installs: Array<{ isSilent: boolean; isForceRunAfter: boolean }> = []
    protected override doInstall(options: { isSilent: boolean; isForceRunAfter: boolean }): boolean {
      this.installs.push({ isSilent: options.isSilent, isForceRunAfter: options.isForceRunAfter })
      return true
    }
  }
  const u = new Recording()
  u.verifyUpdateCodeSignature = verify
  // electron-updater's test seam: read the Windows feed on this machine, full downloads only
  // (the differential download needs the previous installer's blockmap).
  ;(u as unknown as { _testOnlyOptions: unknown })._testOnlyOptions = { platform: 'win32', isUseDifferentialDownload: false }
  return u
}

interface StubFile {
  body: Buffer
  /** The sha512 the feed announces; the body's own unless a test lies. */
  sha512?: string
}

/** A generic update server: <name>.yml feed files and the artifacts they name. */
export class StubFeed {
  readonly requests: string[] = []
  readonly feeds = new Map<string, { version: string; file: string; stagingPercentage?: number; releaseNotes?: string }>()
  readonly files = new Map<string, StubFile>()
  private server: Server | null = null
  base = ''

  async start(path = '/feed'): Promise<this> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      this.requests.push(url.pathname)
      const name = url.pathname.startsWith(`${path}/`) ? decodeURIComponent(url.pathname.slice(path.length + 1)) : ''
      const feed = name.endsWith('.yml') ? this.feeds.get(name.slice(0, -4)) : undefined
      if (feed) return void res.writeHead(200, { 'content-type': 'text/yaml' }).end(this.yml(feed))
      const file = this.files.get(name)
      if (file) return void res.writeHead(200, { 'content-length': file.body.length }).end(file.body)
      res.writeHead(404).end()
    })
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()))
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`
    return this
  }

  async close(): Promise<void> {
    const s = this.server
    this.server = null
    if (s) await new Promise<void>((r) => s.close(() => r()))
  }

  private yml(f: { version: string; file: string; stagingPercentage?: number; releaseNotes?: string }): string {
    const file = this.files.get(f.file)
    const sha512 = file?.sha512 ?? (file ? createHash('sha512').update(file.body).digest('base64') : 'none')
    return [
      `version: ${f.version}`,
      'files:',
      `  - url: ${f.file}`,
      `    sha512: ${sha512}`,
      `    size: ${file?.body.length ?? 0}`,
      `path: ${f.file}`,
      `sha512: ${sha512}`,
      `releaseDate: '2026-11-27T10:00:00.000Z'`,
      ...(f.releaseNotes ? [`releaseNotes: ${JSON.stringify(f.releaseNotes)}`] : []),
      ...(f.stagingPercentage !== undefined ? [`stagingPercentage: ${f.stagingPercentage}`] : []),
      ''
    ].join('\n')
  }
}
