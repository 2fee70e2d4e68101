// A scripted counter day: the clerk adds remarks and asks for returns while the network to the
// carrier is cut half of the time and the PC is killed at random moments (between the carrier
// accepting and Guichet recording it, too). Every write must reach the carrier exactly once,
// with the clerk's original time.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ConnectivityMonitor } from '../connectivity/monitor'
import type { Database } from '../../platform/db/database'
import { ManualClock } from '../../platform/clock'
import { silentLogger } from '../../platform/logger'
import { ActionService } from './actions'
import { Outbox } from './outbox'
import { BUILTIN_KINDS } from './kinds'
import { OutboxStore } from './store'
import { FakeCarrier } from '../../carriers/testing/fake-carrier.testkit'
import { openOutboxDatabase } from './outbox.testkit'
import { OutboxKinds, OutboxWorker } from './worker'

function rng(seed: number) {
  return () => (seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0) / 2 ** 32
}

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

async function counterDay(seed: number) {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-day-'))
  dirs.push(dir)
  const file = join(dir, 'guichet.sqlite')
  const rand = rng(seed)
  const clock = new ManualClock(Date.UTC(2026, 10, 28, 8, 0))
  const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
  carrier.honoursKeys = true // ECOTRACK ignores keys for remarks, which the reconcile covers; returns are repeat-safe
  const kinds = new OutboxKinds(BUILTIN_KINDS)
  let db: Database = openOutboxDatabase(file)
  const ids: number[] = []
  for (let i = 0; i < 40; i++) {
    const t = `ECQFLD${String(2103047000 + i)}`
    ids.push(
      Number(
        db
          .prepare(
            `INSERT INTO shipments (carrier, account, tracking_number, tracking_key, recipient_name, created_at, updated_at)
            VALUES ('ecotrack', 'default', ?, ?, 'Client', ?, ?)`
          )
          .run(t, t, clock.now(), clock.now()).lastInsertRowid
      )
    )
  }
  const boot = () => {
    const store = new OutboxStore(db)
    const connectivity = new ConnectivityMonitor({ clock })
    const worker = new OutboxWorker({ store, kinds, clock, logger: silentLogger, adapterFor: () => carrier, connectivity, random: rand })
    return { store, worker, actions: new ActionService(db, new Outbox(db, store, kinds), store, clock) }
  }
  let app = boot()
  const expectedRemarks: Array<{ text: string; actedAt: number }> = []
  const returnRows = new Set<number>()
  let crashes = 0

  for (let minute = 0; minute < 5 * 60; minute++) {
    // Half-hour windows, cut one in two.
    carrier.unreachable = Math.floor(minute / 30) % 2 === 1
    if (rand() < 0.25) {
      const id = ids[Math.floor(rand() * ids.length)]!
      if (rand() < 0.8) {
        const text = `Remarque ${minute}-${Math.floor(rand() * 1000)}`
        app.actions.addRemark(id, text)
        expectedRemarks.push({ text, actedAt: clock.now() })
      } else {
        // A second request while one is open is the same request (same row).
        returnRows.add(app.actions.requestReturn(id).id)
      }
    }
    if (rand() < 0.06) {
      // The PC dies just after the carrier accepts the next write.
      crashes++
      const dying = db
      carrier.afterAccept = () => {
        dying.close()
        return new Promise<void>(() => {})
      }
      void app.worker.runOnce()
      await new Promise((r) => setImmediate(r))
      carrier.afterAccept = null
      if (dying.open) dying.close() // nothing was due: killed anyway
      db = openOutboxDatabase(file)
      app = boot()
    } else {
      await app.worker.runOnce()
    }
    clock.advance(60_000)
  }
  // Closing time: the network is back; everything drains without anyone touching it.
  carrier.unreachable = false
  for (let i = 0; i < 200 && app.store.counts().pending > 0; i++) {
    await app.worker.runOnce()
    clock.advance(60_000)
  }
  const integrity = db.pragma('integrity_check', { simple: true })
  const counts = app.store.counts()
  const returnKeys = [...returnRows].map((id) => app.store.get(id)!.idempotencyKey)
  db.close()
  return { carrier, expectedRemarks, returnKeys, crashes, counts, integrity }
}

describe('a counter day with the network cut half of the time and random kills', () => {
  for (const seed of [1, 42]) {
    it(`seed ${seed}: every remark and return reaches the carrier exactly once, with the clerk's time`, async () => {
      const day = await counterDay(seed)
      expect(day.crashes).toBeGreaterThan(5)
      expect(day.expectedRemarks.length).toBeGreaterThan(30)
      expect(day.counts).toEqual({ pending: 0, failed: 0, byShipment: [] })
      expect(day.integrity).toBe('ok')
      const got = day.carrier.remarks.map((r) => ({ text: r.text, actedAt: r.actedAt ?? -1 }))
      expect(got.sort((a, b) => a.actedAt - b.actedAt || a.text.localeCompare(b.text))).toEqual(
        [...day.expectedRemarks].sort((a, b) => a.actedAt - b.actedAt || a.text.localeCompare(b.text))
      )
      expect(new Set(day.carrier.remarks.map((r) => r.text)).size).toBe(day.carrier.remarks.length)
      expect(day.returnKeys.length).toBeGreaterThan(3)
      expect(day.carrier.returns.map((r) => r.key).sort()).toEqual([...day.returnKeys].sort())
    })
  }
})
