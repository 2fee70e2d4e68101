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
