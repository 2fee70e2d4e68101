// electron-builder beforePack hook: puts the Electron build of better-sqlite3 for the version and
// arch being packaged BESIDE the Node build (scripts/native-sqlite.cjs); the app picks it by
// process.versions.electron. Nothing is swapped, so `npm test` never needs a rebuild after a
// `npm run dist`. Done at packaging time, never in postinstall.
'use strict'

const { prepareElectronSqlite } = require('./native-sqlite.cjs')

/** What to prepare for a packaging context; pure, so the test can check it. */
function nativeTarget(context) {
  const { Arch } = require('builder-util')
  return {
    electronVersion: context.packager.info.framework.version,
    platform: context.electronPlatformName ?? process.platform,
    arch: Arch[context.arch]
  }
}

async function beforePack(context) {
  const target = nativeTarget(context)
  await prepareElectronSqlite({ ...target, log: (line) => console.log(`  • ${line.trim()}`) })
}

module.exports = beforePack
module.exports.default = beforePack
module.exports.nativeTarget = nativeTarget
