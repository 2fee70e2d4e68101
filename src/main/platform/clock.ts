/** Time, injected everywhere, so tests and simulations control it. */
export interface Clock {
  now(): number
}
export const systemClock: Clock = { now: () => Date.now() }

/**
 * A clock that starts at `start` and runs at the wall clock's pace: browser mode under e2e tests
 * (GUICHET_TEST_NOW) gets a known date, so a day report never splits across local midnight, while
 * timers and backoffs still move.
 */
export function startingAt(start: number, wall: () => number = Date.now): Clock {
  const t0 = wall()
  return { now: () => start + (wall() - t0) }
}

/** GUICHET_TEST_NOW (an ISO 8601 instant) as a clock; left out: the system clock. */
export function clockFromEnv(value: string | undefined): Clock {
  if (value === undefined || value === '') return systemClock
  const start = Date.parse(value)
  if (!Number.isFinite(start) || !/^\d{4}-\d{2}-\d{2}T/.test(value))
    throw new Error(`GUICHET_TEST_NOW must be an ISO 8601 instant such as 2026-11-27T09:00:00Z, got "${value}"`)
  return startingAt(start)
}

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private t: number = Date.UTC(2026, 10, 28, 9, 0, 0)) {}
  now(): number {
    return this.t
  }
  set(t: number): void {
    this.t = t
  }
  advance(ms: number): void {
    this.t += ms
  }
}

export const iso = (ms: number | null | undefined): string | null => (ms == null ? null : new Date(ms).toISOString())
export const HOUR = 3_600_000
export const DAY = 24 * HOUR

/** Timers, injected beside the clock so schedulers (poller, updater) are tested without waiting. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/** Real timers that never keep the process alive by themselves (quit and test runs end cleanly). */
export const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms)
    t.unref?.()
    return t
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>)
}
