import BetterSqlite3, { type Database } from 'better-sqlite3'
import { closeSync, copyFileSync, existsSync, openSync, readSync, renameSync, statSync } from 'node:fs'
import { LATEST_VERSION, MIGRATIONS } from './migrations'
import { nativeBinding } from './native-binding'
import type { Logger } from '../logger'
import type { StartupProblem, StoreWarning } from '../../../shared/startup'

export type { Database }

/** The store cannot be opened at all: main shows `problem` in a window, in the clerk's language. */
export class StoreStartupError extends Error {
  constructor(
    readonly problem: StartupProblem,
    message: string
  ) {
    super(message)
    this.name = 'StoreStartupError'
  }
}

/** The file was written by a newer Guichet: opening it could destroy what that version stored. */
export class DatabaseTooNewError extends StoreStartupError {
  constructor(
    readonly file: string,
    readonly found: number,
    readonly supported: number
  ) {
    super(
      { code: 'store_too_new', file, found, supported },
      `The local database ${file} was created by a newer version of Guichet (schema ${found}; this version knows up to ${supported}). ` +
        'It was left untouched. Install the newer Guichet again, or start with another data folder.'
    )
    this.name = 'DatabaseTooNewError'
  }
}

interface OpenedStore {
  db: Database
  /** Set when the file was damaged and set aside; the renderer words it. */
  warning: StoreWarning | null
}

interface OpenOptions {
  logger?: Logger
  now?: () => number
  /** Skip the integrity check even after an unclean shutdown (benchmarks that open a huge file many times). */
  skipIntegrityCheck?: boolean
  /** Run the full-file check even after a clean shutdown (tests). */
  forceIntegrityCheck?: boolean
}

const open = (file: string, readonly = false): Database =>
  new BetterSqlite3(file, { readonly, fileMustExist: readonly, nativeBinding: nativeBinding() })

/**
 * A file SQLite would refuse, read from its 100-byte header without opening it: not a SQLite
 * file, or shorter than the page count its header vouches for (cut short by a full disk or a
 * copy). An empty file is a new store, not a damaged one.
 */
export function headerProblem(file: string): string | null {
  const size = statSync(file).size
  if (size === 0) return null
  if (size < 100) return `file of ${size} bytes`
  const h = Buffer.alloc(100)
  const fd = openSync(file, 'r')
  try {
    readSync(fd, h, 0, 100, 0)
  } finally {
    closeSync(fd)
  }
  if (h.toString('latin1', 0, 16) !== 'SQLite format 3\0') return 'not a SQLite file'
  const raw = h.readUInt16BE(16)
  const pageSize = raw === 1 ? 65536 : raw
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return `page size ${raw}`
  if (size % pageSize !== 0) return `size ${size} is not a whole number of ${pageSize}-byte pages`
  // The in-header page count is valid only when the change counter matches version-valid-for.
  const pages = h.readUInt32BE(28)
  if (pages > 0 && h.readUInt32BE(24) === h.readUInt32BE(92) && size < pages * pageSize) return `${size / pageSize} of ${pages} pages`
  return null
}

/** Reads the schema version without writing anything (no WAL switch, no journal). */
function peekVersion(file: string): number {
  const db = open(file, true)
  try {
    return db.pragma('user_version', { simple: true }) as number
  } finally {
    db.close()
  }
}

function checkIntegrity(file: string): string | null {
  let db: Database | undefined
  try {
    db = open(file, true)
    // The check reads every page: keep its cache small, it must not stay in memory afterwards.
    db.pragma('cache_size = -2048')
    const rows = db.pragma('quick_check') as Array<{ quick_check: string }>
    const first = rows[0]?.quick_check
    return first === 'ok'
      ? null
      : rows
          .map((r) => r.quick_check)
          .slice(0, 5)
          .join('; ')
  } catch (e) {
    return (e as Error).message
  } finally {
    db?.close()
  }
}

