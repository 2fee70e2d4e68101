// Prepares better-sqlite3 for Electron BESIDE the Node build, never in its place:
//   node_modules/better-sqlite3/build/Release/                      Node (tests, browser mode)
//   node_modules/better-sqlite3/build/electron-v<ver>-<os>-<arch>/  Electron (npm start, packaging)
// The app picks one by process.versions.electron (src/main/platform/db/native-binding.ts, which
// names the same folder). Used by `npm start` (start-electron.mjs) and packaging (before-pack.cjs).
'use strict'

const { spawn } = require('node:child_process')
const { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } = require('node:fs')
const { tmpdir } = require('node:os')
const { dirname, join } = require('node:path')

const SQLITE_DIR = dirname(require.resolve('better-sqlite3/package.json'))

/** Where the Electron build lives; the same rule as electronBindingPath() in native-binding.ts. */
function electronBindingPath(electronVersion, platform = process.platform, arch = process.arch, root = SQLITE_DIR) {
  return join(root, 'build', `electron-v${electronVersion}-${platform}-${arch}`, 'better_sqlite3.node')
}

/** A preparation that failed; `offline` when the cause was the network (DNS, refused, reset). */
class NativePrepareError extends Error {
  constructor(message, offline) {
    super(message)
    this.name = 'NativePrepareError'
    this.offline = offline
  }
}

const OFFLINE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|fetch failed|getaddrinfo|socket hang up/i

/** Runs a command quietly; resolves with its output, rejects with it. */
function run(cmd, args, cwd) {
  // npm_config_nodedir (Debian's Node headers) would make node-gyp build for Node, not Electron.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.toLowerCase() !== 'npm_config_nodedir'))
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.on('error', (e) => reject(Object.assign(e, { output: out })))
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(Object.assign(new Error(`exit ${code}`), { output: out }))))
  })
}

/**
 * Makes sure the Electron build exists: the published prebuilt first (a small download), else a
 * compile from the package's own sources against Electron's headers. Returns its path.
 */
async function prepareElectronSqlite({ electronVersion, platform = process.platform, arch = process.arch, log = console.log, exec = run }) {
  const target = electronBindingPath(electronVersion, platform, arch)
  if (existsSync(target)) return target
  const pkg = require(join(SQLITE_DIR, 'package.json'))
  log(`Preparing SQLite (better-sqlite3 ${pkg.version}) for Electron ${electronVersion} on ${platform}-${arch}, once...`)
  const work = mkdtempSync(join(tmpdir(), 'guichet-sqlite-'))
  const outputs = []
  try {
    let built = join(work, 'build', 'Release', 'better_sqlite3.node')
    try {
      log('  downloading the prebuilt module')
      copyFileSync(join(SQLITE_DIR, 'package.json'), join(work, 'package.json'))
      const args = ['--runtime', 'electron', '--target', electronVersion, '--arch', arch, '--platform', platform]
      await exec(process.execPath, [require.resolve('prebuild-install/bin.js'), ...args], work)
    } catch (e) {
      outputs.push(e.output ?? e.message)
      if (OFFLINE.test(outputs.join('\n')))
        throw new NativePrepareError(`better-sqlite3 for Electron ${electronVersion} could not be downloaded`, true)
      log("  no prebuilt module; compiling it against Electron's headers (a few minutes)")
      const src = join(work, 'src')
      cpSync(SQLITE_DIR, src, { recursive: true, filter: (f) => !f.startsWith(join(SQLITE_DIR, 'build')) })
      const gyp = require.resolve('node-gyp/bin/node-gyp.js')
      const args = ['rebuild', '--release', `--target=${electronVersion}`, `--arch=${arch}`, '--dist-url=https://electronjs.org/headers']
      try {
        await exec(process.execPath, [gyp, ...args], src)
      } catch (e2) {
        outputs.push(e2.output ?? e2.message)
      }
      built = join(src, 'build', 'Release', 'better_sqlite3.node')
    }
    if (!existsSync(built)) {
      const all = outputs.join('\n')
      throw new NativePrepareError(`better-sqlite3 for Electron ${electronVersion} could not be prepared`, OFFLINE.test(all))
    }
    mkdirSync(dirname(target), { recursive: true })
    copyFileSync(built, `${target}.part`)
    renameSync(`${target}.part`, target) // never a half-written module at the final name
    log(`  ready: ${target}`)
    return target
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

module.exports = { electronBindingPath, prepareElectronSqlite, NativePrepareError, OFFLINE }
