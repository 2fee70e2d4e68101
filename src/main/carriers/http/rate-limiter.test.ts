import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../platform/clock'
import { RateLimiter } from './rate-limiter'

describe('RateLimiter (pure, on a manual clock)', () => {
  it('allows the documented limit in any window, then waits until the oldest call leaves it', () => {
    const clock = new ManualClock(0)
    const l = new RateLimiter([{ name: 'Minute', limit: 3, windowMs: 60_000 }], () => clock.now())
    for (let i = 0; i < 3; i++) {
      expect(l.delay()).toBe(0)
      l.take()
      clock.advance(1000)
    }
    expect(l.delay()).toBe(57_000)
    clock.advance(57_000)
    expect(l.delay()).toBe(0)
    expect(l.snapshot()).toMatchObject({ remaining: 1, blockedUntil: null })
  })

  it('obeys the tightest of several windows', () => {
    const clock = new ManualClock(0)
    const l = new RateLimiter(
      [
        { name: 'Minute', limit: 5, windowMs: 60_000 },
        { name: 'Hour', limit: 6, windowMs: 3_600_000 }
      ],
      () => clock.now()
    )
    for (let i = 0; i < 6; i++) {
      clock.advance(l.delay())
      l.take()
    }
    expect(l.delay()).toBe(3_600_000 - 60_000)
  })

  it('learns Remaining/Reset headers per window and waits for the reset when the carrier says 0', () => {
    const clock = new ManualClock(1_000_000)
    const l = new RateLimiter([], () => clock.now())
    l.observe(200, {
      'x-ratelimit-remaining-minute': '0',
      'x-ratelimit-reset-minute': String(1_000 + 30),
      'x-ratelimit-remaining-day': '900'
    })
    expect(l.delay()).toBe(30_000)
    expect(l.snapshot()).toMatchObject({ remaining: 0, resetsAt: 1_030_000 })
    clock.advance(30_000)
    expect(l.delay()).toBe(0)
  })

  it('counts its own calls against a learned budget until the next answer', () => {
    const clock = new ManualClock(0)
    const l = new RateLimiter([], () => clock.now())
    l.observe(200, { 'x-ratelimit-remaining': '1' })
    l.take()
    expect(l.delay()).toBe(60_000)
  })

  it('blocks for Retry-After after a 429, in seconds or as an HTTP date', () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 0))
    const l = new RateLimiter([], () => clock.now())
    l.observe(429, { 'retry-after': '12' })
    expect(l.delay()).toBe(12_000)
    expect(l.snapshot().blockedUntil).toBe(clock.now() + 12_000)
    clock.advance(12_000)
    l.observe(429, { 'retry-after': new Date(clock.now() + 90_000).toUTCString() })
    expect(l.delay()).toBe(90_000)
  })

  it('a budget with no limits and no headers is unknown, not zero', () => {
    const l = new RateLimiter([], () => 0)
    expect(l.snapshot()).toEqual({ remaining: null, resetsAt: null, blockedUntil: null })
  })
})
