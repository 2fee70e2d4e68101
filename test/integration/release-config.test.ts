// The release configuration, checked where packaging itself cannot run (no network for the
// Electron zip): electron-builder's CLI starts, electron-builder.yml passes electron-builder's
// own schema validation, and the hooks and icons are what the issue asks for.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { load as loadYaml } from 'js-yaml'
import { describe, expect, it } from 'vitest'

const root = resolve(__dirname, '../..')
const require = createRequire(join(root, 'package.json'))
const run = promisify(execFile)

// electron-builder's own loader and validator (what `electron-builder` runs before packaging).
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<Record<string, unknown>>
  validateConfiguration(config: unknown, debugLogger: unknown): Promise<void>
}
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled?: boolean) => unknown }

// The YAML's shape is exactly what these tests assert, field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const yml = () => loadYaml(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, any>

describe('electron-builder', () => {
  it('runs: npx electron-builder --help', async () => {
    const { stdout } = await run('npx', ['--no-install', 'electron-builder', '--help'], { cwd: root, timeout: 60_000 })
    expect(stdout).toContain('--linux')
    expect(stdout).toContain('--win')
    expect(stdout).toContain('--mac')
  }, 60_000)

  it('accepts electron-builder.yml with its own schema check', async () => {
    const config = await getConfig(root, null, null)
    expect(config.appId).toBe('app.guichet.desk')
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
  }, 60_000)

  it('rejects a broken configuration with the same check (so the check above means something)', async () => {
    const config = { ...(await getConfig(root, null, null)), nsis: { perMachine: 'sometimes' }, notAnOption: true }
    await expect(validateConfiguration(config, new DebugLogger(false))).rejects.toThrow(/configuration|Invalid/i)
  })
})

describe('the release configuration', () => {
  const c = yml()

  it('builds NSIS per user without admin, AppImage and deb, dmg and zip', () => {
    expect(c.win.target).toEqual([{ target: 'nsis', arch: ['x64'] }])
    expect(c.nsis).toMatchObject({ perMachine: false, allowElevation: false, oneClick: true, deleteAppDataOnUninstall: false })
    expect(c.linux.target).toEqual(['AppImage', 'deb'])
    expect(c.mac.target).toEqual(['dmg', 'zip'])
    expect(c.fileAssociations).toBeUndefined()
  })

  it('publishes a generic feed with per-channel files, and packs into an asar', () => {
    expect(c.publish).toEqual([{ provider: 'generic', url: expect.stringMatching(/^https:\/\//) }])
    expect(c.generateUpdatesFilesForAllChannels).toBe(true)
    expect(c.asar).toBe(true)
    expect(c.files).toContain('out/**')
  })

  it('signs Windows builds and verifies the publisher of updates, and notarizes macOS builds', () => {
    expect(c.win.verifyUpdateCodeSignature).toBe(true)
    expect(c.win.signtoolOptions.signingHashAlgorithms).toEqual(['sha256'])
    // Not forced: a build without a certificate is made, unsigned, and says so on its About screen.
    expect(c.win.forceCodeSigning ?? false).toBe(false)
    expect(c.mac).toMatchObject({ hardenedRuntime: true, notarize: true })
  })

  it('prepares better-sqlite3 for Electron beside the Node build at packaging time, never in postinstall', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    expect(pkg.scripts.postinstall ?? '').not.toMatch(/rebuild|install-app-deps/)
    expect(pkg.scripts.postdist ?? '').not.toMatch(/restore/)
    expect(c.npmRebuild).toBe(false)
    const hook = require('./scripts/before-pack.cjs')
    expect(c.beforePack).toBe('scripts/before-pack.cjs')
    expect(typeof hook).toBe('function')
    const target = hook.nativeTarget({
      arch: 1,
      electronPlatformName: 'win32',
      packager: { info: { appDir: '/app', framework: { version: '45.5.0' } } }
    })
    expect(target).toEqual({ electronVersion: '45.5.0', platform: 'win32', arch: 'x64' })
    // The Node build stays out of the package; the Electron one goes in, unpacked from the asar.
    expect(c.files).toContain('!**/node_modules/better-sqlite3/build/{Release,deps}/**')
    expect(c.asarUnpack).toContain('**/*.node')
  })

  it('sets the Electron fuses in the afterPack hook', () => {
    const { FuseV1Options, FuseVersion } = require('@electron/fuses')
    const hook = require('./scripts/after-pack.cjs')
    expect(c.afterPack).toBe('scripts/after-pack.cjs')
    expect(typeof hook).toBe('function')
    for (const platform of ['win32', 'linux', 'darwin']) {
      const f = hook.fuseConfig(platform)
      expect(f.version).toBe(FuseVersion.V1)
      expect(f[FuseV1Options.RunAsNode]).toBe(false)
      expect(f[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false)
      expect(f[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true)
      expect(f[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true)
      expect(f[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false)
      expect(f.resetAdHocDarwinSignature).toBe(platform === 'darwin')
    }
  })

  it('ships small icons electron-builder can use', () => {
    const png = readFileSync(join(root, 'resources/icon.png'))
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG')
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024])
    const ico = readFileSync(join(root, 'resources/icon.ico'))
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1])
    const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico[6 + 16 * i] || 256)
    expect(sizes).toContain(256)
    const icns = readFileSync(join(root, 'resources/icon.icns'))
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns')
    expect(icns.readUInt32BE(4)).toBe(icns.length)
    expect(png.length + ico.length + icns.length).toBeLessThan(200_000)
  })
})
