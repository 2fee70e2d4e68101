// One in-process carrier for the poller's, the outbox's and the counter's tests and benchmarks.
// Tracking as the poller relies on it: a batch size, sliding-window rate limits enforced like the
// carrier's server (a call over the limit is a 429 for every number in it), a budget() snapshot,
// parcels whose statuses move on simulated time. Writes as the outbox relies on them: remarks and
// return requests remembered, failures scripted call by call, idempotency keys honoured on demand.
// Not used by the app.
import type { CarrierId } from '../../../shared/domain'
import { CarrierError, type Capability, type CarrierAdapter, type NativeEvent, type RateBudget, type TrackResult } from '../types'

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

interface FakeCarrierOptions {
  /** Default 'ecotrack'. */
  carrier?: CarrierId
  /** Default 'default'. */
  account?: string
  /** Default 1. */
  batchSize?: number
  windows?: readonly FakeWindow[]
  /** Default Date.now. */
  now?: () => number
  /** Status steps of a parcel: native status and delay after creation. Default: a 4-step path over 2 days. */
  plan?: readonly { native: string; afterMs: number }[]
  /** false: the carrier cannot list remarks (no `list_remarks` capability, no listRemarks). */
  listRemarks?: boolean
}

/** What the next write does: undefined = accept, an Error = throw it (a function decides at call time). */
type Step = (() => Error | undefined) | Error | undefined

const DEFAULT_PLAN = [
  { native: 'ORDER_CONFIRMED', afterMs: 0 },
  { native: 'PARCEL_PICKEDUP', afterMs: 5 * 3_600_000 },
  { native: 'PARCEL_IN_TRANSIT', afterMs: 20 * 3_600_000 },
  { native: 'WAITING_IN_LOCKER', afterMs: 40 * 3_600_000 }
]

export class FakeCarrier implements CarrierAdapter {
  readonly carrier: CarrierId
  readonly account: string
  readonly capabilities: ReadonlySet<Capability>
  readonly batchSize: number
  /** Every track call, with the numbers it carried and when. */
  readonly trackCalls: Array<{ at: number; numbers: string[] }> = []
  /** Track calls refused with a 429. */
  tooMany = 0
  /** Set to make every track call fail this way (an outage), or null. */
  failWith: CarrierError | null = null
  /** Simulated track latency (ms of real time), to let a test kill a process mid-call. */
  latencyMs = 0
  /** Every write call, as `remark:<key>`, `list:<tracking>`, `return:<key>`. */
  readonly calls: string[] = []
  /** Every remark the carrier accepted, in order. */
  readonly remarks: Array<{ tracking: string; text: string; key: string; at: number; actedAt?: number }> = []
  readonly returns: Array<{ tracking: string; key: string }> = []
  /** What the next writes do, consumed one per call. */
  script: Step[] = []
  blockedUntil: number | null = null
  /** Honour idempotency keys (a repeat with a known key is accepted without a second effect). */
  honoursKeys = false
  /** Called after the carrier accepted a write, before the answer returns (to simulate a crash). */
  afterAccept: (() => Promise<void>) | null = null
  returnAnswer: { accepted: boolean; message: string } = { accepted: true, message: 'Retour demandé avec succès' }
  /** The network to this carrier is cut: every write fails as offline, before the carrier sees it. */
  unreachable = false

  private readonly now: () => number
  private readonly parcels = new Map<string, number>()
  private readonly logs: number[][]
  private readonly heads: number[]
  private readonly windows: readonly FakeWindow[]
  private readonly plan: readonly { native: string; afterMs: number }[]

  constructor(o: FakeCarrierOptions = {}) {
    this.carrier = o.carrier ?? 'ecotrack'
    this.account = o.account ?? 'default'
    this.batchSize = o.batchSize ?? 1
    this.now = o.now ?? Date.now
    this.windows = o.windows ?? []
    this.logs = this.windows.map(() => [])
    this.heads = this.windows.map(() => 0)
    this.plan = o.plan ?? DEFAULT_PLAN
    const caps: Capability[] = ['track_one', 'track_many', 'remark', 'return_request']
    if (o.listRemarks !== false) caps.push('list_remarks')
    else this.listRemarks = undefined
    this.capabilities = new Set(caps)
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
    if (this.windows.length === 0) return { remaining: null, resetsAt: null, blockedUntil: this.blockedUntil }
    const t = this.now()
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
    return { remaining: Math.max(0, remaining), resetsAt, blockedUntil: this.blockedUntil }
  }

  async track(trackingNumbers: string[]): Promise<TrackResult[]> {
    if (trackingNumbers.length > this.batchSize) throw new CarrierError('invalid_input', `At most ${this.batchSize} numbers per call`)
    const t = this.now()
    this.trackCalls.push({ at: t, numbers: [...trackingNumbers] })
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

  private step(): void {
    if (this.unreachable) throw new CarrierError('offline', 'connect ECONNREFUSED 127.0.0.1')
    const s = this.script.shift()
    const e = typeof s === 'function' ? s() : s
    if (e) throw e
  }

  async addRemark(trackingNumber: string, text: string, opts: { idempotencyKey: string }): Promise<void> {
    this.calls.push(`remark:${opts.idempotencyKey}`)
    this.step()
    if (!(this.honoursKeys && this.remarks.some((r) => r.key === opts.idempotencyKey))) {
      const actedAt = (opts as { actedAt?: number }).actedAt
      this.remarks.push({
        tracking: trackingNumber,
        text,
        key: opts.idempotencyKey,
        at: this.now(),
        ...(actedAt !== undefined ? { actedAt } : {})
      })
    }
    if (this.afterAccept) await this.afterAccept()
  }

  listRemarks?: (trackingNumber: string) => Promise<Array<{ text: string; author: string | null; at: number }>> = async (
    trackingNumber
  ) => {
    this.calls.push(`list:${trackingNumber}`)
    this.step()
    return this.remarks.filter((r) => r.tracking === trackingNumber).map((r) => ({ text: `Boutique : ${r.text}`, author: null, at: r.at }))
  }

  async requestReturn(trackingNumber: string, opts: { idempotencyKey: string }): Promise<{ accepted: boolean; message: string }> {
    this.calls.push(`return:${opts.idempotencyKey}`)
    this.step()
    if (this.returnAnswer.accepted && !(this.honoursKeys && this.returns.some((r) => r.key === opts.idempotencyKey))) {
      this.returns.push({ tracking: trackingNumber, key: opts.idempotencyKey })
    }
    if (this.afterAccept) await this.afterAccept()
    return this.returnAnswer
  }
}
