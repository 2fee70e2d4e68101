/** Time, injected everywhere, so tests and simulations control it. */
export interface Clock {
  now(): number
}
export const systemClock: Clock = { now: () => Date.now() }

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
