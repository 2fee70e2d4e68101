import { execFileSync, spawnSync } from 'node:child_process'
import BetterSqlite3 from 'better-sqlite3'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { CHANNELS } from '../../src/shared/contract/channels'
import { LATEST_VERSION } from '../../src/main/platform/db/migrations'
import { openDatabase } from '../../src/main/platform/db/database'
import { leaveAsAfterPowerCut } from '../../src/main/platform/db/power-cut.testkit'
import { electronBindingPath } from '../../src/main/platform/db/native-binding'

// Electron cannot run on these machines, so the built main bundle is loaded in Node with a
// stub `electron` module: this proves the desktop wiring (window options, every channel,
// sender check, protocol, permissions, navigation) wherever Electron is absent.

const root = resolve(__dirname, '../..')
const mainBundle = join(root, 'out/main/index.js')
interface Report {
  windows: Array<{ webPreferences: Record<string, unknown> }>
  loadedUrls: string[]
  handled: string[]
  schemes: string[]
  privileged: Array<{ scheme: string }>
  sandboxEnabled: boolean
  lockReleased: boolean
  nativeModules: string[]
  utilityForks: string[]
  childNativeModules: string[]
  safeStorage: { encrypted: number; decrypted: number }
  checks: Record<string, unknown>
}
let report: Report

/** Runs the built main bundle under the stub; `prepare` may fill the data dir first. */
function runMain(env: Record<string, string> = {}, prepare?: (dataDir: string) => void): Report {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-electron-stub-'))
  const out = join(dir, 'report.json')
  mkdirSync(join(dir, 'data'))
  prepare?.(join(dir, 'data'))
  const r = spawnSync(process.execPath, ['-r', join(root, 'test/helpers/electron-stub.cjs'), mainBundle], {
    cwd: root,
    env: { ...process.env, GUICHET_DATA_DIR: join(dir, 'data'), STUB_REPORT: out, GUICHET_DEMO: '1', ...env },
    encoding: 'utf8',
    timeout: 30_000
  })
  if (r.status !== 0 || !existsSync(out)) throw new Error(`main bundle failed under the stub (status ${r.status}):\n${r.stderr}`)
  return JSON.parse(readFileSync(out, 'utf8')) as Report
}

beforeAll(() => {
  if (!existsSync(mainBundle)) execFileSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'ignore' })
  report = runMain()
}, 120_000)

describe('Electron main bundle under a stub', () => {
  it('opens one window with the hardened options and the bundled preload', () => {
    expect(report.windows).toHaveLength(1)
    const wp = report.windows[0]!.webPreferences
    expect(wp).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, webviewTag: false })
    expect(String(wp.preload)).toMatch(/out[\\/]preload[\\/]index\.js$/)
    expect(report.sandboxEnabled).toBe(true)
  })

  it('loads the UI from the app:// protocol', () => {
    expect(report.loadedUrls).toEqual(['app://guichet/index.html'])
    expect(report.schemes).toEqual(['app'])
    expect(report.privileged[0]).toMatchObject({ scheme: 'app' })
  })

  it('registers exactly one handler per contract channel', () => {
    expect([...report.handled].sort()).toEqual(CHANNELS.map((c) => `guichet:${c}`).sort())
  })

  it('checks the sender frame and validates input', () => {
    const c = report.checks
    expect(c.untrustedSender).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(c.subFrameSender).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(c.trustedSender).toMatchObject({ ok: true, value: { mode: 'electron', version: '0.0.0-stub' } })
    expect(c.invalidInput).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'id' } })
  })

  it('denies permissions, foreign navigation, webviews and new windows', () => {
    const c = report.checks
    expect(c.permissionGranted).toBe(false)
    expect(c.permissionCheck).toBe(false)
    expect(c.navigationPrevented).toBe(true)
    expect(c.inAppNavigationPrevented).toBe(false)
    expect(c.webviewPrevented).toBe(true)
    expect(c.windowOpenEvil).toEqual({ action: 'deny' })
    expect(c.windowOpenCarrier).toEqual({ action: 'deny' })
    expect(c.openedExternally).toEqual(['https://service.post.ch/track'])
  })

  it('serves the UI with its CSP and refuses path traversal', () => {
    const c = report.checks
    expect(c.protocolIndexStatus).toBe(200)
    expect(String(c.protocolCsp)).toContain("script-src 'self'")
    expect(c.protocolTraversalStatus).toBe(400)
  })
})

