import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HOUR, ManualClock } from '../../platform/clock'
import { captureLogger, findLeaks, simulatedSleep, TEST_SECRETS } from '../testing/capture.testkit'
import { createEcotrackAdapter, type EcotrackAdapter } from './client'
import { ECOTRACK_LIMITS, startEcotrackSimulator, type EcotrackSim } from './sim/simulator'

const TOKEN = TEST_SECRETS[0]

// Simulated time: the limiter "sleeps" by moving the shared ManualClock, so hours of ECOTRACK
// traffic run in seconds against a real HTTP simulator that enforces 50/min, 1500/h, 15000/day.
describe('ECOTRACK rate limits on simulated time', () => {
  const clock = new ManualClock()
  let sim: EcotrackSim
  let eco: EcotrackAdapter
  const logger = captureLogger()

  beforeAll(async () => {
    sim = await startEcotrackSimulator({ clock, tokens: [TOKEN] })
    eco = createEcotrackAdapter(
      { carrier: 'ecotrack', alias: 'default', baseUrl: sim.url, credentials: { token: TOKEN } },
      { now: () => clock.now(), logger, sleep: simulatedSleep(clock), timeoutMs: 5000, maxQueueWaitMs: Infinity }
    )
  })
  afterAll(async () => {
    await sim.close()
    expect(findLeaks()).toEqual([])
  })

  it('a burst of 5,000 status requests completes with zero 429s', async () => {
    const t0 = clock.now()
    const numbers = ['ECQFLD2611240017', 'ECQFLD2611220009', 'ECQFLD2611260021', 'ECQFLD2611150004']
    let ok = 0
    for (let i = 0; i < 5000; i++) {
      const [r] = await eco.track([numbers[i % numbers.length]!])
      if (r!.ok) ok++
    }
    expect(ok).toBe(5000)
    expect(sim.stats.tooMany).toBe(0)
    expect(sim.stats.calls).toBe(5000)
    expect(sim.log.filter((l) => l.status === 429)).toEqual([])
    // 5,000 calls at 1,500 an hour cannot take less than 3 h 20 min of (simulated) time.
    expect(clock.now() - t0).toBeGreaterThanOrEqual(3 * HOUR)
    // And never more than 50 in any minute: check the simulator's own log.
    const times = sim.log.map((l) => l.at)
    for (let i = ECOTRACK_LIMITS.minute; i < times.length; i++)
      expect(times[i]! - times[i - ECOTRACK_LIMITS.minute]!).toBeGreaterThanOrEqual(60_000)
  }, 120_000)

  it('after an injected 429 the client waits Retry-After, then succeeds', async () => {
    clock.advance(HOUR)
    sim.inject({ kind: 'http_429', retryAfterSec: 37 })
    const before = clock.now()
    const [r] = await eco.track(['ECQFLD2611240017'])
    expect(r!.ok).toBe(true)
    const [first, second] = sim.log.slice(-2)
    expect(first!.status).toBe(429)
    expect(second!.status).toBe(200)
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(37_000)
    expect(clock.now() - before).toBeGreaterThanOrEqual(37_000)
  })

  it('after a real 429 (budget spent elsewhere) the client obeys the Retry-After the simulator computed', async () => {
    clock.advance(HOUR)
    // Another program with the same token spends the minute's budget behind our back.
    for (let i = 0; i < ECOTRACK_LIMITS.minute; i++) await fetch(`${sim.url}/api/v1/get/wilayas?api_token=${TOKEN}`)
    const blocked = await fetch(`${sim.url}/api/v1/get/wilayas?api_token=${TOKEN}`)
    expect(blocked.status).toBe(429)
    const retryAfter = Number(blocked.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(0)
    const before = clock.now()
    const [r] = await eco.track(['ECQFLD2611240017'])
    expect(r!.ok).toBe(true)
    expect(clock.now() - before).toBeGreaterThanOrEqual(retryAfter * 1000 - 1000)
    expect(eco.budget().remaining).toBeGreaterThan(0)
  })

  it('an adapter rebuilt for the same account keeps the account’s budget (one limiter per account)', async () => {
    clock.advance(HOUR)
    const make = () =>
      createEcotrackAdapter(
        { carrier: 'ecotrack', alias: 'default', baseUrl: sim.url, credentials: { token: TOKEN } },
        { now: () => clock.now(), logger, sleep: simulatedSleep(clock) }
      )
    const before = sim.stats.tooMany
    // A poller that builds a fresh adapter every cycle still never goes over 50 a minute.
    for (let i = 0; i < 120; i++) await make().track(['ECQFLD2611240017'])
    expect(sim.stats.tooMany).toBe(before)
    expect(make().budget()).toEqual(eco.budget())
  })

  it('by default gives up with rate_limited (and when to retry) rather than block for an hour', async () => {
    clock.advance(2 * HOUR)
    const impatient = createEcotrackAdapter(
      { carrier: 'ecotrack', alias: 'impatient', baseUrl: sim.url, credentials: { token: TOKEN } },
      { now: () => clock.now(), logger, sleep: simulatedSleep(clock) }
    )
    const results = []
    for (let i = 0; i < 1501; i++) results.push((await impatient.track(['ECQFLD2611240017']))[0]!)
    const last = results.at(-1)!
    expect(last.ok).toBe(false)
    if (last.ok) throw new Error('unreachable: asserted not ok above')
    expect(last.error.code).toBe('rate_limited')
    expect(last.error.retryAfterMs).toBeGreaterThan(60_000)
    expect(results.slice(0, 1500).every((r) => r.ok)).toBe(true)
  }, 60_000)

  it('learns from X-RateLimit headers: a budget the simulator reports spent is waited out, not hit', async () => {
    clock.advance(HOUR)
    const other = createEcotrackAdapter(
      { carrier: 'ecotrack', alias: 'second-desk', baseUrl: sim.url, credentials: { token: TOKEN } },
      { now: () => clock.now(), logger, sleep: simulatedSleep(clock) }
    )
    // Two desks share one token: each one's own count is too low, the headers tell the truth.
    const tooManyBefore = sim.stats.tooMany
    for (let i = 0; i < 60; i++) {
      await eco.track(['ECQFLD2611240017'])
      await other.track(['ECQFLD2611240017'])
    }
    // Each desk learns Remaining-Minute from every answer; at most one 429 per desk while learning.
    expect(sim.stats.tooMany - tooManyBefore).toBeLessThanOrEqual(2)
    expect(other.budget().remaining).not.toBeNull()
  })
})
