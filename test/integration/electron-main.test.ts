import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { CHANNELS } from '../../src/shared/contract/channels'

// Electron cannot run on these machines, so the built main bundle is loaded in Node with a
// stub `electron` module: this proves the desktop wiring (window options, every channel,
// sender check, protocol, permissions, navigation) wherever Electron is absent.

const root = resolve(__dirname, '../..')
const mainBundle = join(root, 'out/main/index.js')
let report: {
  windows: Array<{ webPreferences: Record<string, unknown> }>
  loadedUrls: string[]
  handled: string[]
  schemes: string[]
  privileged: Array<{ scheme: string }>
  sandboxEnabled: boolean
  checks: Record<string, unknown>
}

beforeAll(() => {
  if (!existsSync(mainBundle)) execFileSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'ignore' })
  const dir = mkdtempSync(join(tmpdir(), 'guichet-electron-stub-'))
  const out = join(dir, 'report.json')
  const r = spawnSync(process.execPath, ['-r', join(root, 'test/helpers/electron-stub.cjs'), mainBundle], {
    cwd: root,
    env: { ...process.env, GUICHET_DATA_DIR: join(dir, 'data'), STUB_REPORT: out, GUICHET_DEMO: '1' },
    encoding: 'utf8',
    timeout: 30_000
  })
  if (r.status !== 0 || !existsSync(out)) throw new Error(`main bundle failed under the stub (status ${r.status}):\n${r.stderr}`)
  report = JSON.parse(readFileSync(out, 'utf8'))
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
