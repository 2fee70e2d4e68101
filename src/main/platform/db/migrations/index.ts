import type { Migration } from './types'
import { migration001 } from './001-initial'
import { migration002 } from './002-print-jobs'
import { migration003 } from './003-poller-reserved'
import { migration004 } from './004-outbox'
import { migration005 } from './005-points'
import { migration006 } from './006-aggregators'
import { migration007 } from './007-counter'
import { migration008 } from './008-hub-sync'
import { migration009 } from './009-startup-index'

/** Every schema version, in order. One file per version; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009
]

export const LATEST_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0)

// Versions must rise one by one, or a database could skip a step.
MIGRATIONS.forEach((m, i) => {
  if (m.version !== i + 1) throw new Error(`Migration ${m.name} has version ${m.version}, expected ${i + 1}`)
})
