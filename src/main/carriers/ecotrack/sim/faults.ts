// ECOTRACK's documented refusals: Laravel 422s, business errors in HTTP 200 (10001-10003), and the
// rate limits (50/min, 1500/h, 15000/day per token, fixed windows) with their headers and 429.
import { DAY, type Clock } from '../../../platform/clock'
import type { SimReply } from '../../sim/server'

export const ECOTRACK_LIMITS = { minute: 50, hour: 1500, day: 15000 } as const

export const invalid = (errors: Record<string, string[]>): SimReply => ({
  status: 422,
  body: { message: 'The given data was invalid.', errors }
})
export const business = (error: number, message: string): SimReply => ({ status: 200, body: { success: false, error, message } })
export const unknownTracking = () => invalid({ tracking: ['Le champ tracking sélectionné est invalide.'] })

/** One set of windows per token; `stats` counts the calls let through and the 429s served. */
export function createThrottle(clock: Clock, stats: { calls: number; tooMany: number }) {
  // Fixed windows from the first hit, as Laravel's throttle does; one set per token.
  const windows = new Map<string, Array<{ start: number; count: number }>>()
  const spans = [60_000, 3_600_000, DAY]
  const limits = [ECOTRACK_LIMITS.minute, ECOTRACK_LIMITS.hour, ECOTRACK_LIMITS.day]
  const names = ['Minute', 'Hour', 'Day']
  const throttle = (key: string): { headers: Record<string, string>; blocked?: SimReply } => {
    const t = clock.now()
    const ws = windows.get(key) ?? spans.map(() => ({ start: t, count: 0 }))
    windows.set(key, ws)
    ws.forEach((w, i) => {
      if (t >= w.start + spans[i]!) {
        w.start = t
        w.count = 0
      }
    })
    const full = ws.findIndex((w, i) => w.count >= limits[i]!)
    const headers: Record<string, string> = {}
    const fill = () =>
      ws.forEach((w, i) => {
        headers[`X-RateLimit-Limit-${names[i]}`] = String(limits[i])
        headers[`X-RateLimit-Remaining-${names[i]}`] = String(Math.max(0, limits[i]! - w.count))
        headers[`X-RateLimit-Reset-${names[i]}`] = String(Math.ceil((w.start + spans[i]!) / 1000))
      })
    if (full >= 0) {
      fill()
      const reset = ws[full]!.start + spans[full]!
      stats.tooMany++
      return {
        headers,
        blocked: {
          status: 429,
          body: { message: 'Too Many Attempts.' },
          headers: {
            ...headers,
            'Retry-After': String(Math.max(1, Math.ceil((reset - t) / 1000))),
            'X-RateLimit-Reset': String(Math.ceil(reset / 1000)),
            'X-RateLimit-Limit': String(limits[full]),
            'X-RateLimit-Remaining': '0'
          }
        }
      }
    }
    ws.forEach((w) => w.count++)
    stats.calls++
    fill()
    return { headers }
  }
  return throttle
}
