import BetterSqlite3, { type Database } from 'better-sqlite3'
import { closeSync, copyFileSync, existsSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
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
  /**
   * The last run did not close cleanly and the full-file check was left to the caller
   * (`deferIntegrityCheck`): run `checkIntegrityInBackground` (integrity-check.ts) once ready, then
   * {@link markDamaged} if it finds damage.
   */
  integrityCheckDue: boolean
}

interface OpenOptions {
  logger?: Logger
  now?: () => number
  /** Skip the integrity check even after an unclean shutdown (benchmarks that open a huge file many times). */
  skipIntegrityCheck?: boolean
  /** Run the full-file check even after a clean shutdown (tests). */
  forceIntegrityCheck?: boolean
  /**
   * After an unclean shutdown, open at once and leave the full-file check to the caller, who runs
   * it once the first scan is answered (the backend: in a worker thread). Seconds on a year of
   * parcels that the clerk would otherwise wait for every time the power was cut.
   */
  deferIntegrityCheck?: boolean
}

/** Beside the store: damage a background check found, to be set aside at the next open. */
export const damageMarker = (file: string): string => `${file}.damage-found`

const open = (file: string, readonly = false): Database =>
  new BetterSqlite3(file, { readonly, fileMustExist: readonly, nativeBinding: nativeBinding() })

/**
 * A file SQLite would refuse, read from its 100-byte header without opening it: not a SQLite
 * file, or shorter than the page count its header vouches for (cut short by a full disk or a
 * copy). An empty file is a new store, not a damaged one.
 */
export function headerProblem(file: string): string | null {
  return readHeader(file).problem
}

/** Reads the schema version through SQLite without writing anything (no WAL switch, no checkpoint). */
function peekVersion(file: string): number {
  const db = open(file, true)
  try {
    return db.pragma('user_version', { simple: true }) as number
  } finally {
    db.close()
  }
}

/**
 * The header's verdict and the schema version it records (user_version, offset 60), read
 * without opening a connection: after a clean shutdown the header is the whole truth.
 */
function readHeader(file: string): { problem: string | null; userVersion: number } {
  const size = statSync(file).size
  if (size === 0) return { problem: null, userVersion: 0 }
  if (size < 100) return { problem: `file of ${size} bytes`, userVersion: 0 }
  const h = Buffer.alloc(100)
  const fd = openSync(file, 'r')
  try {
    readSync(fd, h, 0, 100, 0)
  } finally {
    closeSync(fd)
  }
  const verdict = (problem: string | null) => ({ problem, userVersion: h.readUInt32BE(60) })
  if (h.toString('latin1', 0, 16) !== 'SQLite format 3\0') return { problem: 'not a SQLite file', userVersion: 0 }
  const raw = h.readUInt16BE(16)
  const pageSize = raw === 1 ? 65536 : raw
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return verdict(`page size ${raw}`)
  if (size % pageSize !== 0) return verdict(`size ${size} is not a whole number of ${pageSize}-byte pages`)
  // The in-header page count is valid only when the change counter matches version-valid-for.
  const pages = h.readUInt32BE(28)
  if (pages > 0 && h.readUInt32BE(24) === h.readUInt32BE(92) && size < pages * pageSize)
    return verdict(`${size / pageSize} of ${pages} pages`)
  return verdict(null)
}

/**
 * SQLite's quick_check over the whole file, on a read-only connection of its own: null when it
 * is sound, else the first problems found.
 *
 * Self-contained on purpose (no imports, no closures, plain JavaScript inside): a worker thread
 * runs its source text (integrity-check.ts), so that the check of a big store never holds up a
 * scan, and this one function is what both paths run.
 */
export function quickCheck(Sqlite: typeof BetterSqlite3, file: string, binding: string | undefined): string | null {
  let db
  try {
    db = new Sqlite(file, { readonly: true, fileMustExist: true, nativeBinding: binding })
    // The check reads every page: keep its cache small, it must not stay in memory afterwards.
    db.pragma('cache_size = -2048')
    const rows = db.pragma('quick_check') as Array<{ quick_check: string }>
    if (rows[0]?.quick_check === 'ok') return null
    return rows
      .slice(0, 5)
      .map((r) => r.quick_check)
      .join('; ')
  } catch (e) {
    // Damage SQLite ran into is a finding; anything else (no such file, no permission) is not.
    const code = String((e as { code?: unknown }).code)
    if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') return String((e as Error).message)
    throw e
  } finally {
    if (db) db.close()
  }
}

