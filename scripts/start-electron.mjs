#!/usr/bin/env node
// `npm start` (after the build): makes sure Electron's binary and the Electron build of
// better-sqlite3 are there (each fetched once, with progress), then runs the desktop app.
// Where they cannot be fetched, one plain sentence says so and names browser mode.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const require = createRequire(import.meta.url)
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const { prepareElectronSqlite, OFFLINE } = require('./native-sqlite.cjs')

const electronDir = () => dirname(require.resolve('electron/package.json'))

/** The installed Electron's version, read from its package (no binary needed). */
export const electronVersion = () => JSON.parse(readFileSync(join(electronDir(), 'package.json'), 'utf8')).version

/** Electron's binary, downloaded once by its own installer (quietly; we print the progress). */
export async function ensureElectron({ log = console.log } = {}) {
  const dir = electronDir()
  const pathFile = join(dir, 'path.txt')
  const present = () => existsSync(pathFile) && existsSync(join(dir, 'dist', readFileSync(pathFile, 'utf8')))
  if (!present()) {
    log(`Downloading Electron ${electronVersion()} once (about 100 MB)...`)
    const out = await new Promise((resolve) => {
      const child = spawn(process.execPath, [join(dir, 'install.js')], { stdio: ['ignore', 'pipe', 'pipe'] })
      let text = ''
      child.stdout.on('data', (d) => (text += d))
      child.stderr.on('data', (d) => (text += d))
      child.on('exit', (code) => resolve({ code, text }))
    })
    if (out.code !== 0 || !present())
      throw Object.assign(new Error('Electron could not be downloaded'), { offline: OFFLINE.test(out.text) })
  }
  return join(dir, 'dist', readFileSync(pathFile, 'utf8'))
}

/** The whole of `npm start` after the build; every step injectable for the test. */
export async function startElectron({
  version = electronVersion(),
  ensure = ensureElectron,
  prepareSqlite = prepareElectronSqlite,
  launch = (bin) => spawn(bin, [ROOT], { stdio: 'inherit', env: process.env }),
  log = console.log
} = {}) {
  const bin = await ensure({ log })
  await prepareSqlite({ electronVersion: version, log })
  return launch(bin)
}

/** One sentence, no stack: what went wrong and what works instead. */
export function failureSentence(e, version) {
  const why = e?.offline ? 'this machine cannot reach the network' : `the download failed (${String(e?.message ?? e).split('\n')[0]})`
  return (
    `Guichet's desktop app needs Electron ${version} and its SQLite module, fetched once, and ${why}: ` +
    'run `GUICHET_DEMO=1 npm run serve` to use Guichet in your browser with the demo parcels.'
  )
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  startElectron().then(
    (child) => {
      child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)))
      for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s))
    },
    (e) => {
      console.error(failureSentence(e, electronVersion()))
      process.exit(1)
    }
  )
}
