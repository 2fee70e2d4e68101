import { describe, expect, it } from 'vitest'
import { clockFromEnv, startingAt, systemClock } from './clock'

describe('the test clock of browser mode (GUICHET_TEST_NOW)', () => {
  it('starts at the given instant and runs at the wall clock’s pace', () => {
    let wall = 1_000_000
    const clock = startingAt(Date.UTC(2026, 10, 27, 9), () => wall)
    expect(new Date(clock.now()).toISOString()).toBe('2026-11-27T09:00:00.000Z')
    wall += 1500
    expect(new Date(clock.now()).toISOString()).toBe('2026-11-27T09:00:01.500Z')
  })

  it('is the system clock when unset, and refuses what is not an ISO instant', () => {
    expect(clockFromEnv(undefined)).toBe(systemClock)
    expect(clockFromEnv('')).toBe(systemClock)
    expect(Math.abs(clockFromEnv('2026-11-27T09:00:00Z').now() - Date.UTC(2026, 10, 27, 9))).toBeLessThan(5_000)
    for (const bad of ['tomorrow', '27/11/2026', '1764234000000']) expect(() => clockFromEnv(bad)).toThrow(/GUICHET_TEST_NOW/)
  })
})
