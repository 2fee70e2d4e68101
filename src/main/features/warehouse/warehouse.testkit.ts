// Test helpers for the aggregator suites: a store with the outbox (v4) and aggregator (v6)
// tables applied by hand while the migration list is being assembled.
import { openDatabase, type Database } from '../../platform/db/database'
import { migration004 } from '../../platform/db/migrations/004-outbox'
import { migration006 } from '../../platform/db/migrations/006-aggregators'

export function openAggregatorDatabase(file = ':memory:'): Database {
  const { db } = openDatabase(file, { skipIntegrityCheck: true })
  const has = (t: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t)
  if (!has('outbox')) migration004.up(db)
  if (!has('aggregator_orders')) migration006.up(db)
  return db
}
