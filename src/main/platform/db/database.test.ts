import BetterSqlite3 from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DatabaseTooNewError, openDatabase } from './database'
import { LATEST_VERSION, MIGRATIONS } from './migrations'

const dirs: string[] = []
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'guichet-db-'))
  dirs.push(d)
  return d
}
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex')

afterEach(() => dirs.splice(0))

describe('openDatabase', () => {
  it('creates the schema at the latest version with WAL and foreign keys', () => {
    const { db, warning } = openDatabase(join(tmp(), 'g.sqlite'))
    expect(warning).toBeNull()
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table')").all() as Array<{ name: string }>).map(
      (r) => r.name
    )
    expect(tables).toEqual(expect.arrayContaining(['shipments', 'tracking_events', 'remarks', 'shipment_search', 'meta']))
    db.close()
  })

  it('numbers migrations one by one from 1', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1))
  })

  it('reopens an existing store without re-running migrations', () => {
    const file = join(tmp(), 'g.sqlite')
    openDatabase(file).db.close()
    const { db } = openDatabase(file)
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION)
    db.close()
  })

  it('refuses a database from a newer schema and leaves the file untouched', () => {
    const file = join(tmp(), 'newer.sqlite')
    const raw = new BetterSqlite3(file)
    raw.exec('CREATE TABLE future (x INTEGER)')
    raw.pragma(`user_version = ${LATEST_VERSION + 5}`)
    raw.close()
    const before = sha(file)
    const filesBefore = readdirSync(join(file, '..')).sort()
    let error: unknown
    try {
      openDatabase(file)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(DatabaseTooNewError)
    expect((error as Error).message).toMatch(/newer version of Guichet/)
    expect((error as Error).message).toMatch(/left untouched/)
    expect(sha(file)).toBe(before)
    expect(readdirSync(join(file, '..')).sort()).toEqual(filesBefore)
  })

  it('keeps a copy of a damaged file, says so, and starts with an empty store', () => {
    const dir = tmp()
    const file = join(dir, 'g.sqlite')
    openDatabase(file).db.close()
    // Overwrite the middle of the file: the header survives, the b-trees do not.
    const bytes = readFileSync(file)
    const damaged = Buffer.from(bytes)
    damaged.fill(0x41, 4096, Math.min(bytes.length, 4096 * 6))
    writeFileSync(file, damaged)
    const { db, warning } = openDatabase(file, { now: () => Date.UTC(2026, 10, 28) })
    expect(warning).toMatch(/integrity check/)
    expect(warning).toMatch(/A copy was kept at/)
    const kept = readdirSync(dir).filter((f) => f.includes('.damaged-'))
    expect(kept.length).toBeGreaterThan(0)
    expect(db.prepare('SELECT count(*) AS n FROM shipments').get()).toEqual({ n: 0 })
    db.close()
  })
})
