import { afterEach, describe, expect, it } from 'vitest'
import type { PollerState } from '../../../shared/contract/events'
import { CarrierError } from '../../carriers/types'
import type { Database } from '../../platform/db/database'
import type { ShipmentRepository } from '../shipments/shipments.repo'
import { StatusPipeline } from '../pipeline/pipeline'
import { memoryStore, mappingForAll } from '../pipeline/pipeline.testkit'
import { DAY, HOUR, ManualClock } from '../../platform/clock'
import { EventBus } from '../../platform/events'
import { silentLogger } from '../../platform/logger'
import { ECOTRACK_LIKE, FakeCarrier } from '../../carriers/testing/fake-carrier.testkit'
import { interpretAnswers } from './answers'
import { Poller, type PollerOptions, type Timers } from './poller'
import { firstCheckAt } from '../schedule/schedule'

let db: Database | undefined
afterEach(() => db?.close())

/** Timers driven by hand: the test decides when the loop ticks. */
class ManualTimers implements Timers {
  pending = new Map<number, { fn: () => void; ms: number }>()
  private n = 0
  setTimeout(fn: () => void, ms: number): unknown {
    this.pending.set(++this.n, { fn, ms })
    return this.n
  }
  clearTimeout(h: unknown): void {
    this.pending.delete(h as number)
  }
  fire(): void {
    const all = [...this.pending.entries()]
    this.pending.clear()
    for (const [, t] of all) t.fn()
  }
}

function setup(carriers: FakeCarrier[] = [], opts: Partial<PollerOptions> = {}) {
  const store = memoryStore()
  db = store.db
  const bus = new EventBus()
  const states: PollerState[] = []
  bus.on('poller.state', (s) => states.push(s))
  const pipeline = new StatusPipeline({ db: store.db, clock, events: bus, logger: silentLogger, mappingFor: mappingForAll() })
  const timers = new ManualTimers()
  const accounts = carriers.map((adapter) => ({ adapter }))
  const poller = new Poller({
    db: store.db,
    pipeline,
    clock,
    events: bus,
    logger: silentLogger,
    accounts: () => accounts,
    timers,
    options: opts
  })
  return { ...store, bus, states, pipeline, poller, timers }
}

let clock = new ManualClock()
const T0 = Date.UTC(2026, 10, 1, 8)

function addShipments(repo: ShipmentRepository, carrier: FakeCarrier, n: number, createdAt: number, prefix = carrier.carrier): number[] {
  const ids: number[] = []
  for (let i = 0; i < n; i++) {
    const tn = `${prefix.toUpperCase().replace(/-/g, '')}${String(i).padStart(6, '0')}`
    carrier.addParcel(tn, createdAt)
    ids.push(
      repo.insert({
        carrier: carrier.carrier,
        account: carrier.account,
        trackingNumber: tn,
        recipientName: `R${i}`,
        createdAt,
        nextCheckAt: firstCheckAt(tn, createdAt)
      })
    )
  }
  return ids
}

const row = (id: number) =>
  db!
    .prepare('SELECT next_check_at, last_checked_at, last_good_check_at, check_failures, last_error FROM shipments WHERE id = ?')
    .get(id) as {
    next_check_at: number | null
    last_checked_at: number | null
    last_good_check_at: number | null
    check_failures: number
    last_error: string | null
  }

