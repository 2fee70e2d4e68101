// A per-account rate limiter: pure bookkeeping on an injected clock, so tests run hours of
// simulated traffic in milliseconds. It combines what the carrier documents (a sliding log per
// window: never more than `limit` calls in any `windowMs`) with what the carrier says at run time
// (X-RateLimit-Remaining/Reset headers and 429 Retry-After), and always obeys the stricter one.

export interface RateWindow {
  /** Header suffix the carrier uses for this window ('Minute', 'Hour', 'Day'), if any. */
  name: string
  limit: number
  windowMs: number
}

interface LimiterSnapshot {
  remaining: number | null
  resetsAt: number | null
  blockedUntil: number | null
}

interface Learned {
  remaining: number
  resetAt: number
}

const WINDOW_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 }

export class RateLimiter {
  private readonly logs: number[][]
  private readonly learned = new Map<string, Learned>()
  private blockedUntil = 0

  constructor(
    private readonly windows: readonly RateWindow[],
    private readonly now: () => number
  ) {
    this.logs = windows.map(() => [])
  }

  /** Milliseconds to wait before the next call may go out (0: now). */
  delay(): number {
    const t = this.now()
    let wait = Math.max(0, this.blockedUntil - t)
    this.windows.forEach((w, i) => {
      const log = this.prune(i, t)
      if (log.length >= w.limit) wait = Math.max(wait, log[log.length - w.limit]! + w.windowMs - t)
    })
    for (const l of this.learned.values()) if (l.remaining <= 0 && l.resetAt > t) wait = Math.max(wait, l.resetAt - t)
    return wait
  }

  /** Records a call going out now. */
  take(): void {
    const t = this.now()
    this.logs.forEach((log) => log.push(t))
    for (const l of this.learned.values()) if (l.resetAt > t) l.remaining--
  }

  /** Learns from a response's headers (lower-case names). */
  observe(status: number, headers: Record<string, string | string[] | undefined>): void {
    const t = this.now()
    const h = (k: string): string | undefined => {
      const v = headers[k]
      return Array.isArray(v) ? v[0] : v
    }
    for (const name of ['minute', 'hour', 'day', '']) {
      const suffix = name ? `-${name}` : ''
      const remaining = Number(h(`x-ratelimit-remaining${suffix}`))
      const reset = Number(h(`x-ratelimit-reset${suffix}`))
      if (!Number.isFinite(remaining) || h(`x-ratelimit-remaining${suffix}`) === undefined) continue
      // Reset is a Unix time in seconds; without one, assume the window the name says (or a minute).
      const resetAt = Number.isFinite(reset) && reset > 0 ? reset * 1000 : t + (WINDOW_MS[name] ?? 60_000)
      this.learned.set(name || 'default', { remaining, resetAt })
    }
    if (status === 429) {
      const ra = h('retry-after')
      let ms = 60_000
      if (ra !== undefined) {
        const secs = Number(ra)
        if (Number.isFinite(secs)) ms = secs * 1000
        else if (!Number.isNaN(Date.parse(ra))) ms = Math.max(0, Date.parse(ra) - t)
      }
      this.blockedUntil = Math.max(this.blockedUntil, t + ms)
    }
  }

  snapshot(): LimiterSnapshot {
    const t = this.now()
    let remaining: number | null = null
    let resetsAt: number | null = null
    this.windows.forEach((w, i) => {
      const log = this.prune(i, t)
      const left = Math.max(0, w.limit - log.length)
      if (remaining === null || left < remaining) {
        remaining = left
        resetsAt = log.length ? log[0]! + w.windowMs : null
      }
    })
    for (const l of this.learned.values()) {
      if (l.resetAt <= t) continue
      if (remaining === null || l.remaining < remaining) {
        remaining = Math.max(0, l.remaining)
        resetsAt = l.resetAt
      }
    }
    return { remaining, resetsAt, blockedUntil: this.blockedUntil > t ? this.blockedUntil : null }
  }

  private prune(i: number, t: number): number[] {
    const w = this.windows[i]!
    const log = this.logs[i]!
    let drop = 0
    while (drop < log.length && log[drop]! <= t - w.windowMs) drop++
    if (drop) log.splice(0, drop)
    return log
  }
}