describe('start-up problems under the stub', () => {
  it('a store from a newer Guichet opens a window that says so, and quitting frees the lock', () => {
    const r = runMain({}, (dataDir) => {
      const db = new BetterSqlite3(join(dataDir, 'guichet.sqlite'))
      db.pragma(`user_version = ${LATEST_VERSION + 3}`)
      db.close()
    })
    expect(r.windows).toHaveLength(1)
    expect(r.windows[0]!.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true })
    const [page, hash] = r.loadedUrls[0]!.split('#startup&')
    expect(page).toBe('app://guichet/index.html')
    const params = new URLSearchParams(hash)
    expect(params.get('code')).toBe('store_too_new')
    expect(Number(params.get('found'))).toBe(LATEST_VERSION + 3)
    // No channel is served: there is no backend behind this window.
    expect(r.handled).toEqual([])
    expect(r.lockReleased).toBe(true)
  }, 60_000)
})

describe('better-sqlite3 for the runtime that loads it', () => {
  const sqliteNode = (files: string[]) => files.filter((f) => f.endsWith('better_sqlite3.node'))
  const nodeBuild = join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node')

  it('loads the Node build under Node, in the backend process and never in main', () => {
    expect(sqliteNode(report.childNativeModules)).toEqual([nodeBuild])
    expect(sqliteNode(report.nativeModules)).toEqual([])
  })

  it('loads the Node build under Node in main when the backend runs there (GUICHET_BACKEND_PROCESS=0)', () => {
    const r = runMain({ GUICHET_BACKEND_PROCESS: '0' })
    expect(sqliteNode(r.nativeModules)).toEqual([nodeBuild])
    expect(r.utilityForks).toEqual([])
    expect(r.windows).toHaveLength(1)
    expect([...r.handled].sort()).toEqual(CHANNELS.map((c) => `guichet:${c}`).sort())
  }, 60_000)

  it('loads the Electron build, from beside the Node build, under Electron', () => {
    // A stand-in Electron build (the Node one copied under the Electron name): Electron's
    // headers cannot be fetched here, and the stub runs in Node, which must be able to load it.
    const version = '0.0.0-stub'
    const binding = electronBindingPath(version)
    mkdirSync(dirname(binding), { recursive: true })
    copyFileSync(join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'), binding)
    try {
      const r = runMain({ STUB_ELECTRON_VERSION: version })
      // The utilityProcess is Electron too (process.versions.electron): it loads the Electron build.
      expect(sqliteNode(r.childNativeModules)).toEqual([binding])
      expect(sqliteNode(r.nativeModules)).toEqual([])
      expect(r.windows).toHaveLength(1)
      expect(r.loadedUrls).toEqual(['app://guichet/index.html'])
    } finally {
      rmSync(dirname(binding), { recursive: true, force: true })
    }
  }, 60_000)
})

describe('npm start', () => {
  const root = resolve(__dirname, '../..')
  const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version as string

  it("prepares better-sqlite3 with the installed Electron's version, then launches Electron", async () => {
    const start = (await import(pathToFileURL(join(root, 'scripts/start-electron.mjs')).href)) as {
      startElectron: (o: Record<string, unknown>) => Promise<unknown>
    }
    const calls: string[] = []
    let prepared: unknown
    const launched = await start.startElectron({
      ensure: async () => (calls.push('ensure'), '/opt/electron/electron'),
      prepareSqlite: async (o: unknown) => (calls.push('prepare'), (prepared = o)),
      launch: (bin: string) => (calls.push('launch'), { bin }),
      log: () => {}
    })
    expect(calls).toEqual(['ensure', 'prepare', 'launch'])
    expect(prepared).toMatchObject({ electronVersion })
    expect(launched).toEqual({ bin: '/opt/electron/electron' })
  })

  it('puts the Electron build where the app looks for it', async () => {
    const script = (await import(pathToFileURL(join(root, 'scripts/native-sqlite.cjs')).href)) as {
      electronBindingPath: (v: string) => string
    }
    expect(script.electronBindingPath(electronVersion)).toBe(electronBindingPath(electronVersion))
  })

  it.skipIf(existsSync(join(root, 'node_modules/electron/path.txt')))(
    'without network, says so in one sentence that names browser mode with the demo',
    () => {
      // Electron's download goes to a closed loopback port: offline, wherever this runs.
      const r = spawnSync(process.execPath, [join(root, 'scripts/start-electron.mjs')], {
        cwd: root,
        env: { ...process.env, ELECTRON_MIRROR: 'http://127.0.0.1:9/' },
        encoding: 'utf8',
        timeout: 60_000
      })
      expect(r.status).toBe(1)
      const lines = r.stderr.trim().split('\n')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(/cannot reach the network/)
      expect(lines[0]).toContain('GUICHET_DEMO=1 npm run serve')
      expect(r.stderr).not.toMatch(/\n\s+at /)
    },
    60_000
  )
})

describe('the backend in a utilityProcess (the default)', () => {
  let r: Report
  beforeAll(() => {
    r = runMain({ GUICHET_DEMO: '', STUB_BRIDGE: '1', STUB_SAFE_STORAGE: '1' })
  }, 90_000)
  type Answer = { ok: boolean; value?: Record<string, unknown> }
  const check = (name: string) => r.checks[name] as Answer

  it('carries a lookup and an event end to end through a real child process', () => {
    expect(r.utilityForks[0]).toBe(join(root, 'out/main/backend.process.js'))
    // Main opened no store: the only better-sqlite3 main loaded would show here.
    expect(r.nativeModules.filter((f) => f.endsWith('better_sqlite3.node'))).toEqual([])
    expect([...r.handled].sort()).toEqual(CHANNELS.map((c) => `guichet:${c}`).sort())
    expect(check('trustedSender')).toMatchObject({ ok: true, value: { mode: 'electron' } })
    expect(check('bridgeDemo')).toMatchObject({ ok: true })
    expect(check('bridgeLookup')).toMatchObject({ ok: true, value: { kind: 'shipment' } })
    const events = r.checks.bridgeEvents as Array<[string, { name: string; payload: { reason?: string } }]>
    expect(events).toContainEqual([
      'guichet:event',
      expect.objectContaining({ name: 'shipment.changed', payload: expect.objectContaining({ reason: 'demo' }) })
    ])
  })

  it("keeps carrier secrets with main's safeStorage: a vault write round-trips through main", () => {
    expect(check('bridgeCredentialsSet')).toMatchObject({ ok: true })
    // Main ciphered it (safeStorage lives there) and wrote the file before the reply came back.
    expect(r.checks.encryptedBeforeKill).toBe(1)
    expect(r.checks.vaultFileHasToken).toBe(false)
    // The restarted backend got it back decrypted by main, and still holds no plain copy on disk.
    expect(r.safeStorage.decrypted).toBeGreaterThanOrEqual(1)
    expect(check('afterRestartCredentials')).toMatchObject({
      ok: true,
      value: { backend: 'safe-storage', available: true, accounts: [expect.objectContaining({ carrier: 'ecotrack', configured: true })] }
    })
  })

  it('restarts a killed backend, tells the window, and answers again', () => {
    expect(r.utilityForks).toEqual([join(root, 'out/main/backend.process.js'), join(root, 'out/main/backend.process.js')])
    expect(r.checks.restartEvent).toMatchObject({ name: 'backend.restarted', payload: { attempt: 1 } })
    expect(check('afterRestartLookup')).toMatchObject({ ok: true, value: { kind: 'shipment' } })
  })
})

describe('after a power cut that damaged the store', () => {
  let r: Report
  beforeAll(() => {
    r = runMain({ GUICHET_DEMO: '', STUB_POWER_CUT: '1' }, (dataDir) => {
      const file = join(dataDir, 'guichet.sqlite')
      openDatabase(file).db.close()
      leaveAsAfterPowerCut(file, 'rows') // the rows' pages damaged; the run never closed
    })
  }, 90_000)

  it('answers the first lookup from the open store, then the backend process sets the damaged file aside and the window hears it', () => {
    expect(r.checks.powerCutLookup).toMatchObject({ ok: true })
    expect(r.checks.powerCutForksAtLookup).toBe(1)
    expect(r.utilityForks).toHaveLength(2)
    expect(r.checks.powerCutRestart).toMatchObject({ name: 'backend.restarted' })
    expect(r.checks.powerCutInfo).toMatchObject({
      ok: true,
      value: { storeWarning: { code: 'store_set_aside', reason: 'integrity', kept: expect.stringContaining('guichet.sqlite.damaged-') } }
    })
  })
})
