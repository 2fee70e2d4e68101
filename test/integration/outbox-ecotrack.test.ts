// The outbox against the real ECOTRACK adapter and its simulator on 127.0.0.1: a remark reaches
// add/maj once, a crash after ECOTRACK accepted it is reconciled from get/maj (no second remark),
// and a refused return request says why in words.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEcotrackAdapter, type EcotrackAdapter } from '../../src/main/carriers/ecotrack/client'
import { startEcotrackSimulator, type EcotrackSim } from '../../src/main/carriers/ecotrack/sim/simulator'
import { ECOTRACK_FIXTURES } from '../../src/main/carriers/ecotrack/sim/fixtures'
import type { Database } from '../../src/main/platform/db/database'
import { ActionService } from '../../src/main/core/outbox/actions'
import { Outbox } from '../../src/main/core/outbox/outbox'
import { BUILTIN_KINDS } from '../../src/main/core/outbox/kinds'
import { OutboxStore } from '../../src/main/core/outbox/store'
import { openOutboxDatabase } from '../../src/main/core/outbox/outbox.testkit'
import { OutboxKinds, OutboxWorker } from '../../src/main/core/outbox/worker'
import { ManualClock } from '../../src/main/platform/clock'
import { silentLogger } from '../../src/main/platform/logger'

const TOKEN = 'eco-outbox-token-5d1e0a99c3'
const clock = new ManualClock()
let sim: EcotrackSim
let dir: string

beforeAll(async () => {
  sim = await startEcotrackSimulator({ clock, tokens: [TOKEN] })
  dir = mkdtempSync(join(tmpdir(), 'guichet-outbox-eco-'))
})
afterAll(async () => {
  await sim.close()
  rmSync(dir, { recursive: true, force: true })
})

function adapter(): EcotrackAdapter {
  return createEcotrackAdapter(
    { carrier: 'ecotrack', alias: 'default', baseUrl: sim.url, credentials: { token: TOKEN } },
    { now: () => clock.now(), logger: silentLogger, sleep: async (ms: number) => clock.advance(ms), timeoutMs: 2000, maxRetries: 0 }
  )
}

function boot(file: string, eco: EcotrackAdapter) {
  const db = openOutboxDatabase(file)
  const store = new OutboxStore(db)
  const kinds = new OutboxKinds(BUILTIN_KINDS)
  const worker = new OutboxWorker({ store, kinds, clock, logger: silentLogger, adapterFor: () => eco, random: () => 0 })
  return { db, store, worker, actions: new ActionService(db, new Outbox(db, store, kinds), store, clock) }
}

function shipment(db: Database, tracking: string): number {
  return Number(
    db
      .prepare(
        `INSERT INTO shipments (carrier, account, tracking_number, tracking_key, recipient_name, created_at, updated_at)
        VALUES ('ecotrack', 'default', ?, ?, 'Client', ?, ?)`
      )
      .run(tracking, tracking, clock.now(), clock.now()).lastInsertRowid
  )
}

describe('outbox x ECOTRACK simulator', () => {
  it('sends a remark once; after a kill between accept and record, get/maj settles it without a second add/maj', async () => {
    const file = join(dir, 'remarks.sqlite')
    const eco = adapter()
    const a = boot(file, eco)
    const id = shipment(a.db, 'ECQFLD2611240017')
    a.actions.addRemark(id, 'Appeler le client avant 10h')
    expect(await a.worker.runOnce()).toMatchObject({ sent: 1 })

    // The second remark: ECOTRACK accepts it, then the PC dies before Guichet records the answer.
    const second = a.actions.addRemark(id, 'Colis fragile').outbox
    const dying = a.db
    const killing: EcotrackAdapter = {
      ...eco,
      addRemark: async (t, text, opts) => {
        await eco.addRemark!(t, text, opts)
        dying.close()
        return new Promise<void>(() => {})
      }
    }
    const crashed = new OutboxWorker({
      store: a.store,
      kinds: new OutboxKinds(BUILTIN_KINDS),
      clock,
      logger: silentLogger,
      adapterFor: () => killing,
      random: () => 0
    })
    void crashed.runOnce()
    await new Promise((r) => setTimeout(r, 300))
    expect(dying.open).toBe(false)

    clock.advance(60_000)
    const c = boot(file, eco)
    expect(c.store.get(second.id)!.state).toBe('inflight')
    expect(await c.worker.runOnce()).toMatchObject({ reconciled: 1, sent: 0 })
    expect(c.store.get(second.id)).toMatchObject({ state: 'sent' })
    const remarks = await eco.listRemarks!('ECQFLD2611240017')
    expect(remarks.map((r) => r.text.replace(/^.* : /, ''))).toEqual(['Appeler le client avant 10h', 'Colis fragile'])
    c.db.close()
  })

  it('stops a return request ECOTRACK refuses (10003) with the reason in words, and sends an accepted one once', async () => {
    const eco = adapter()
    const a = boot(join(dir, 'returns.sqlite'), eco)
    const refused = a.actions.requestReturn(shipment(a.db, 'ECQFLD2611220009')) // already delivered
    const accepted = a.actions.requestReturn(shipment(a.db, 'ECQFLD2611240017')) // out for delivery
    await a.worker.runOnce()
    const r = a.store.get(refused.id)!
    expect(r).toMatchObject({ state: 'failed', lastErrorCode: 'carrier_refused' })
    expect(r.lastError).toContain('ECOTRACK error 10003: a return can only be requested while the parcel is out for delivery.')
    expect(a.store.get(accepted.id)).toMatchObject({ state: 'sent' })
    expect(a.actions.list({ shipmentId: refused.shipmentId!, limit: 5 })[0]).toMatchObject({ state: 'failed', summary: 'Return request' })
    a.db.close()
  })

  it('a return request resent after a kill, refused as already asked, says the first try may have been accepted', async () => {
    const tracking = sim.addParcel({ ...ECOTRACK_FIXTURES[0]!, tracking: 'ECQFLD2611249999', reference: 'DZ-9999' })
    const file = join(dir, 'return-crash.sqlite')
    const eco = adapter()
    const a = boot(file, eco)
    const row = a.actions.requestReturn(shipment(a.db, tracking))
    const dying = a.db
    const killing: EcotrackAdapter = {
      ...eco,
      requestReturn: async (t, opts) => {
        await eco.requestReturn!(t, opts)
        dying.close()
        return new Promise<never>(() => {})
      }
    }
    const crashed = new OutboxWorker({
      store: a.store,
      kinds: new OutboxKinds(BUILTIN_KINDS),
      clock,
      logger: silentLogger,
      adapterFor: () => killing,
      random: () => 0
    })
    void crashed.runOnce()
    await new Promise((r) => setTimeout(r, 300))
    expect(dying.open).toBe(false)

    const b = boot(file, eco)
    expect(await b.worker.runOnce()).toMatchObject({ reconciled: 1, failed: 1 })
    const after = b.store.get(row.id)!
    expect(after).toMatchObject({ state: 'failed', lastErrorCode: 'carrier_refused' })
    expect(after.lastError).toContain('ECOTRACK error 10003')
    expect(after.lastError).toContain('ECOTRACK may have accepted it then')
    b.db.close()
  })
})
