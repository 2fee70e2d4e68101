import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createBackend } from '../backend'
import { MemoryStore } from '../core/settings/settings'
import { createLogger, silentLogger } from './logger'
import { tightenDataDir } from './private-files'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function modes(dir: string, out: Record<string, number> = {}, base = dir): Record<string, number> {
  out[dir.slice(base.length) || '/'] = statSync(dir).mode & 0o777
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) modes(p, out, base)
    else out[p.slice(base.length)] = statSync(p).mode & 0o777
  }
  return out
}

describe.skipIf(process.platform === 'win32')('the data dir is private', () => {
  it('closes what an older version left open: folders 0700, files 0600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-perm-'))
    dirs.push(dir)
    chmodSync(dir, 0o755)
    mkdirSync(join(dir, 'labels'), { mode: 0o755 })
    writeFileSync(join(dir, 'labels', 'a.pdf'), 'x', { mode: 0o644 })
    writeFileSync(join(dir, 'settings.json'), '{}', { mode: 0o644 })
    tightenDataDir(dir)
    expect(modes(dir)).toEqual({ '/': 0o700, '/labels': 0o700, '/labels/a.pdf': 0o600, '/settings.json': 0o600 })
  })

  it('a backend leaves its store, log and vault readable by its owner only', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'guichet-perm-')), 'data')
    dirs.push(dir)
    const logger = createLogger({ file: join(dir, 'logs', 'guichet.log'), console: false })
    const b = createBackend({ dataDir: dir, version: 't', settingsStore: new MemoryStore(), logger })
    try {
      logger.info('perm.check')
      await b.dispatch('credentials.set', { carrier: 'ecotrack', account: 'x', secrets: { api_token: 'perm-token-123456' } })
      // The SQLite files take the process umask (privateUmask() at start, not in a shared test process).
      const m = modes(dir)
      expect(m).toMatchObject({ '/': 0o700, '/logs': 0o700, '/logs/guichet.log': 0o600, '/credentials.vault': 0o600, '/vault.key': 0o600 })
    } finally {
      b.close()
    }
  })

  it('a backend closes what an older version left open once its first answer is out, not before', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-perm-'))
    dirs.push(dir)
    chmodSync(dir, 0o755)
    mkdirSync(join(dir, 'labels'), { mode: 0o755 })
    writeFileSync(join(dir, 'labels', 'old.pdf'), 'x', { mode: 0o644 })
    const b = createBackend({ dataDir: dir, version: 't', settingsStore: new MemoryStore(), logger: silentLogger })
    try {
      // The folder itself is closed before anything is written in it...
      expect(modes(dir)['/']).toBe(0o700)
      expect(modes(dir)['/labels/old.pdf']).toBe(0o644)
      await b.dispatch('app.info', {})
      await new Promise((r) => setImmediate(r))
      // ...and the rest right after the first answer.
      expect(modes(dir)).toMatchObject({ '/labels': 0o700, '/labels/old.pdf': 0o600 })
    } finally {
      void b.close()
    }
  })
})
