// The outbox's test helpers: a store with the outbox table, and an outbox with its worker driven by
// the test. The fake carrier is the shared one (carriers/testing/fake-carrier.testkit.ts).
import { openDatabase, type Database } from '../../platform/db/database'
import { migration004 } from '../../platform/db/migrations/004-outbox'
import type { Clock } from '../../platform/clock'
import { silentLogger } from '../../platform/logger'
import { Outbox } from './outbox'
import { OutboxStore } from './store'
import type { AnyOutboxKind } from './types'
import { OutboxKinds, OutboxWorker, type AdapterFor } from './worker'

/** Opens a store with the outbox table (applied by hand while the migration list is being assembled). */
export function openOutboxDatabase(file: string): Database {
  const { db } = openDatabase(file, { skipIntegrityCheck: true })
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox'").get()
  if (!has) migration004.up(db)
  return db
}

/** An outbox with its worker over `db`, for tests of features that queue writes (not started: tests drive it). */
export function outboxForTests(
  db: Database,
  clock: Clock,
  adapterFor: AdapterFor,
  kinds: readonly AnyOutboxKind[] = []
): { outbox: Outbox; worker: OutboxWorker; store: OutboxStore } {
  const store = new OutboxStore(db)
  const k = new OutboxKinds(kinds)
  const worker = new OutboxWorker({ store, kinds: k, clock, logger: silentLogger, adapterFor, random: () => 0 })
  return { outbox: new Outbox(db, store, k, () => {}, worker), worker, store }
}
