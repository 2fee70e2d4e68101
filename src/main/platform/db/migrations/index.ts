import type { Migration } from './types'
import { migration001 } from './001-initial'
import { migration002 } from './002-print-jobs'
import { migration003 } from './003-poller-reserved'
import { migration004 } from './004-outbox'
import { migration005 } from './005-points'
import { migration006 } from './006-aggregators'
import { migration007 } from './007-counter'
import { migration013 } from './013-startup-index'

/** Every schema version, in order. One file per version; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  // 8 to 12 are taken by work merged separately; 13 goes after them.
  migration013
]

export const LATEST_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0)

// Versions must rise one by one, or a database could skip a step. While versions 8 to 12 are
// merged from parallel work, 13 may follow 7; once they are in, this is one by one again.
const RESERVED = new Set([8, 9, 10, 11, 12])
let expected = 1
for (const m of MIGRATIONS) {
  while (m.version !== expected && RESERVED.has(expected)) expected++
  if (m.version !== expected) throw new Error(`Migration ${m.name} has version ${m.version}, expected ${expected}`)
  expected++
}
