import { describe, expect, it } from 'vitest'
import { GuichetError } from '../../../shared/result'
import { DAY, HOUR } from '../../platform/clock'
import { ageInDays, DEFAULT_SCHEDULE, firstCheckAt, jitterUnit, nextCheckAt, scheduleSettings, tierInterval } from './schedule'

const T0 = Date.UTC(2026, 10, 1, 8, 0, 0)
const noJitter = scheduleSettings({ jitterFraction: 0 })
const at = (days: number, ms = 0) => T0 + days * DAY + ms
const interval = (now: number, s = noJitter) => {
  const next = nextCheckAt({ shipmentId: 1, createdAt: T0, now, final: false, failures: 0 }, s)
  return next === null ? null : next - now
}

describe('schedule tiers (seed 000), whole-day ages', () => {
  it('counts age in whole days', () => {
    expect(ageInDays(T0, at(2, DAY - 1))).toBe(2)
    expect(ageInDays(T0, at(3))).toBe(3)
    expect(ageInDays(T0, T0 - HOUR)).toBe(0)
  })

  it.each([
    ['day 0', at(0), HOUR],
    ['2/3 edge: last ms of day 2', at(2, DAY - 1), HOUR],
    ['2/3 edge: first ms of day 3', at(3), 2 * HOUR],
    ['5/6 edge: last ms of day 5', at(5, DAY - 1), 2 * HOUR],
    ['5/6 edge: first ms of day 6', at(6), 6 * HOUR],
    ['10/11 edge: last ms of day 10', at(10, DAY - 1), 6 * HOUR],
    ['10/11 edge: first ms of day 11', at(11), 12 * HOUR],
    ['14/15 edge: last ms of day 14', at(14, DAY - 1), 12 * HOUR],
    ['14/15 edge: first ms of day 15', at(15), null],
    ['long past the max', at(90), null]
  ])('%s', (_name, now, expected) => {
    expect(interval(now)).toBe(expected)
  })

  it('honours a configured max check period longer than the table (slowest tier continues)', () => {
    const s = scheduleSettings({ maxCheckDays: 30, jitterFraction: 0 })
    expect(interval(at(15), s)).toBe(12 * HOUR)
    expect(interval(at(30, DAY - 1), s)).toBe(12 * HOUR)
    expect(interval(at(31), s)).toBeNull()
  })

  it('honours a configured max check period shorter than the table', () => {
    const s = scheduleSettings({ maxCheckDays: 7, jitterFraction: 0 })
    expect(interval(at(7, DAY - 1), s)).toBe(6 * HOUR)
    expect(interval(at(8), s)).toBeNull()
  })

  it('refuses a max check period shorter than the return window, and bad tiers', () => {
    expect(() => scheduleSettings({ maxCheckDays: 10, returnWindowDays: 14 })).toThrow(GuichetError)
    expect(() => scheduleSettings({ maxCheckDays: 21, returnWindowDays: 14 })).not.toThrow()
    expect(() => scheduleSettings({ tiers: [] })).toThrow(/tier/)
    expect(() =>
      scheduleSettings({
        tiers: [
          { upToDay: 5, intervalMs: HOUR },
          { upToDay: 3, intervalMs: HOUR }
        ]
      })
    ).toThrow(/rising/)
    expect(() => scheduleSettings({ tiers: [{ upToDay: 5, intervalMs: 10 }] })).toThrow(/minute/)
    expect(() => scheduleSettings({ maxCheckDays: -1 })).toThrow(GuichetError)
  })

  it('accepts configured tiers', () => {
    const s = scheduleSettings({
      tiers: [
        { upToDay: 0, intervalMs: 30 * 60_000 },
        { upToDay: 3, intervalMs: 3 * HOUR }
      ],
      jitterFraction: 0
    })
    expect(tierInterval(0, s)).toBe(30 * 60_000)
    expect(tierInterval(1, s)).toBe(3 * HOUR)
    expect(tierInterval(14, s)).toBe(3 * HOUR)
  })

  it('stops polling final shipments', () => {
    expect(nextCheckAt({ shipmentId: 1, createdAt: T0, now: at(1), final: true, failures: 0 })).toBeNull()
  })
})

describe('jitter', () => {
  it('is deterministic per shipment and seed, and only ever makes a check earlier', () => {
    const a = nextCheckAt({ shipmentId: 42, createdAt: T0, now: at(1), final: false, failures: 0 })!
    const b = nextCheckAt({ shipmentId: 42, createdAt: T0, now: at(1), final: false, failures: 0 })!
    expect(a).toBe(b)
    for (let id = 1; id <= 2000; id++) {
      const n = nextCheckAt({ shipmentId: id, createdAt: T0, now: at(4), final: false, failures: 0 })! - at(4)
      expect(n).toBeLessThanOrEqual(2 * HOUR)
      expect(n).toBeGreaterThanOrEqual(2 * HOUR * (1 - DEFAULT_SCHEDULE.jitterFraction))
    }
  })

  it('spreads a thousand shipments created together over the jitter window', () => {
    const minutes = new Set<number>()
    const firsts: number[] = []
    for (let id = 1; id <= 1000; id++) {
      const f = firstCheckAt(id, T0)
      firsts.push(f)
      minutes.add(Math.floor((f - T0) / 60_000))
    }
    // 10% of an hour = 6 one-minute slots, all used, none holding more than a third of the orders.
    expect(minutes.size).toBe(6)
    const perMinute = [...minutes].map((m) => firsts.filter((f) => Math.floor((f - T0) / 60_000) === m).length)
    expect(Math.max(...perMinute)).toBeLessThan(334)
    expect(jitterUnit(1, 1)).not.toBe(jitterUnit(1, 2))
  })
})

describe('errors back off per shipment', () => {
  it('retries soon after one failure, then doubles, capped at a few tier intervals', () => {
    const d = (failures: number, now = at(1)) => nextCheckAt({ shipmentId: 1, createdAt: T0, now, final: false, failures }, noJitter)! - now
    expect(d(1)).toBe(5 * 60_000)
    expect(d(2)).toBe(10 * 60_000)
    expect(d(3)).toBe(20 * 60_000)
    expect(d(30)).toBe(4 * HOUR)
    expect(d(30, at(12))).toBe(48 * HOUR)
    // Past the max check period a failing shipment stops too.
    expect(nextCheckAt({ shipmentId: 1, createdAt: T0, now: at(16), final: false, failures: 3 })).toBeNull()
  })
})
