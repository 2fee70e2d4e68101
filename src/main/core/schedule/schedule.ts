// The polling cadence of seed 000, as a pure function: (order age, settings, failures) -> next check.
// Ages are counted in WHOLE days since the order was created: age = floor((now - createdAt) / DAY).
// A tier "up to N days" covers whole-day ages 0..N inclusive, so with the defaults an order aged
// 2 days 23 h is still checked hourly and one aged exactly 3 days moves to every 2 h. "Older than
// the max check period" means a whole-day age above maxCheckDays: with 14, day 14 (14 d 0 h to
// 14 d 23 h 59) is still checked every 12 h and day 15 is not checked automatically any more.
import { GuichetError } from '../../../shared/result'
import { DAY, HOUR } from '../../platform/clock'

export interface Tier {
  /** The last whole-day age this tier covers (inclusive). */
  upToDay: number
  intervalMs: number
}

export interface ScheduleSettings {
  /** Ordered by upToDay; the last tier's interval also covers ages up to maxCheckDays. */
  tiers: readonly Tier[]
  /** No automatic check for whole-day ages above this (seed 000: default 14). */
  maxCheckDays: number
  /** Checks fire up to this fraction of their interval EARLY (never late), spread by shipment. */
  jitterFraction: number
  /** First retry after a failed check; doubles per consecutive failure. */
  errorBaseMs: number
  /** Failed checks never wait longer than this many intervals of their tier. */
  errorMaxIntervals: number
  /** Seeds the jitter so two installations do not share a rhythm (deterministic per seed + id). */
  seed: number
}

const DEFAULT_TIERS: readonly Tier[] = [
  { upToDay: 2, intervalMs: HOUR },
  { upToDay: 5, intervalMs: 2 * HOUR },
  { upToDay: 10, intervalMs: 6 * HOUR },
  { upToDay: 14, intervalMs: 12 * HOUR }
]

export const DEFAULT_SCHEDULE: ScheduleSettings = {
  tiers: DEFAULT_TIERS,
  maxCheckDays: 14,
  jitterFraction: 0.1,
  errorBaseMs: 5 * 60_000,
  errorMaxIntervals: 4,
  seed: 0
}

/** What a carrier account may override (settings screen, per account). */
interface ScheduleOverrides {
  tiers?: readonly Tier[]
  maxCheckDays?: number
  /** The customer's return window: the max check period may not be shorter (seed 000). */
  returnWindowDays?: number
  jitterFraction?: number
  seed?: number
}

/** Merges and validates per-account overrides; bad settings are a typed error, never a silent default. */
export function scheduleSettings(overrides: ScheduleOverrides = {}, base: ScheduleSettings = DEFAULT_SCHEDULE): ScheduleSettings {
  const s: ScheduleSettings = {
    ...base,
    ...(overrides.tiers ? { tiers: overrides.tiers } : {}),
    ...(overrides.maxCheckDays !== undefined ? { maxCheckDays: overrides.maxCheckDays } : {}),
    ...(overrides.jitterFraction !== undefined ? { jitterFraction: overrides.jitterFraction } : {}),
    ...(overrides.seed !== undefined ? { seed: overrides.seed } : {})
  }
  if (!Number.isInteger(s.maxCheckDays) || s.maxCheckDays < 0 || s.maxCheckDays > 3650) {
    throw new GuichetError('invalid_input', 'The max check period must be a whole number of days between 0 and 3650.', {
      field: 'maxCheckDays'
    })
  }
  if (overrides.returnWindowDays !== undefined && s.maxCheckDays < overrides.returnWindowDays) {
    throw new GuichetError(
      'invalid_input',
      `The max check period (${s.maxCheckDays} days) must be at least the customer's return window (${overrides.returnWindowDays} days).`,
      { field: 'maxCheckDays' }
    )
  }
  if (s.tiers.length === 0) throw new GuichetError('invalid_input', 'At least one polling tier is needed.', { field: 'tiers' })
  let prev = -1
  for (const t of s.tiers) {
    if (!Number.isInteger(t.upToDay) || t.upToDay <= prev) {
      throw new GuichetError('invalid_input', 'Polling tiers must cover rising whole-day ages.', { field: 'tiers' })
    }
    if (!Number.isFinite(t.intervalMs) || t.intervalMs < 60_000) {
      throw new GuichetError('invalid_input', 'A polling interval must be at least one minute.', { field: 'tiers' })
    }
    prev = t.upToDay
  }
  if (!(s.jitterFraction >= 0 && s.jitterFraction < 0.5)) {
    throw new GuichetError('invalid_input', 'Jitter must be a fraction between 0 and 0.5.', { field: 'jitterFraction' })
  }
  return s
}

/** Whole days since creation (negative ages, from clock skew, count as day 0). */
export function ageInDays(createdAt: number, now: number): number {
  return Math.max(0, Math.floor((now - createdAt) / DAY))
}

/** The check interval for a whole-day age, or null past the max check period. */
export function tierInterval(ageDays: number, s: ScheduleSettings): number | null {
  if (ageDays > s.maxCheckDays) return null
  for (const t of s.tiers) if (ageDays <= t.upToDay) return t.intervalMs
  // A max check period longer than the table keeps the slowest cadence (seed 000: "configurable").
  return s.tiers[s.tiers.length - 1]!.intervalMs
}

/** A stable number in [0, 1) for a shipment and seed (splitmix32-style mixing). */
export function jitterUnit(key: number | string, seed: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0
  const text = String(key)
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x85ebca6b) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0
  h = (h ^ (h >>> 16)) >>> 0
  return h / 0x1_0000_0000
}

interface ScheduleInput {
  shipmentId: number
  createdAt: number
  /** When the check that was just made (or the decision) happened. */
  now: number
  /** The shipment's status is final (delivered and settled, cancelled, returned). */
  final: boolean
  /** Consecutive failed checks, including the one just made. */
  failures: number
}

/**
 * When to check a shipment next, or null to stop automatic checks. Jitter only moves a check
 * EARLIER (by up to jitterFraction of its delay), so no shipment is ever later than its tier.
 */
export function nextCheckAt(input: ScheduleInput, s: ScheduleSettings = DEFAULT_SCHEDULE): number | null {
  if (input.final) return null
  const interval = tierInterval(ageInDays(input.createdAt, input.now), s)
  if (interval === null) return null
  let delay = interval
  if (input.failures > 0) {
    const exp = Math.min(input.failures - 1, 20)
    delay = Math.min(s.errorBaseMs * 2 ** exp, interval * s.errorMaxIntervals)
  }
  const early = Math.floor(jitterUnit(input.shipmentId, s.seed) * s.jitterFraction * delay)
  return input.now + delay - early
}

/**
 * The first check of a new shipment: within the first jitterFraction of the first tier, so a
 * thousand orders imported together spread out instead of firing in one burst.
 */
export function firstCheckAt(key: number | string, createdAt: number, s: ScheduleSettings = DEFAULT_SCHEDULE): number {
  const first = s.tiers[0]!.intervalMs
  return createdAt + Math.floor(jitterUnit(key, s.seed) * s.jitterFraction * first)
}
