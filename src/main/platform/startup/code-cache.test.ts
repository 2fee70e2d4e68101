import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { codeCacheDir, installCodeCache, type CodeCache } from './code-cache'

const load = createRequire(import.meta.url)
let cache: CodeCache | null = null
const dirs: string[] = []

interface Chunk {
  value: number
  twice: (n: number) => number
  dir: string
}

/** Requires the file anew (out of require's cache), so it is compiled again. */
function fresh(file: string): Chunk {
  delete load.cache[file]
  return load(file) as Chunk
}

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'guichet-code-cache-'))
  dirs.push(root)
  const bundle = join(root, 'out')
  const cacheDir = join(root, 'data', 'cache', 'code')
  writeFileSync(join(root, 'outside.js'), 'module.exports = { value: 0 }')
  mkdirSync(bundle, { recursive: true })
  const file = join(bundle, 'chunk.js')
  writeFileSync(
    file,
    "const path = require('node:path'); exports.value = 1; exports.twice = (n) => n * 2; exports.dir = path.basename(__dirname)"
  )
  return { root, bundle, cacheDir, file }
}

afterEach(() => {
  cache?.uninstall()
  cache = null
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('the code cache of the built bundle', () => {
  it('compiles a bundle file from source once, then from the saved cache, with require and __dirname working', () => {
    const { cacheDir, bundle, file } = setup()
    cache = installCodeCache(bundle, cacheDir, -1)
    const first = fresh(file)
    expect([first.value, first.twice(21), first.dir]).toEqual([1, 42, 'out'])
    expect(cache.stats).toEqual({ fromCache: 0, compiled: 1 })
    cache.save()
    expect(readdirSync(cacheDir)).toHaveLength(1)
    expect(statSync(join(cacheDir, readdirSync(cacheDir)[0]!)).mode & 0o777).toBe(0o600)
    cache.uninstall()

    cache = installCodeCache(bundle, cacheDir, -1)
    const second = fresh(file)
    expect([second.value, second.twice(4)]).toEqual([1, 8])
    expect(cache.stats).toEqual({ fromCache: 1, compiled: 0 })
  })

  it('never runs the bytecode of an older build: a rebuilt file is compiled from its new source', () => {
    const { cacheDir, bundle, file } = setup()
    cache = installCodeCache(bundle, cacheDir, -1)
    fresh(file)
    cache.save()
    cache.uninstall()
    // Same length, different code: V8's own check would not see it, the file's key does.
    writeFileSync(
      file,
      "const path = require('node:path'); exports.value = 7; exports.twice = (n) => n * 3; exports.dir = path.basename(__dirname)"
    )
    utimesSync(file, new Date(), new Date(Date.now() + 5_000))
    cache = installCodeCache(bundle, cacheDir, -1)
    const rebuilt = fresh(file)
    expect([rebuilt.value, rebuilt.twice(2)]).toEqual([7, 6])
    expect(cache.stats).toEqual({ fromCache: 0, compiled: 1 })
  })

  it('drops the bytecode of files an update replaced or removed, and keeps the current one', () => {
    const { cacheDir, bundle, file } = setup()
    mkdirSync(cacheDir, { recursive: true })
    writeFileSync(join(cacheDir, 'backend-OLDHASH.js.713941.1796396855134.v8'), 'old build')
    writeFileSync(join(cacheDir, 'chunk.js.1.1.v8'), 'same file, older build')
    writeFileSync(join(cacheDir, 'notes.txt'), 'not ours to judge')
    cache = installCodeCache(bundle, cacheDir, -1)
    fresh(file)
    cache.save()
    const st = statSync(file)
    expect(readdirSync(cacheDir).sort()).toEqual([`chunk.js.${st.size}.${Math.trunc(st.mtimeMs)}.v8`, 'notes.txt'])
  })

  it('leaves files outside the bundle to Node', () => {
    const { cacheDir, bundle, root } = setup()
    cache = installCodeCache(bundle, cacheDir, -1)
    expect(fresh(join(root, 'outside.js')).value).toBe(0)
    expect(cache.stats).toEqual({ fromCache: 0, compiled: 0 })
  })

  it('keeps the cache in the data dir, private like the rest of it', () => {
    expect(codeCacheDir({ GUICHET_DATA_DIR: '/srv/desk' })).toBe('/srv/desk/cache/code')
  })
})
