import BetterSqlite3 from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DatabaseTooNewError, StoreStartupError, headerProblem, openDatabase } from './database'
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

  it('numbers migrations one by one from 1, leaving only the numbers reserved for parallel work', () => {
    const versions = MIGRATIONS.map((m) => m.version)
    const reserved = [8, 9, 10, 11, 12]
    const all = Array.from({ length: LATEST_VERSION }, (_, i) => i + 1)
    expect(versions).toEqual(all.filter((v) => versions.includes(v) || !reserved.includes(v)))
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
    expect((error as StoreStartupError).problem).toEqual({
      code: 'store_too_new',
      file,
      found: LATEST_VERSION + 5,
      supported: LATEST_VERSION
    })
    expect((error as Error).message).toMatch(/newer version of Guichet/)
    expect((error as Error).message).toMatch(/left untouched/)
    expect(sha(file)).toBe(before)
    expect(readdirSync(join(file, '..')).sort()).toEqual(filesBefore)
  })

  it('refuses a newer schema that only the WAL of an unclean shutdown holds, and leaves the file untouched', () => {
    const dir = tmp()
    const live = join(dir, 'live.sqlite')
    const raw = new BetterSqlite3(live)
    raw.pragma('journal_mode = WAL')
    raw.pragma('wal_autocheckpoint = 0')
    raw.exec('CREATE TABLE future (x INTEGER)')
    raw.pragma(`user_version = ${LATEST_VERSION + 5}`)
    // Copied while still open: the store as a power cut leaves it, the new version only in the WAL.
    const file = join(dir, 'newer.sqlite')
    copyFileSync(live, file)
    copyFileSync(`${live}-wal`, `${file}-wal`)
    raw.close()
    const before = sha(file)
    expect(() => openDatabase(file, { deferIntegrityCheck: true })).toThrow(DatabaseTooNewError)
    expect(sha(file)).toBe(before)
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
    // A clean close leaves no -wal: the full-file check waits for an unclean shutdown.
    expect(existsSync(`${file}-wal`)).toBe(false)
    writeFileSync(`${file}-wal`, '')
    const { db, warning } = openDatabase(file, { now: () => Date.UTC(2026, 10, 28) })
    expect(warning).toEqual({ code: 'store_set_aside', reason: 'integrity', kept: `${file}.damaged-2026-11-28T00-00-00-000Z` })
    const kept = readdirSync(dir).filter((f) => f.includes('.damaged-'))
    expect(kept.length).toBeGreaterThan(0)
    expect(db.prepare('SELECT count(*) AS n FROM shipments').get()).toEqual({ n: 0 })
    db.close()
  })

  it('does not read the whole file after a clean shutdown', () => {
    const file = join(tmp(), 'g.sqlite')
    openDatabase(file).db.close()
    const damaged = Buffer.from(readFileSync(file))
    damaged.fill(0x41, 4096, Math.min(damaged.length, 4096 * 6))
    writeFileSync(file, damaged)
    // Damage that no start-up query touches goes unseen until a check runs...
    const first = openDatabase(file)
    expect(first.warning).toBeNull()
    first.db.close()
    // ...which the next unclean shutdown (or a forced check) brings.
    const { db, warning } = openDatabase(file, { forceIntegrityCheck: true })
    expect(warning).toMatchObject({ code: 'store_set_aside', reason: 'integrity' })
    db.close()
  })

  it('sets aside a file that is not a SQLite store and starts empty', () => {
    const dir = tmp()
    const file = join(dir, 'g.sqlite')
    writeFileSync(file, 'this is a spreadsheet, not a store'.repeat(200))
    const { db, warning } = openDatabase(file)
    expect(warning).toMatchObject({ code: 'store_set_aside', reason: 'header' })
    expect(readFileSync((warning as unknown as { kept: string }).kept, 'utf8')).toMatch(/^this is a spreadsheet/)
    expect(db.prepare('SELECT count(*) AS n FROM shipments').get()).toEqual({ n: 0 })
    db.close()
  })

  it('sets aside a truncated store and starts empty', () => {
    const dir = tmp()
    const file = join(dir, 'g.sqlite')
    const first = openDatabase(file).db
    first.exec("INSERT INTO meta (key, value) VALUES ('filler', zeroblob(200000))")
    first.close()
    const size = readFileSync(file).length
    truncateSync(file, size - 4096 * 3)
    expect(headerProblem(file)).toMatch(/pages/)
    truncateSync(file, size - 4096 * 3 - 100)
    expect(headerProblem(file)).toMatch(/whole number/)
    const { db, warning } = openDatabase(file)
    expect(warning).toMatchObject({ code: 'store_set_aside', reason: 'header' })
    expect(db.prepare('SELECT count(*) AS n FROM shipments').get()).toEqual({ n: 0 })
    db.close()
  })

  it('treats an empty file as a new store', () => {
    const file = join(tmp(), 'g.sqlite')
    writeFileSync(file, '')
    const { db, warning } = openDatabase(file)
    expect(warning).toBeNull()
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION)
    db.close()
  })

  it('says the store is locked when another process holds its write lock', () => {
    const file = join(tmp(), 'g.sqlite')
    openDatabase(file).db.close()
    const other = new BetterSqlite3(file)
    other.exec('BEGIN IMMEDIATE')
    let error: unknown
    try {
      openDatabase(file)
    } catch (e) {
      error = e
    }
    other.exec('ROLLBACK')
    other.close()
    expect(error).toBeInstanceOf(StoreStartupError)
    expect((error as StoreStartupError).problem).toEqual({ code: 'store_locked', file })
  })
})