describe('poller: batching and budget', () => {
  it('batches due shipments by account: ceil(due / batch) calls; one call per shipment without a batch call', async () => {
    clock = new ManualClock(T0)
    const eco = new FakeCarrier({ carrier: 'ecotrack', batchSize: 100, now: () => clock.now() })
    const sc = new FakeCarrier({ carrier: 'sendcloud', batchSize: 1, now: () => clock.now() })
    const { repo, poller } = setup([eco, sc])
    addShipments(repo, eco, 250, T0)
    addShipments(repo, sc, 7, T0)
    clock.advance(10 * 60_000)
    const r = await poller.runCycle()
    expect(r.accounts['ecotrack/default']).toEqual({ calls: 3, checked: 250, rateLimited: 0 })
    expect(r.accounts['sendcloud/default']).toEqual({ calls: 7, checked: 7, rateLimited: 0 })
    expect(eco.trackCalls.map((c) => c.numbers.length)).toEqual([100, 100, 50])
    // Nothing is due again until the hourly tier (minus jitter) comes round.
    const again = await poller.runCycle()
    expect(again.accounts['ecotrack/default']!.calls).toBe(0)
  })

  it('tops a partial batch up with shipments due within minutes instead of spending a call on them later', async () => {
    clock = new ManualClock(T0)
    const eco = new FakeCarrier({ carrier: 'ecotrack', batchSize: 100, now: () => clock.now() })
    const { repo, poller } = setup([eco])
    const ids = addShipments(repo, eco, 60, T0)
    db!.prepare('UPDATE shipments SET next_check_at = ? WHERE id <= ?').run(T0, ids[29]!)
    db!.prepare('UPDATE shipments SET next_check_at = ? WHERE id > ?').run(T0 + 4 * 60_000, ids[29]!)
    await poller.runCycle()
    expect(eco.trackCalls).toHaveLength(1)
    expect(eco.trackCalls[0]!.numbers).toHaveLength(60)
  })

  it('catches up a backlog oldest first, a capped number of calls per cycle, within the rate budget, with no 429', async () => {
    clock = new ManualClock(T0)
    const eco = new FakeCarrier({ carrier: 'ecotrack', ...ECOTRACK_LIKE, now: () => clock.now() })
    const { repo, poller } = setup([eco], { maxCallsPerCycle: 40 })
    const ids = addShipments(repo, eco, 10_000, T0 - 3 * DAY)
    // The app was closed for a day: everything is due, the oldest due first.
    db!.prepare('UPDATE shipments SET next_check_at = ? - id * 1000').run(T0)
    const first = await poller.runCycle()
    expect(first.accounts['ecotrack/default']!.calls).toBe(40)
    expect(eco.trackCalls[0]!.numbers[0]).toBe(repo.get(ids[ids.length - 1]!)!.trackingNumber)
    let cycles = 1
    while (
      (db!.prepare('SELECT count(*) AS n FROM shipments WHERE next_check_at <= ?').get(clock.now()) as { n: number }).n > 0 &&
      cycles < 20
    ) {
      clock.advance(60_000)
      await poller.runCycle()
      cycles++
    }
    expect(cycles).toBeGreaterThan(2)
    expect(eco.tooMany).toBe(0)
    expect(eco.trackCalls.length).toBe(100)
    // Never more than the minute budget (minus the update button's reserve) in any minute.
    const perMinute = new Map<number, number>()
    for (const c of eco.trackCalls) perMinute.set(Math.floor(c.at / 60_000), (perMinute.get(Math.floor(c.at / 60_000)) ?? 0) + 1)
    expect(Math.max(...perMinute.values())).toBeLessThanOrEqual(48)
  })

  it('keeps a reserve of calls for the update button and stops when the budget is spent', async () => {
    clock = new ManualClock(T0)
    const eco = new FakeCarrier({ carrier: 'ecotrack', batchSize: 1, windows: [{ limit: 10, windowMs: 60_000 }], now: () => clock.now() })
    const { repo, poller } = setup([eco], { maxCallsPerCycle: 100, reserveCalls: 2 })
    const ids = addShipments(repo, eco, 30, T0 - HOUR)
    db!.prepare('UPDATE shipments SET next_check_at = ?').run(T0)
    await poller.runCycle()
    expect(eco.trackCalls).toHaveLength(8)
    const r = await poller.refresh([ids[29]!])
    expect(r.refreshed).toEqual([ids[29]])
    expect(eco.tooMany).toBe(0)
  })
})

