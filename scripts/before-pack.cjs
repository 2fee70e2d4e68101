// electron-builder beforePack hook: rebuild better-sqlite3 for the Electron version being
// packaged (its ABI differs from Node's). Done here, at packaging time, rather than in
// postinstall, so `npm test` keeps a Node-ABI build: the Node build is set aside first and
// `npm run dist` puts it back afterwards (postdist: node scripts/before-pack.cjs --restore).
//
// Needs Electron's headers from electronjs.org and Node >= 22.12 (@electron/rebuild 4).
'use strict'

const { copyFileSync, existsSync, rmSync } = require('node:fs')
const { join } = require('node:path')

const NATIVE = join(__dirname, '..', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')
const NODE_ABI_COPY = `${NATIVE}.node-abi`

/** The @electron/rebuild options for a packaging context; pure, so the test can check it. */
function rebuildOptions(context) {
  const { Arch } = require('builder-util')
  const packager = context.packager
  return {
    buildPath: packager.info.appDir,
    electronVersion: packager.info.framework.version,
    arch: Arch[context.arch],
    onlyModules: ['better-sqlite3'],
    force: true,
    mode: 'sequential'
  }
}

async function beforePack(context) {
  const { rebuild } = await import('@electron/rebuild')
  const options = rebuildOptions(context)
  // Once per dist run: a second arch must not overwrite the Node build with an Electron one.
  if (existsSync(NATIVE) && !existsSync(NODE_ABI_COPY)) copyFileSync(NATIVE, NODE_ABI_COPY)
  console.log(`  • rebuilding better-sqlite3 for Electron ${options.electronVersion} (${options.arch})`)
  await rebuild(options)
}

/** Puts the Node-ABI build back after packaging, so tests run again without a 55 s rebuild. */
function restore() {
  if (!existsSync(NODE_ABI_COPY)) return false
  copyFileSync(NODE_ABI_COPY, NATIVE)
  rmSync(NODE_ABI_COPY)
  return true
}

if (require.main === module && process.argv.includes('--restore')) {
  console.log(restore() ? 'better-sqlite3: Node build restored' : 'better-sqlite3: nothing to restore')
}

module.exports = beforePack
module.exports.default = beforePack
module.exports.rebuildOptions = rebuildOptions
module.exports.restore = restore