/** Keeps the damaged file (and its WAL) for a specialist, under a dated name; returns that name. */
function setAside(file: string, now: () => number): string {
  const stamp = new Date(now()).toISOString().replace(/[:.]/g, '-')
  const kept = `${file}.damaged-${stamp}`
  copyFileSync(file, kept)
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, `${kept}${suffix}.orig`)
  }
  return kept
}

const sqliteCode = (e: unknown): string => String((e as { code?: unknown }).code ?? '')

/**
 * Opens (or creates) the store: sets aside a file SQLite would refuse, refuses a newer schema,
 * checks integrity after an unclean shutdown only, applies pending migrations in one
 * transaction, then sets WAL, foreign keys and a busy timeout.
 *
 * Start-up reads a handful of pages: the full-file check (seconds on a year of parcels) runs
 * only when the last run did not close cleanly. SQLite deletes the `-wal` file when the last
 * connection closes, so a `-wal` left beside the store is that run's unclean-shutdown marker.
 */
export function openDatabase(file: string, opts: OpenOptions = {}): OpenedStore {
  const now = opts.now ?? Date.now
  let warning: StoreWarning | null = null
  const setAsideBecause = (reason: StoreWarning['reason'], problem: string) => {
    const kept = setAside(file, now)
    warning = { code: 'store_set_aside', kept, reason }
    opts.logger?.error('store.set_aside', { file, kept, reason, problem })
  }
  if (file !== ':memory:' && existsSync(file)) {
    // Read before anything opens the file: even a read-only connection creates the -wal.
    const unclean = existsSync(`${file}-wal`)
    let problem = headerProblem(file)
    let found = 0
    if (!problem) {
      try {
        found = peekVersion(file)
      } catch (e) {
        if (['SQLITE_NOTADB', 'SQLITE_CORRUPT'].includes(sqliteCode(e))) problem = (e as Error).message
        else throw storeError(file, e)
      }
    }
    if (problem) setAsideBecause('header', problem)
    else {
      if (found > LATEST_VERSION) throw new DatabaseTooNewError(file, found, LATEST_VERSION)
      const check = opts.forceIntegrityCheck || (unclean && !opts.skipIntegrityCheck)
      const damage = check ? checkIntegrity(file) : null
      if (damage) setAsideBecause('integrity', damage)
    }
  }
  let db: Database | undefined
  try {
    db = open(file)
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL') // the cache can be fetched again; the outbox raises this per write
    db.pragma('foreign_keys = ON')
    // Another process writing to this store (a second Guichet on the same folder) would make
    // every later write wait: find out now, once, and say so.
    db.pragma('busy_timeout = 2000')
    db.exec('BEGIN IMMEDIATE')
    db.exec('COMMIT')
    db.pragma('busy_timeout = 5000')
    // Lookups touch a few pages of the indexes: a 16 MiB page cache holds them (SQLite's default
    // is 2 MiB). No memory map: mapped pages a scan touched stay in the process's RSS.
    db.pragma('cache_size = -16384')
    db.pragma('temp_store = MEMORY')
    migrate(db)
  } catch (e) {
    db?.close()
    throw e instanceof StoreStartupError ? e : storeError(file, e)
  }
  return { db, warning }
}

/** A SQLite error at open, as the start-up problem the clerk is shown. */
function storeError(file: string, e: unknown): StoreStartupError {
  const code = sqliteCode(e)
  const problem: StartupProblem = ['SQLITE_BUSY', 'SQLITE_LOCKED'].includes(code)
    ? { code: 'store_locked', file }
    : { code: 'store_unreadable', file }
  return new StoreStartupError(problem, `${file}: ${(e as Error).message}`)
}

/** Applies every migration above the file's user_version, all or nothing. */
function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > LATEST_VERSION) throw new DatabaseTooNewError(db.name, current, LATEST_VERSION)
  const pending = MIGRATIONS.filter((m) => m.version > current)
  if (pending.length === 0) return
  db.transaction(() => {
    for (const m of pending) {
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
    }
  })()
  // Fresh statistics for the planner, limited so a big store is not scanned at start.
  db.pragma('analysis_limit = 400')
  db.pragma('optimize')
}