describe('poller: the schedule', () => {
  it('stops polling final shipments and resumes hourly for fresh ones', async () => {
    clock = new ManualClock(T0)
    const eco = new FakeCarrier({
      carrier: 'ecotrack',
      batchSize: 100,
      now: () => clock.now(),
      plan: [{ native: 'PARCEL_RETRIEVED', afterMs: 0 }]
    })
    const er = new FakeCarrier({ carrier: 'express-relais', batchSize: 50, now: () => clock.now() })
    const { repo, poller } = setup([eco, er])
    const [done] = addShipments(repo, eco, 1, T0)
    const [live] = addShipments(repo, er, 1, T0)
    clock.advance(10 * 60_000)
    await poller.runCycle()
    expect(row(done!).next_check_at).toBeNull()
    expect(repo.get(done!)!.unifiedStatus).toBe('delivered')
    const next = row(live!).next_check_at!
    expect(next - clock.now()).toBeLessThanOrEqual(HOUR)
    expect(next - clock.now()).toBeGreaterThan(0.9 * HOUR - 1)
  })

  it('a restart resumes from next_check_at in the store (a new poller on the same file)', async () => {
    clock = new ManualClock(T0)
    const eco = new FakeCarrier({ carrier: 'ecotrack', batchSize: 100, now: () => clock.now() })
    const a = setup([eco])
    const ids = addShipments(a.repo, eco, 5, T0)
    clock.advance(10 * 60_000)
    await a.poller.runCycle()
    const next = ids.map((id) => row(id).next_check_at!)
    // "Restart": a fresh poller and pipeline over the same database, 5 hours later.
    const bus = new EventBus()
    const pipeline = new StatusPipeline({ db: a.db, clock, events: bus, logger: silentLogger, mappingFor: mappingForAll() })
    const b = new Poller({ db: a.db, pipeline, clock, events: bus, logger: silentLogger, accounts: () => [{ adapter: eco }] })
    clock.advance(30 * 60_000)
    expect((await b.runCycle()).accounts['ecotrack/default']!.calls).toBe(0)
    clock.set(Math.max(...next))
    expect((await b.runCycle()).accounts['ecotrack/default']!.checked).toBe(5)
  })
})

