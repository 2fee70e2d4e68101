import BetterSqlite3, { type Database } from 'better-sqlite3'
import { copyFileSync, existsSync, renameSync } from 'node:fs'
import { LATEST_VERSION, MIGRATIONS } from './migrations'
import type { Logger } from '../logger'

export type { Database }

/** The file was written by a newer Guichet: opening it could destroy what that version stored. */
export class DatabaseTooNewError extends Error {
  constructor(
    readonly file: string,
    readonly found: number,
    readonly supported: number
  ) {
    super(
      `The local database ${file} was created by a newer version of Guichet (schema ${found}; this version knows up to ${supported}). ` +
        'It was left untouched. Install the newer Guichet again, or start with another data folder.'
    )
    this.name = 'DatabaseTooNewError'
  }
}

export interface OpenedStore {
  db: Database
  /** Set when the file failed its integrity check and was set aside; said to the user as is. */
  warning: string | null
}

export interface OpenOptions {
  logger?: Logger
  now?: () => number
  /** Skip the start-up integrity check (benchmarks that open a huge file many times). */
  skipIntegrityCheck?: boolean
}

/** Reads the schema version without writing anything (no WAL switch, no journal). */
function peekVersion(file: string): number {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true })
  try {
    return db.pragma('user_version', { simple: true }) as number
  } finally {
    db.close()
  }
}

function checkIntegrity(file: string): string | null {
  let db: Database | undefined
  try {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true })
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

/**
 * Opens (or creates) the store: refuses a newer schema, checks integrity, applies pending
 * migrations in one transaction, then sets WAL, foreign keys and a busy timeout.
 */
export function openDatabase(file: string, opts: OpenOptions = {}): OpenedStore {
  const now = opts.now ?? Date.now
  let warning: string | null = null
  if (file !== ':memory:' && existsSync(file)) {
    const found = peekVersion(file)
    if (found > LATEST_VERSION) throw new DatabaseTooNewError(file, found, LATEST_VERSION)
    const problem = opts.skipIntegrityCheck ? null : checkIntegrity(file)
    if (problem) {
      // Keep the damaged file for a specialist, start from an empty store: shipments come back
      // from the carriers on the next checks.
      const stamp = new Date(now()).toISOString().replace(/[:.]/g, '-')
      const kept = `${file}.damaged-${stamp}`
      copyFileSync(file, kept)
      for (const suffix of ['', '-wal', '-shm']) {
        if (existsSync(file + suffix)) renameSync(file + suffix, `${kept}${suffix}.orig`)
      }
      warning = `The local database failed its integrity check (${problem}). A copy was kept at ${kept}; Guichet started with an empty store and will fetch shipments again.`
      opts.logger?.error('store.integrity_failed', { file, kept, problem })
    }
  }
  const db = new BetterSqlite3(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL') // the cache can be fetched again; the outbox raises this per write
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  // A desk keeps a year of parcels: a 64 MiB page cache and memory-mapped reads keep lookups
  // off the disk (SQLite's default cache is 2 MiB).
  db.pragma('cache_size = -65536')
  db.pragma('mmap_size = 268435456')
  db.pragma('temp_store = MEMORY')
  migrate(db)
  return { db, warning }
}

/** Applies every migration above the file's user_version, all or nothing. */
export function migrate(db: Database): void {
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
  db.pragma('optimize')
}
