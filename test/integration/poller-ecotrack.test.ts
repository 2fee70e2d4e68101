// The poller and the status pipeline against the real ECOTRACK adapter and its loopback simulator
// (50/min, 1500/h, 15000/day, 100 trackings per status call): batching, mapping with the
// carrier's table, and the update button waiting for the budget instead of drawing a 429.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEcotrackAdapter, type EcotrackAdapter } from '../../src/main/carriers/ecotrack/client'
import { ecotrackMapping } from '../../src/main/carriers/ecotrack/mapping'
import { startEcotrackSimulator } from '../../src/main/carriers/ecotrack/sim/simulator'
import { ECO_FORWARD, type EcoFixture } from '../../src/main/carriers/ecotrack/sim/fixtures'
import type { EcotrackSim } from '../../src/main/carriers/ecotrack/sim/simulator'
import { simulatedSleep } from '../../src/main/carriers/testing/capture.testkit'
import type { Database } from '../../src/main/platform/db/database'
import type { ShipmentRepository } from '../../src/main/core/shipments/shipments.repo'
import { StatusPipeline } from '../../src/main/core/pipeline/pipeline'
import { memoryStore } from '../../src/main/core/pipeline/pipeline.testkit'
import { Poller } from '../../src/main/core/poller/poller'
import { HOUR, ManualClock } from '../../src/main/platform/clock'
import { EventBus } from '../../src/main/platform/events'
import { silentLogger } from '../../src/main/platform/logger'

const TOKEN = 'eco-poller-token-5b1e9d0c7a'
const N = 350
const T0 = Date.UTC(2026, 10, 28, 9)

describe('poller with the ECOTRACK adapter and simulator', () => {
  const clock = new ManualClock(T0)
  let sim: EcotrackSim
  let eco: EcotrackAdapter
  let db: Database
  let repo: ShipmentRepository
  let poller: Poller
  const ids: number[] = []
  const changed: number[][] = []

  beforeAll(async () => {
    const parcels: EcoFixture[] = Array.from({ length: N }, (_, i) => ({
      tracking: `ECPOLL${String(i).padStart(10, '0')}`,
      reference: `P-${i}`,
      client: `Client ${i}`,
      phone: '0551234567',
      adresse: 'Cité 5 Juillet',
      commune: 'Bab Ezzouar',
      wilaya_id: 16,
      montant: 1000 + i,
      stop_desk: 0,
      ageHours: 30,
      done: 1 + (i % 4),
      path: ECO_FORWARD
    }))
    sim = await startEcotrackSimulator({ clock, tokens: [TOKEN], parcels })
    eco = createEcotrackAdapter(
      { carrier: 'ecotrack', alias: 'default', baseUrl: sim.url, credentials: { token: TOKEN } },
      { now: () => clock.now(), logger: silentLogger, sleep: simulatedSleep(clock), timeoutMs: 2000, maxQueueWaitMs: 0 }
    )
    ;({ db, repo } = memoryStore())
    db.transaction(() => {
      for (const p of parcels)
        ids.push(
          repo.insert({
            carrier: 'ecotrack',
            trackingNumber: p.tracking,
            recipientName: p.client,
            createdAt: T0 - 30 * HOUR,
            nextCheckAt: T0
          })
        )
    })()
    const events = new EventBus()
    events.on('shipment.changed', (p) => changed.push(p.ids))
    const pipeline = new StatusPipeline({ db, clock, events, logger: silentLogger, mappingFor: () => ecotrackMapping })
    poller = new Poller({ db, pipeline, clock, events, logger: silentLogger, accounts: () => [{ adapter: eco }] })
  })
  afterAll(async () => {
    await sim.close()
    db.close()
  })

  it('checks 350 due parcels in 4 status calls and maps each to its unified status', async () => {
    const report = await poller.runCycle()
    expect(report.accounts['ecotrack/default']).toEqual({ calls: 4, checked: N, rateLimited: 0 })
    expect(sim.stats.calls).toBe(4)
    expect(sim.stats.tooMany).toBe(0)
    // One shipment.changed per batch call, not one per parcel.
    expect(changed).toHaveLength(4)
    for (const id of ids) {
      const s = repo.get(id)!
      expect(s.nativeStatus).toBe(sim.statusOf(s.trackingNumber))
      expect(s.lastGoodCheckAt).not.toBeNull()
      expect(s.nextCheckAt).not.toBeNull()
    }
    expect(new Set(ids.map((id) => repo.get(id)!.unifiedStatus)).size).toBeGreaterThan(1)
    const state = poller.state()
    expect(state.accounts[0]).toMatchObject({ carrier: 'ecotrack', account: 'default', callsMade: 4, lastError: null })
    expect(state.accounts[0]!.budgetLeft).toBeLessThanOrEqual(46)
  })

  it('the update button spends the minute budget, then says how long to wait instead of drawing a 429', async () => {
    const waited: number[] = []
    let refreshed = 0
    for (const id of ids.slice(0, 60)) {
      const r = await poller.refresh([id])
      refreshed += r.refreshed.length
      for (const w of r.waiting) {
        expect(w.reason).toBe('rate_limit')
        waited.push(w.retryAfterMs!)
      }
    }
    expect(refreshed).toBeGreaterThan(40)
    expect(waited.length).toBeGreaterThan(0)
    expect(Math.min(...waited)).toBeGreaterThan(0)
    expect(Math.max(...waited)).toBeLessThanOrEqual(60_000)
    expect(sim.stats.tooMany).toBe(0)
    // What waited goes out first once the minute has passed.
    clock.advance(61_000)
    const before = sim.stats.calls
    await poller.runCycle()
    expect(sim.stats.calls).toBeGreaterThan(before)
    expect(sim.stats.tooMany).toBe(0)
  })
})