describe('poller: errors', () => {
  it('backs a failing account off without stalling the others; shipments keep the error and their last good check', async () => {
    clock = new ManualClock(T0)
    const eco = new FakeCarrier({ carrier: 'ecotrack', batchSize: 100, now: () => clock.now() })
    const er = new FakeCarrier({ carrier: 'express-relais', batchSize: 50, now: () => clock.now() })
    const { repo, poller, states } = setup([eco, er])
    const [e1] = addShipments(repo, eco, 3, T0)
    addShipments(repo, er, 3, T0)
    clock.advance(10 * 60_000)
    await poller.runCycle()
    const good = row(e1!).last_good_check_at
    expect(good).toBe(clock.now())

    eco.failWith = new CarrierError('timeout', 'ECOTRACK did not answer within 15 s', { retryable: true })
    for (let i = 0; i < 6; i++) {
      clock.advance(HOUR)
      await poller.runCycle()
    }
    const r = row(e1!)
    expect(r.last_error).toContain('did not answer')
    expect(r.last_good_check_at).toBe(good)
    expect(r.check_failures).toBeGreaterThan(0)
    expect(repo.get(e1!)!.lastError!.code).toBe('timeout')
    // Express Relais went on being polled every hour.
    expect(er.trackCalls.length).toBe(7)
    const st = states.at(-1)!.accounts.find((a) => a.carrier === 'ecotrack')!
    expect(st.lastError).toContain('did not answer')
    // A failing account is tried less and less often (exponential backoff), not every cycle.
    const before = eco.trackCalls.length
    for (let i = 0; i < 10; i++) {
      clock.advance(60_000)
      await poller.runCycle()
    }
    expect(eco.trackCalls.length - before).toBeLessThan(10)

    eco.failWith = null
    clock.advance(2 * HOUR)
    await poller.runCycle()
    expect(row(e1!).last_error).toBeNull()
    expect(row(e1!).check_failures).toBe(0)
    expect(poller.state().accounts.find((a) => a.carrier === 'ecotrack')!.lastError).toBeNull()
  })

  it('a 429 leaves the refused shipments due and waits for Retry-After', async () => {
    clock = new ManualClock(T0)
    const eco = new FakeCarrier({ carrier: 'ecotrack', batchSize: 1, windows: [{ limit: 3, windowMs: 60_000 }], now: () => clock.now() })
    const { repo, poller } = setup([eco], { reserveCalls: 0 })
    const ids = addShipments(repo, eco, 5, T0)
    db!.prepare('UPDATE shipments SET next_check_at = ?').run(T0)
    // Something else spent the budget behind the poller's back (another desk on the same token).
    await eco.track(['X1'])
    await eco.track(['X2'])
    const budgetSpy = eco.budget.bind(eco)
    eco.budget = () => ({ ...budgetSpy(), remaining: 5 })
    const r = await poller.runCycle()
    expect(r.accounts['ecotrack/default']!.rateLimited).toBe(1)
    expect(ids.filter((id) => row(id).last_checked_at === null).length).toBe(4)
    const st = poller.state().accounts[0]!
    expect(st.backoffUntil).not.toBeNull()
    const refresh = await poller.refresh([ids[4]!])
    expect(refresh.waiting).toEqual([
      { ids: [ids[4]], carrier: 'ecotrack', account: 'default', reason: 'rate_limit', retryAfterMs: expect.any(Number) }
    ])
    expect(refresh.waiting[0]!.retryAfterMs).toBeGreaterThan(0)
  })
})

describe('poller: refresh now', () => {
  it('checks at any age, even past the max check period or delivered, and reports not found / unconfigured', async () => {
    clock = new ManualClock(T0)
    const eco = new FakeCarrier({ carrier: 'ecotrack', batchSize: 100, now: () => clock.now() })
    const { repo, poller } = setup([eco])
    const [old] = addShipments(repo, eco, 1, T0 - 40 * DAY)
    db!.prepare('UPDATE shipments SET next_check_at = NULL').run()
    const orphan = repo.insert({ carrier: 'swisspost', trackingNumber: '99.00.123456.12345678', recipientName: 'X', createdAt: T0 })
    const r = await poller.refresh([old!, orphan, 4242])
    expect(r.refreshed).toEqual([old])
    expect(r.changed).toEqual([old])
    expect(r.notFound).toEqual([4242])
    expect(r.failed).toEqual([{ id: orphan, code: 'unsupported', message: expect.stringContaining('swisspost') }])
    // Still past the max check period: no automatic check is scheduled by a manual one.
    expect(row(old!).next_check_at).toBeNull()
    expect(repo.events(old!).map((e) => e.source)).toEqual(['manual'])
  })

  it('jumps the queue: what waited for the budget goes out first in the next cycle', async () => {
    clock = new ManualClock(T0)
    const eco = new FakeCarrier({ carrier: 'ecotrack', batchSize: 1, windows: [{ limit: 4, windowMs: 60_000 }], now: () => clock.now() })
    const { repo, poller } = setup([eco], { reserveCalls: 1 })
    const ids = addShipments(repo, eco, 10, T0)
    db!.prepare('UPDATE shipments SET next_check_at = ?').run(T0)
    await poller.runCycle() // 3 calls, 1 kept in reserve
    const r = await poller.refresh([ids[9]!, ids[8]!])
    expect(r.refreshed).toEqual([ids[9]])
    expect(r.waiting).toMatchObject([{ ids: [ids[8]], reason: 'rate_limit' }])
    expect(r.waiting[0]!.retryAfterMs).toBeGreaterThan(0)
    expect(r.waiting[0]!.retryAfterMs).toBeLessThanOrEqual(60_000)
    clock.advance(61_000)
    await poller.runCycle()
    const tn = repo.get(ids[8]!)!.trackingNumber
    expect(eco.trackCalls[4]!.numbers).toEqual([tn])
    expect(repo.events(ids[8]!).map((e) => e.source)).toEqual(['manual'])
    expect(eco.tooMany).toBe(0)
  })
})

