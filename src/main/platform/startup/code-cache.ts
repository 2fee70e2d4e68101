// V8 code cache for the built main bundle. Compiling the backend chunk (about 1 MB) and the
// functions a first scan runs costs more CPU than anything else the backend does at start, and
// Node 20 has no module.enableCompileCache. The built entries (serve.js, backend.process.js)
// require this file first (electron.vite.config.ts adds the line): it compiles the bundle's own
// files with the bytecode V8 saved at the previous start, and saves it once the desk has run a
// while, so that it holds the functions the start and the first scans compiled too.
// GUICHET_CODE_CACHE=0 turns it off.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import Module from 'node:module'
import { homedir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { Script, constants as vmConstants } from 'node:vm'

interface Compiled {
  script: Script
  cacheFile: string
}

export interface CodeCache {
  /** Files compiled from a saved cache, and files compiled from source (saved by save()). */
  stats: { fromCache: number; compiled: number }
  /** Writes the cache of the files compiled from source (once; also done by a timer and at exit). */
  save(): void
  /** Puts Node's own compile back (tests). */
  uninstall(): void
}

interface ModuleInternals {
  _compile(content: string, filename: string): unknown
}

/** Once the first scans are answered: long enough for the start, short enough to be written before most exits. */
const SAVE_AFTER_MS = 3_000

/**
 * Compiles the JS files under `bundleDir` with a code cache kept in `cacheDir` (private to the
 * user: bytecode there runs as ours). A cache entry is keyed by file name, size and mtime, so a
 * rebuilt bundle never runs stale bytecode; V8 also refuses a cache made by another V8.
 */
export function installCodeCache(bundleDir: string, cacheDir: string, saveAfterMs = SAVE_AFTER_MS): CodeCache {
  const proto = Module.prototype as unknown as ModuleInternals
  const original = proto._compile
  const fresh: Compiled[] = []
  const stats = { fromCache: 0, compiled: 0 }
  const prefix = bundleDir.endsWith('/') || bundleDir.endsWith('\\') ? bundleDir : bundleDir + (bundleDir.includes('\\') ? '\\' : '/')

  proto._compile = function (this: Module, content: string, filename: string) {
    if (!filename.startsWith(prefix) || !filename.endsWith('.js')) return original.call(this, content, filename)
    let cacheFile: string
    let cachedData: Buffer | undefined
    try {
      const st = statSync(filename)
      cacheFile = join(cacheDir, `${basename(filename)}.${st.size}.${Math.trunc(st.mtimeMs)}.v8`)
      cachedData = readFileSync(cacheFile)
    } catch {
      cacheFile ??= join(cacheDir, `${basename(filename)}.v8`)
    }
    const script = new Script(Module.wrap(content), {
      filename,
      ...(cachedData ? { cachedData } : {}),
      importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER
    } as ConstructorParameters<typeof Script>[1])
    if (!cachedData || script.cachedDataRejected) {
      stats.compiled++
      fresh.push({ script, cacheFile })
    } else stats.fromCache++
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown
    return wrapper.call(this.exports, this.exports, requireFor(this), this, filename, dirname(filename))
  }

  let saved = false
  const save = () => {
    if (saved) return
    saved = true
    if (fresh.length === 0) return
    try {
      mkdirSync(cacheDir, { recursive: true, mode: 0o700 })
      for (const { script, cacheFile } of fresh) {
        const tmp = `${cacheFile}.${process.pid}.tmp`
        writeFileSync(tmp, script.createCachedData(), { mode: 0o600 })
        renameSync(tmp, cacheFile)
      }
      // Something was compiled afresh: an update, most often. Its predecessor's bytecode
      // (half a megabyte a build) would otherwise stay in the data dir for good.
      pruneStale(bundleDir, cacheDir)
    } catch {
      // A cache is an optimisation: a full disk or a read-only home only costs the next start time.
    }
  }
  const timer = saveAfterMs >= 0 ? setTimeout(save, saveAfterMs).unref() : null
  process.once('exit', save)
  return {
    stats,
    save,
    uninstall() {
      proto._compile = original
      if (timer) clearTimeout(timer)
      process.off('exit', save)
    }
  }
}

/** Removes the cache entries of bundle files that no longer exist or have changed since. */
function pruneStale(bundleDir: string, cacheDir: string): void {
  const current = new Map<string, string>()
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name))
      else if (e.name.endsWith('.js')) current.set(e.name, join(dir, e.name))
    }
  }
  walk(bundleDir)
  for (const name of readdirSync(cacheDir)) {
    const m = /^(.+\.js)\.(\d+)\.(\d+)\.v8$/.exec(name)
    if (!m) continue
    const file = current.get(m[1]!)
    const st = file ? statSync(file, { throwIfNoEntry: false }) : undefined
    if (!st || st.size !== Number(m[2]) || Math.trunc(st.mtimeMs) !== Number(m[3])) rmSync(join(cacheDir, name), { force: true })
  }
}

/** The `require` a CommonJS module gets (Node's own is internal). */
function requireFor(mod: Module): NodeJS.Require {
  const M = Module as unknown as { _resolveFilename(request: string, parent: Module, isMain: boolean, options?: unknown): string }
  const require = ((id: string) => mod.require(id)) as NodeJS.Require
  require.resolve = ((request: string, options?: unknown) => M._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve
  require.resolve.paths = (request: string) =>
    (Module as unknown as { _resolveLookupPaths(r: string, m: Module): string[] | null })._resolveLookupPaths(request, mod)
  require.main = process.mainModule
  require.cache = (Module as unknown as { _cache: NodeJS.Require['cache'] })._cache
  require.extensions = (Module as unknown as { _extensions: NodeJS.Require['extensions'] })._extensions
  return require
}

/** The data dir's cache folder (GUICHET_DATA_DIR), or ~/.guichet/cache when none is given. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.GUICHET_DATA_DIR ? join(env.GUICHET_DATA_DIR, 'cache', 'code') : join(homedir(), '.guichet', 'cache', 'code')
}

// As the first line of a built entry: the bundle is this file's folder.
if (process.env.GUICHET_CODE_CACHE !== '0' && typeof __dirname === 'string' && basename(__filename) === 'code-cache.js') {
  installCodeCache(__dirname, codeCacheDir())
}
