// An in-process carrier for poller tests and benchmarks, faithful to what the poller relies on:
// a batch size, sliding-window rate limits enforced like the carrier's server (a call over the
// limit is a 429 for every number in it), a budget() snapshot, and parcels whose statuses move on
// simulated time. Not used by the app.
import type { CarrierId } from '../../../shared/domain'
import {
  CarrierError,
  type Capability,
  type CarrierAdapter,
  type NativeEvent,
  type RateBudget,
  type TrackResult
} from '../../carriers/types'

export interface FakeWindow {
  limit: number
  windowMs: number
}

/** ECOTRACK's documented limits (CONTRACTS.md 1.4) and batch size. */
export const ECOTRACK_LIKE = {
  batchSize: 100,
  windows: [
    { limit: 50, windowMs: 60_000 },
    { limit: 1500, windowMs: 3_600_000 },
    { limit: 15_000, windowMs: 86_400_000 }
  ]
}

export interface FakeCarrierOptions {
  carrier: CarrierId
  account?: string
  batchSize: number
  windows?: readonly FakeWindow[]
  now(): number
  /** Status steps of a parcel: native status and delay after creation. Default: a 4-step path over 2 days. */
  plan?: readonly { native: string; afterMs: number }[]
}

const DEFAULT_PLAN = [
  { native: 'ORDER_CONFIRMED', afterMs: 0 },
  { native: 'PARCEL_PICKEDUP', afterMs: 5 * 3_600_000 },
  { native: 'PARCEL_IN_TRANSIT', afterMs: 20 * 3_600_000 },
  { native: 'WAITING_IN_LOCKER', afterMs: 40 * 3_600_000 }
]

export class FakeCarrier implements CarrierAdapter {
  readonly carrier: CarrierId
  readonly account: string
  readonly capabilities: ReadonlySet<Capability> = new Set<Capability>(['track_one', 'track_many'])
  readonly batchSize: number
  /** Every call, with the numbers it carried and when. */
  readonly calls: Array<{ at: number; numbers: string[] }> = []
  tooMany = 0
  /** Set to make every call fail this way (an outage), or null. */
  failWith: CarrierError | null = null
  /** Simulated call latency (ms of real time), to let a test kill a process mid-call. */
  latencyMs = 0
  private readonly parcels = new Map<string, number>()
  private readonly logs: number[][]
  private readonly heads: number[]
  private readonly windows: readonly FakeWindow[]
  private readonly plan: readonly { native: string; afterMs: number }[]

  constructor(private readonly o: FakeCarrierOptions) {
    this.carrier = o.carrier
    this.account = o.account ?? 'default'
    this.batchSize = o.batchSize
    this.windows = o.windows ?? []
    this.logs = this.windows.map(() => [])
    this.heads = this.windows.map(() => 0)
    this.plan = o.plan ?? DEFAULT_PLAN
  }

  addParcel(trackingNumber: string, createdAt: number): void {
    this.parcels.set(trackingNumber, createdAt)
  }

  /** The events a parcel has at time t (what a perfect observer would have stored). */
  eventsAt(trackingNumber: string, t: number): NativeEvent[] {
    const created = this.parcels.get(trackingNumber)
    if (created === undefined) return []
    return this.plan
      .filter((s) => created + s.afterMs <= t)
      .map((s) => ({ at: created + s.afterMs, nativeStatus: s.native, dedupeKey: `${s.native}@${created + s.afterMs}` }))
  }

  /** Drops calls older than the window; a head index keeps this O(1) amortised over a simulated week. */
  private prune(i: number, t: number): number[] {
    const log = this.logs[i]!
    const w = this.windows[i]!
    let head = this.heads[i]!
    while (head < log.length && log[head]! <= t - w.windowMs) head++
    if (head > 4096 && head * 2 > log.length) {
      log.splice(0, head)
      head = 0
    }
    this.heads[i] = head
    return log
  }

  private inWindow(i: number, t: number): number {
    return this.prune(i, t).length - this.heads[i]!
  }

  budget(): RateBudget {
    if (this.windows.length === 0) return { remaining: null, resetsAt: null, blockedUntil: null }
    const t = this.o.now()
    let remaining = Infinity
    let resetsAt: number | null = null
    this.windows.forEach((w, i) => {
      const used = this.inWindow(i, t)
      const left = w.limit - used
      if (left < remaining) {
        remaining = left
        resetsAt = used > 0 ? this.logs[i]![this.heads[i]!]! + w.windowMs : t + w.windowMs
      }
    })
    return { remaining: Math.max(0, remaining), resetsAt, blockedUntil: null }
  }

  async track(trackingNumbers: string[]): Promise<TrackResult[]> {
    if (trackingNumbers.length > this.batchSize) throw new CarrierError('invalid_input', `At most ${this.batchSize} numbers per call`)
    const t = this.o.now()
    this.calls.push({ at: t, numbers: [...trackingNumbers] })
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs))
    const full = this.windows.findIndex((w, i) => this.inWindow(i, t) >= w.limit)
    if (full >= 0) {
      this.tooMany++
      const retryAfterMs = this.logs[full]![this.heads[full]!]! + this.windows[full]!.windowMs - t
      const err = new CarrierError('rate_limited', 'Too Many Attempts.', { retryable: true, retryAfterMs, httpStatus: 429 })
      return trackingNumbers.map((n) => ({ trackingNumber: n, ok: false, error: err }))
    }
    this.logs.forEach((log) => log.push(t))
    if (this.failWith) return trackingNumbers.map((n) => ({ trackingNumber: n, ok: false, error: this.failWith! }))
    return trackingNumbers.map((n): TrackResult => {
      if (!this.parcels.has(n))
        return { trackingNumber: n, ok: false, error: new CarrierError('not_found', `Unknown tracking number ${n}`) }
      // Like ECOTRACK's status filter: only the current status comes back.
      const events = this.eventsAt(n, t)
      const current = events[events.length - 1]
      return current ? { trackingNumber: n, ok: true, events: [], current } : { trackingNumber: n, ok: true, events: [] }
    })
  }
}
