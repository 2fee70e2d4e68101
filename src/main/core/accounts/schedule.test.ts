import { describe, expect, it } from 'vitest'
import { HOUR } from '../../platform/clock'
import { DEFAULT_SCHEDULE } from '../schedule/schedule'
import { formatTiers, parseTiers, scheduleFromOptions } from './schedule'

describe('account schedule options', () => {
  it('reads tiers as days=hours and writes them back', () => {
    const tiers = parseTiers('2=1, 5=2,10=6,14=12')
    expect(tiers).toEqual([
      { upToDay: 2, intervalMs: HOUR },
      { upToDay: 5, intervalMs: 2 * HOUR },
      { upToDay: 10, intervalMs: 6 * HOUR },
      { upToDay: 14, intervalMs: 12 * HOUR }
    ])
    expect(formatTiers(tiers)).toBe('2=1,5=2,10=6,14=12')
  })

  it('defaults to seed 000 without options', () => {
    expect(scheduleFromOptions({})).toEqual(DEFAULT_SCHEDULE)
  })

  it('takes a longer max check period and refuses one shorter than the return window', () => {
    expect(scheduleFromOptions({ maxCheckDays: 30, returnWindowDays: 30 }).maxCheckDays).toBe(30)
    expect(() => scheduleFromOptions({ maxCheckDays: 14, returnWindowDays: 30 })).toThrow(/at least the customer's return window/)
  })

  it('names a malformed tier', () => {
    expect(() => parseTiers('2=1,five=2')).toThrow(/"five=2" should read days=hours/)
    expect(() => scheduleFromOptions({ tiers: '5=1,2=2' })).toThrow(/rising/)
  })
})
