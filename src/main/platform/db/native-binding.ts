import { dirname, join } from 'node:path'

// better-sqlite3 is a native module: Node and Electron need builds for their own ABI. Both live
// side by side in better-sqlite3's folder, build/Release (Node: tests, browser mode) and
// build/electron-v<version>-<platform>-<arch> (prepared by `npm start` and by packaging),
// and each runtime opens its own; nothing is swapped in place.

/** better-sqlite3's package folder. */
function betterSqliteDir(): string {
  return dirname(require.resolve('better-sqlite3/package.json'))
}

/** Where the Electron build for `electronVersion` lives (scripts/native-sqlite.cjs puts it there). */
export function electronBindingPath(
  electronVersion: string,
  platform: string = process.platform,
  arch: string = process.arch,
  root: string = betterSqliteDir()
): string {
  return join(root, 'build', `electron-v${electronVersion}-${platform}-${arch}`, 'better_sqlite3.node')
}

/**
 * The binding this runtime opens: undefined under Node (better-sqlite3 finds build/Release
 * itself), the Electron build under Electron, read from app.asar.unpacked when packaged
 * (a native module cannot load from inside the archive).
 */
export function nativeBinding(versions: NodeJS.ProcessVersions = process.versions): string | undefined {
  const electron = versions.electron
  if (!electron) return undefined
  return electronBindingPath(electron).replace(/app\.asar([\\/])/, 'app.asar.unpacked$1')
}
