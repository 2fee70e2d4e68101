import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { damageMarker, markDamaged, openDatabase } from './database'
import { checkIntegrityInBackground } from './integrity-check'
import { leaveAsAfterPowerCut } from './power-cut.testkit'

const store = (): string => join(mkdtempSync(join(tmpdir(), 'guichet-integrity-')), 'g.sqlite')

/** A store closed cleanly, then left as after a power cut (`where`: see leaveAsAfterPowerCut). */
function damagedAfterPowerCut(where: 'rows' | 'schema' = 'rows'): string {
  const file = store()
  openDatabase(file).db.close()
  leaveAsAfterPowerCut(file, where)
  return file
}

describe('the integrity check after an unclean shutdown, deferred', () => {
  it('opens at once and leaves the check to the caller', () => {
    const file = damagedAfterPowerCut()
    const { db, warning, integrityCheckDue } = openDatabase(file, { deferIntegrityCheck: true })
    expect(warning).toBeNull()
    expect(integrityCheckDue).toBe(true)
    db.close()
  })

  it('finds the damage in a worker thread while the store stays open, and the next open sets it aside', async () => {
    const file = damagedAfterPowerCut()
    const { db } = openDatabase(file, { deferIntegrityCheck: true })
    const r = await checkIntegrityInBackground(file).result
    expect(r.outcome).toBe('damaged')
    markDamaged(file, r.outcome === 'damaged' ? r.problem : '')
    db.close()

    const next = openDatabase(file, { deferIntegrityCheck: true, now: () => Date.UTC(2026, 11, 4) })
    expect(next.warning).toEqual({ code: 'store_set_aside', reason: 'integrity', kept: `${file}.damaged-2026-12-04T00-00-00-000Z` })
    expect(next.integrityCheckDue).toBe(false)
    expect(existsSync(damageMarker(file))).toBe(false)
    expect(existsSync(`${file}.damaged-2026-12-04T00-00-00-000Z`)).toBe(true)
    expect(next.db.prepare('SELECT count(*) AS n FROM shipments').get()).toEqual({ n: 0 })
    next.db.close()
  })

  it('calls a sound store sound, and a clean start owes no check', async () => {
    const file = store()
    const { db } = openDatabase(file)
    db.close()
    writeFileSync(`${file}-wal`, '')
    const opened = openDatabase(file, { deferIntegrityCheck: true })
    expect(opened.integrityCheckDue).toBe(true)
    expect(await checkIntegrityInBackground(file).result).toEqual({ outcome: 'sound' })
    opened.db.close()
    const clean = openDatabase(file, { deferIntegrityCheck: true })
    expect(clean.integrityCheckDue).toBe(false)
    clean.db.close()
  })

  it('sets aside at once damage the open itself reads (the schema), with no check to wait for', () => {
    const file = damagedAfterPowerCut('schema')
    const { db, warning, integrityCheckDue } = openDatabase(file, { deferIntegrityCheck: true })
    expect(warning).toMatchObject({ code: 'store_set_aside', reason: 'integrity' })
    expect(integrityCheckDue).toBe(false)
    expect(db.prepare('SELECT count(*) AS n FROM shipments').get()).toEqual({ n: 0 })
    db.close()
  })

  it('a store it could not open is neither sound nor damaged: the check did not run, and says why', async () => {
    const r = await checkIntegrityInBackground(join(tmpdir(), 'no-such-dir-guichet', 'g.sqlite')).result
    expect(r.outcome).toBe('not_run')
    if (r.outcome === 'not_run') expect(r.reason).toMatch(/directory does not exist|unable to open/i)
  })

  it('a cancelled check says so', async () => {
    const file = damagedAfterPowerCut()
    const check = checkIntegrityInBackground(file)
    check.cancel()
    expect(await check.result).toEqual({ outcome: 'not_run', reason: 'cancelled' })
  })
})