describe('poller: loop, pause, offline', () => {
  it('runs on its timer, pauses on suspend, goes offline, and catches up on resume', async () => {
    clock = new ManualClock(T0)
    const eco = new FakeCarrier({ carrier: 'ecotrack', batchSize: 100, now: () => clock.now() })
    const { repo, poller, timers, states } = setup([eco])
    addShipments(repo, eco, 3, T0)
    clock.advance(10 * 60_000)
    poller.start()
    expect(poller.state().state).toBe('running')
    timers.fire()
    await new Promise((r) => setImmediate(r))
    expect(eco.trackCalls).toHaveLength(1)
    expect(poller.state().nextRunAt).toBe(new Date(clock.now() + 60_000).toISOString())

    poller.pause('suspend')
    expect(poller.state().state).toBe('paused')
    expect(timers.pending.size).toBe(0)
    clock.advance(5 * HOUR)
    poller.setOnline(false)
    poller.resume('suspend')
    expect(poller.state().state).toBe('offline')
    expect(timers.pending.size).toBe(0)
    expect(poller.state().due).toBe(3)
    // The update button still tries while the desk believes it is offline; without a network the
    // shipment waits for it, first in line.
    eco.failWith = new CarrierError('offline', 'No network')
    const offline = await poller.refresh([1])
    expect(offline.waiting).toEqual([{ ids: [1], carrier: 'ecotrack', account: 'default', reason: 'offline' }])
    expect(offline.failed).toEqual([])
    eco.failWith = null
    poller.setOnline(true)
    expect(poller.state().state).toBe('running')
    timers.fire()
    await new Promise((r) => setImmediate(r))
    // The update-button request made while offline goes first, then the backlog.
    expect(eco.trackCalls.slice(2).map((c) => c.numbers.length)).toEqual([1, 2])
    expect(poller.state().due).toBe(0)
    expect(states.map((s) => s.state)).toEqual(expect.arrayContaining(['running', 'paused', 'offline']))
    poller.stop()
    expect(timers.pending.size).toBe(0)
    expect(poller.state().state).toBe('stopped')
  })
})

describe('answers', () => {
  it("keeps the carrier's refused field, HTTP status and own code for the clerk, redacted, beside its message", () => {
    const refused = new CarrierError('invalid_input', 'ECOTRACK HTTP 422 on /api/v1/get/tracking?api_token=SECRET123', {
      field: 'tracking',
      httpStatus: 422,
      carrierCode: 10003,
      params: { note: '/x?api_token=SECRET123' }
    })
    const { checks, accountError } = interpretAnswers(
      [
        { id: 1, trackingNumber: 'A1' },
        { id: 2, trackingNumber: 'A2' }
      ],
      [
        { trackingNumber: 'A1', ok: false, error: refused },
        { trackingNumber: 'A2', ok: true, events: [] }
      ]
    )
    expect(accountError).toBeNull()
    const e = checks.find((c) => c.shipmentId === 1)!.error!
    expect(e).toMatchObject({ code: 'invalid_input', field: 'tracking', params: { httpStatus: 422, carrierCode: 10003 } })
    expect(JSON.stringify(e)).not.toContain('SECRET123')
    // A parcel the carrier left out of its answer: a code, nothing to quote.
    const missing = interpretAnswers([{ id: 3, trackingNumber: 'B1' }], []).checks[0]!.error!
    expect(missing).toEqual({ code: 'carrier_error', message: 'The carrier gave no answer for this parcel.' })
  })
})