function checkIntegrity(file: string): string | null {
  try {
    return quickCheck(BetterSqlite3, file, nativeBinding())
  } catch (e) {
    throw storeError(file, e)
  }
}

/**
 * Records damage found while the store is open (it cannot be moved while in use): the next
 * open sets the file aside, exactly as if the check had run then.
 */
export function markDamaged(file: string, problem: string): void {
  writeFileSync(damageMarker(file), `${problem}\n`, { mode: 0o600 })
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
const DAMAGED = ['SQLITE_NOTADB', 'SQLITE_CORRUPT']

/**
 * Opens (or creates) the store: sets aside a file SQLite would refuse, refuses a newer schema,
 * checks integrity after an unclean shutdown only, applies pending migrations in one
 * transaction, then sets WAL, foreign keys and a busy timeout.
 *
 * Start-up reads a handful of pages: the full-file check (seconds on a year of parcels) runs
 * only when the last run did not close cleanly. SQLite deletes the `-wal` file when the last
 * connection closes, so a `-wal` left beside the store is that run's unclean-shutdown marker.
 * With `deferIntegrityCheck` the check is the caller's, after start; damage it found and
 * marked is set aside here, at the next open.
 */
export function openDatabase(file: string, opts: OpenOptions = {}): OpenedStore {
  const now = opts.now ?? Date.now
  let warning: StoreWarning | null = null
  const setAsideBecause = (reason: StoreWarning['reason'], problem: string) => {
    const kept = setAside(file, now)
    warning = { code: 'store_set_aside', kept, reason }
    opts.logger?.error('store.set_aside', { file, kept, reason, problem })
  }
  let integrityCheckDue = false
  if (file !== ':memory:' && existsSync(file)) {
    // Read before anything opens the file: even a read-only connection creates the -wal.
    const unclean = existsSync(`${file}-wal`)
    const marked = readMarker(file)
    const header = readHeader(file)
    let problem = header.problem
    let found = header.userVersion
    // A WAL left behind may hold a newer version than the header: ask SQLite, read-only (a
    // connection that could write would fold that WAL into a file a newer Guichet made).
    if (!problem && unclean) {
      try {
        found = peekVersion(file)
      } catch (e) {
        if (DAMAGED.includes(sqliteCode(e))) problem = (e as Error).message
        else throw storeError(file, e)
      }
    }
    if (problem) setAsideBecause('header', problem)
    else {
      if (found > LATEST_VERSION) throw new DatabaseTooNewError(file, found, LATEST_VERSION)
      const due = opts.forceIntegrityCheck || (unclean && !opts.skipIntegrityCheck)
      const checkNow = due && (opts.forceIntegrityCheck || !opts.deferIntegrityCheck)
      const damage = marked ?? (checkNow ? checkIntegrity(file) : null)
      if (damage) setAsideBecause('integrity', damage)
      else integrityCheckDue = due && !checkNow
    }
    // Set aside or not (a damaged header says more than the mark), the mark has done its work.
    if (marked !== null) rmSync(damageMarker(file), { force: true })
  }
  let db: Database
  try {
    db = openForUse(file)
  } catch (e) {
    // Damage on the pages every open reads (the schema): the check was not needed to find it.
    if (!DAMAGED.includes(sqliteCode(e)) || warning) throw e instanceof StoreStartupError ? e : storeError(file, e)
    setAsideBecause('integrity', (e as Error).message)
    integrityCheckDue = false
    db = openForUse(file)
  }
  return { db, warning, integrityCheckDue }
}

/** Opens the store for the app: WAL, foreign keys, a busy timeout, pending migrations. */
function openForUse(file: string): Database {
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
    return db
  } catch (e) {
    db?.close()
    throw e
  }
}

/** The problem a background check marked, or null. */
function readMarker(file: string): string | null {
  try {
    return readFileSync(damageMarker(file), 'utf8').trim() || 'damage found by the background check'
  } catch {
    return null
  }
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
