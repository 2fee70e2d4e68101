import { GuichetError } from '../../../shared/result'
import { HOUR } from '../../platform/clock'
import { DEFAULT_SCHEDULE, scheduleSettings, type ScheduleSettings, type Tier } from '../schedule/schedule'

// An account's polling cadence comes from three of its options, so the settings screen edits
// them like any other field:
//   maxCheckDays      no automatic check past this age (seed 000: default 14)
//   returnWindowDays  the customer's return window; the max check period may not be shorter
//   tiers             "2=1,5=2,10=6,14=12": up to N days old, every H hours

/** Parses "2=1,5=2,10=6,14=12" into tiers; a typed error names what is wrong. */
export function parseTiers(text: string): Tier[] {
  const tiers: Tier[] = []
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(\d{1,4})\s*=\s*(\d+(?:\.\d+)?)$/.exec(part)
    if (!m)
      throw new GuichetError('invalid_input', `Polling tiers: "${part}" should read days=hours, e.g. 2=1.`, { field: 'options.tiers' })
    tiers.push({ upToDay: Number(m[1]), intervalMs: Math.round(Number(m[2]) * HOUR) })
  }
  return tiers
}

export function formatTiers(tiers: readonly Tier[]): string {
  return tiers.map((t) => `${t.upToDay}=${+(t.intervalMs / HOUR).toFixed(2)}`).join(',')
}

/** The account's schedule; throws a typed error for settings that cannot be honoured. */
export function scheduleFromOptions(options: Record<string, unknown> | undefined): ScheduleSettings {
  if (!options) return DEFAULT_SCHEDULE
  const num = (k: string): number | undefined => {
    const v = options[k]
    if (v === undefined || v === null || v === '') return undefined
    const n = typeof v === 'number' ? v : Number(v)
    if (!Number.isFinite(n)) throw new GuichetError('invalid_input', `${k} must be a number of days.`, { field: `options.${k}` })
    return n
  }
  const tiers = typeof options.tiers === 'string' && options.tiers.trim() ? parseTiers(options.tiers) : undefined
  const maxCheckDays = num('maxCheckDays')
  const returnWindowDays = num('returnWindowDays')
  return scheduleSettings({
    ...(tiers ? { tiers } : {}),
    ...(maxCheckDays !== undefined ? { maxCheckDays } : {}),
    ...(returnWindowDays !== undefined ? { returnWindowDays } : {})
  })
}
