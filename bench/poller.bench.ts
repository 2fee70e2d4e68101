// A simulated week of background polling: ~20,000 active shipments across three carrier accounts
// (ECOTRACK-like: batches of 100, 50/min 1500/h 15000/day; Express Relais-like: batches of 50;
// a per-shipment carrier: 1000/min), a daily import of ~1,333 new orders at 09:00, one cycle per
// simulated minute, the real Poller + StatusPipeline + SQLite. Then the same week with naive
// per-shipment polling (one call per shipment when due, no batching, no budget; a 429 is retried
// after its Retry-After) for comparison.
//   calls_over_floor: calls made / sum over (account, cycle) of ceil(shipments checked / batch)
//   rate_limited:     429s served by the carriers
//   late_pct:         % of check gaps longer than the tier interval (at the previous check) + 5%,
//                     counting a check that never came before the end of the week as late
import { loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { StatusPipeline } from '../src/main/core/pipeline/pipeline'
import { memoryStore, mappingForAll } from '../src/main/core/pipeline/pipeline.testkit'
import { ECOTRACK_LIKE, FakeCarrier, type FakeWindow } from '../src/main/carriers/testing/fake-carrier.testkit'
import { Poller } from '../src/main/core/poller/poller'
import { ageInDays, DEFAULT_SCHEDULE, firstCheckAt, jitterUnit, tierInterval } from '../src/main/core/schedule/schedule'
import { DAY, ManualClock } from '../src/main/platform/clock'
import { EventBus } from '../src/main/platform/events'
import { silentLogger } from '../src/main/platform/logger'
import type { CarrierId } from '../src/shared/domain'
import type { TrackResult } from '../src/main/carriers/types'
import type { Figure } from './run'

const MINUTE = 60_000
// POLLER_BENCH_DAYS shortens the simulation while profiling; the figures are for 7 days.
const WEEK_MINUTES = Number(process.env.POLLER_BENCH_DAYS ?? 7) * 24 * 60
const START = Date.UTC(2026, 10, 2, 9, 0, 0) // a Monday, 09:00 UTC
const MAX_DAYS = DEFAULT_SCHEDULE.maxCheckDays

interface CarrierSpec {
  carrier: CarrierId
  batchSize: number
  windows: readonly FakeWindow[]
  /** Orders imported per day. */
  perDay: number
}

const SPECS: CarrierSpec[] = [
  { carrier: 'ecotrack', batchSize: ECOTRACK_LIKE.batchSize, windows: ECOTRACK_LIKE.windows, perDay: 534 },
  { carrier: 'express-relais', batchSize: 50, windows: [{ limit: 60, windowMs: MINUTE }], perDay: 400 },
  { carrier: 'sendcloud', batchSize: 1, windows: [{ limit: 1000, windowMs: MINUTE }], perDay: 400 }
]

interface Parcel {
  tn: string
  createdAt: number
}

/** The population: one import a day at 09:00, for the 15 days before the week and during it. */
function population(): Map<CarrierId, Parcel[][]> {
  const byCarrier = new Map<CarrierId, Parcel[][]>()
  for (const spec of SPECS) {
    const days: Parcel[][] = []
    for (let d = -MAX_DAYS; d < 7; d++) {
      const createdAt = START + d * DAY
      const day: Parcel[] = []
      for (let i = 0; i < spec.perDay; i++)
        day.push({ tn: `${spec.carrier.slice(0, 2).toUpperCase()}${d + 100}${String(i).padStart(5, '0')}`, createdAt })
      days.push(day)
    }
    byCarrier.set(spec.carrier, days)
  }
  return byCarrier
}

/** Where a shipment already in the store at the start of the week stands in its rhythm (steady state). */
const steadyNext = (tn: string, createdAt: number): number | null => {
  const iv = tierInterval(ageInDays(createdAt, START), DEFAULT_SCHEDULE)
  return iv === null ? null : START + Math.floor(jitterUnit(tn, 7) * iv)
}

/** Records every successful check per tracking number, by wrapping the adapter. */
function recordChecks(fake: FakeCarrier, now: () => number, log: Map<string, number[]>): void {
  const track = fake.track.bind(fake)
  fake.track = async (numbers: string[]): Promise<TrackResult[]> => {
    const res = await track(numbers)
    const t = now()
    for (const r of res) {
      if (!r.ok) continue
      const l = log.get(r.trackingNumber)
      if (l) l.push(t)
      else log.set(r.trackingNumber, [t])
    }
    return res
  }
}

/** late_pct over every shipment active during the week. */
function lateness(parcels: Map<CarrierId, Parcel[][]>, checks: Map<string, number[]>, end: number): { late: number; gaps: number } {
  let late = 0
  let gaps = 0
  for (const days of parcels.values()) {
    for (const day of days) {
      for (const p of day) {
        if (p.createdAt + (MAX_DAYS + 1) * DAY <= START) continue
        const times = checks.get(p.tn) ?? []
        // The first gap: from the start of the week (or creation) to the first check.
        // Steady-state shipments are due within one interval of the start of the week.
        let prev = Math.max(p.createdAt, START)
        let prevInterval = tierInterval(ageInDays(p.createdAt, prev), DEFAULT_SCHEDULE)
        for (const t of [...times, end]) {
          if (prevInterval === null) break
          const allowed = prevInterval * 1.05
          if (t === end) {
            if (end - prev > allowed) {
              late++
              gaps++
            }
            break
          }
          gaps++
          if (t - prev > allowed) late++
          prev = t
          prevInterval = tierInterval(ageInDays(p.createdAt, t), DEFAULT_SCHEDULE)
        }
      }
    }
  }
  return { late, gaps }
}

async function runPoller(parcels: Map<CarrierId, Parcel[][]>): Promise<Figure[]> {
  const clock = new ManualClock(START)
  const { db, repo } = memoryStore()
  const events = new EventBus()
  const pipeline = new StatusPipeline({ db, clock, events, logger: silentLogger, mappingFor: mappingForAll() })
  const checks = new Map<string, number[]>()
  const fakes = SPECS.map((s) => {
    const f = new FakeCarrier({ carrier: s.carrier, batchSize: s.batchSize, windows: s.windows, now: () => clock.now() })
    recordChecks(f, () => clock.now(), checks)
    return f
  })
  const accounts = fakes.map((adapter) => ({ adapter }))
  const poller = new Poller({ db, pipeline, clock, events, logger: silentLogger, accounts: () => accounts })

  const importDay = (dayIndex: number, steady: boolean) => {
    db.transaction(() => {
      SPECS.forEach((s, k) => {
        for (const p of parcels.get(s.carrier)![dayIndex]!) {
          fakes[k]!.addParcel(p.tn, p.createdAt)
          const next = steady ? steadyNext(p.tn, p.createdAt) : firstCheckAt(p.tn, p.createdAt)
          repo.insert({ carrier: s.carrier, trackingNumber: p.tn, recipientName: 'R', createdAt: p.createdAt, nextCheckAt: next })
        }
      })
    })()
  }
  for (let d = 0; d < MAX_DAYS; d++) importDay(d, true)
  const active = (db.prepare('SELECT count(*) AS n FROM shipments WHERE next_check_at IS NOT NULL').get() as { n: number }).n

  let calls = 0
  let floor = 0
  let maxActive = active
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  for (let m = 0; m < WEEK_MINUTES; m++) {
    clock.set(START + m * MINUTE)
    if (m % (24 * 60) === 0) {
      importDay(MAX_DAYS + m / (24 * 60), false)
      maxActive = Math.max(
        maxActive,
        (db.prepare('SELECT count(*) AS n FROM shipments WHERE next_check_at IS NOT NULL').get() as { n: number }).n
      )
    }
    const r = await poller.runCycle()
    SPECS.forEach((s) => {
      const a = r.accounts[`${s.carrier}/default`]
      if (!a) return
      calls += a.calls
      floor += Math.ceil(a.checked / s.batchSize)
    })
  }
  const simMs = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const end = START + WEEK_MINUTES * MINUTE
  const { late, gaps } = lateness(parcels, checks, end)
  const tooMany = fakes.reduce((n, f) => n + f.tooMany, 0)
  const checked = [...checks.values()].reduce((n, l) => n + l.length, 0)
  db.close()
  return [
    { metric: 'active_shipments', value: maxActive, unit: 'shipments' },
    { metric: 'calls_over_floor', value: floor === 0 ? 0 : calls / floor, unit: 'ratio', goal: '1.00 +- 0.02' },
    { metric: 'rate_limited', value: tooMany, unit: '429s', goal: '0' },
    { metric: 'late_pct', value: gaps === 0 ? 0 : (100 * late) / gaps, unit: '%', goal: '0 (none later than tier + 5%)' },
    { metric: 'calls_week', value: calls, unit: 'calls' },
    { metric: 'checks_week', value: checked, unit: 'checks' },
    { metric: 'sim_week_s', value: simMs / 1000, unit: 's' },
    // CPU time of the simulated week: independent of how busy the shared machine is.
    { metric: 'sim_week_cpu_s', value: (cpu.user + cpu.system) / 1e6, unit: 's' }
  ]
}

/** The same week, one call per shipment whenever it is due, retried after Retry-After on a 429. */
async function runNaive(parcels: Map<CarrierId, Parcel[][]>): Promise<Figure[]> {
  let now = START
  const checks = new Map<string, number[]>()
  const fakes = SPECS.map((s) => {
    const f = new FakeCarrier({ carrier: s.carrier, batchSize: s.batchSize, windows: s.windows, now: () => now })
    recordChecks(f, () => now, checks)
    return f
  })
  const buckets = new Map<number, Array<{ k: number; p: Parcel }>>()
  const put = (minute: number, k: number, p: Parcel) => {
    const b = buckets.get(minute)
    if (b) b.push({ k, p })
    else buckets.set(minute, [{ k, p }])
  }
  const minuteOf = (t: number) => Math.ceil((t - START) / MINUTE)
  const importDay = (dayIndex: number, steady: boolean) => {
    SPECS.forEach((s, k) => {
      for (const p of parcels.get(s.carrier)![dayIndex]!) {
        fakes[k]!.addParcel(p.tn, p.createdAt)
        const next = steady ? steadyNext(p.tn, p.createdAt) : p.createdAt
        if (next !== null) put(Math.max(0, minuteOf(next)), k, p)
      }
    })
  }
  for (let d = 0; d < MAX_DAYS; d++) importDay(d, true)
  let calls = 0
  let floor = 0
  for (let m = 0; m < WEEK_MINUTES; m++) {
    now = START + m * MINUTE
    if (m % (24 * 60) === 0) importDay(MAX_DAYS + m / (24 * 60), false)
    const due = buckets.get(m) ?? []
    buckets.delete(m)
    const refreshed = SPECS.map(() => 0)
    for (const { k, p } of due) {
      const [r] = await fakes[k]!.track([p.tn])
      calls++
      if (!r!.ok) {
        // A polite naive poller: it honours Retry-After, per shipment.
        put(m + Math.max(1, Math.ceil((r!.error.retryAfterMs ?? MINUTE) / MINUTE)), k, p)
        continue
      }
      refreshed[k]!++
      const iv = tierInterval(ageInDays(p.createdAt, now), DEFAULT_SCHEDULE)
      if (iv !== null) put(m + Math.ceil(iv / MINUTE), k, p)
    }
    SPECS.forEach((s, k) => (floor += Math.ceil(refreshed[k]! / s.batchSize)))
  }
  const end = START + WEEK_MINUTES * MINUTE
  const { late, gaps } = lateness(parcels, checks, end)
  return [
    { metric: 'naive.calls_over_floor', value: floor === 0 ? 0 : calls / floor, unit: 'ratio' },
    { metric: 'naive.rate_limited', value: fakes.reduce((n, f) => n + f.tooMany, 0), unit: '429s' },
    { metric: 'naive.late_pct', value: gaps === 0 ? 0 : (100 * late) / gaps, unit: '%' },
    { metric: 'naive.calls_week', value: calls, unit: 'calls' }
  ]
}

export default async (): Promise<Figure[]> => {
  const parcels = population()
  const figures = await runPoller(parcels)
  // The naive run meets about a million 429s; their stack traces would dominate its run time.
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    figures.push(...(await runNaive(parcels)))
  } finally {
    Error.stackTraceLimit = limit
  }
  figures.push({ metric: 'load_avg_1m', value: loadavg()[0]!, unit: 'load' })
  return figures
}
