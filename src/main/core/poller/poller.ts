// The background poller: a durable loop over shipments.next_check_at. Each cycle, per carrier
// account and independently of the others, it takes the shipments that are due (oldest first),
// fills the carrier's batch call (ECOTRACK: 100 per call), spends no more than the account's
// rate budget allows, and hands every answer to the status pipeline, which records the check and
// its next time in the same transaction as the events. A restart therefore simply resumes:
// whatever fell due while the app was closed is due now, and is caught up oldest first, a capped
// number of calls per cycle, so there is no thundering herd.
import type { Database } from 'better-sqlite3'
import type { PollerAccountState, PollerState } from '../../../shared/contract/events'
import type { RefreshResult } from '../../../shared/contract/poller'
import { GuichetError } from '../../../shared/result'
import { sharedRedactor, type Logger } from '../../platform/logger'
import { iso, realTimers, type Clock, type Timers } from '../../platform/clock'
import type { EventBus } from '../../platform/events'
import { CarrierError, type CarrierAdapter, type TrackResult } from '../../carriers/types'
import type { StatusPipeline } from '../pipeline/pipeline'
import { ShipmentRefs, type ShipmentRef } from '../shipments/refs'
import { interpretAnswers } from './answers'

export type { RefreshResult }

export interface PollerAccount {
  adapter: CarrierAdapter
}

export interface PollerOptions {
  /** How often the loop looks for due work. */
  tickMs: number
  /** Per account and cycle: catch-up after a restart is spread over cycles, oldest first. */
  maxCallsPerCycle: number
  /** Calls the poller leaves in the budget for the update button. */
  reserveCalls: number
  /** A batch that is not full is topped up with shipments due within this horizon (they would need their own call soon). */
  topUpAheadMs: number
  accountBackoffBaseMs: number
  accountBackoffMaxMs: number
}

const DEFAULT_POLLER_OPTIONS: PollerOptions = {
  tickMs: 60_000,
  maxCallsPerCycle: 120,
  reserveCalls: 2,
  topUpAheadMs: 6 * 60_000,
  accountBackoffBaseMs: 30_000,
  accountBackoffMaxMs: 30 * 60_000
}

export type { Timers }

interface PollerDeps {
  db: Database
  pipeline: StatusPipeline
  clock: Clock
  events: EventBus
  logger: Logger
  /** The configured accounts, read each cycle (accounts can be added while running). */
  accounts(): readonly PollerAccount[]
  timers?: Timers
  options?: Partial<PollerOptions>
  /**
   * Whether this desk may poll the account now (hub-sync: the network's one poller per account
   * holds a lease). Answered from memory, no I/O. Left out: always. The update button is not asked.
   */
  mayPoll?(account: { carrier: string; account: string }): boolean
}

interface CycleReport {
  /** Per account key (carrier/alias): calls made and shipments checked this cycle. */
  accounts: Record<string, { calls: number; checked: number; rateLimited: number }>
}

interface AccountRuntime {
  callsMade: number
  lastError: string | null
  failures: number
  backoffUntil: number
  /** Set by a 429 (or an exhausted budget): manual refreshes wait for it too. */
  rateLimitedUntil: number
  busy: Promise<void> | null
  /** Update-button requests that had to wait for the budget: served before anything else. */
  urgent: Set<number>
}

const keyOf = (a: { carrier: string; account: string }) => `${a.carrier}/${a.account}`

export class Poller {
  private readonly opts: PollerOptions
  private readonly timers: Timers
  private readonly runtime = new Map<string, AccountRuntime>()
  private status: PollerState['state'] = 'stopped'
  private online = true
  private pausedBy = new Set<string>()
  private timer: unknown = null
  private nextRunAt: number | null = null
  private readonly shipments: ShipmentRefs

  constructor(private readonly deps: PollerDeps) {
    this.opts = { ...DEFAULT_POLLER_OPTIONS, ...deps.options }
    this.timers = deps.timers ?? realTimers
    this.shipments = new ShipmentRefs(deps.db)
  }

  // ---- lifecycle -------------------------------------------------------------------------

  /** Starts the loop; the first cycle runs at once (catching up what fell due while closed). */
  start(): void {
    if (this.status !== 'stopped') return
    this.status = this.online ? 'running' : 'offline'
    this.deps.logger.info('poller.started', { state: this.status })
    if (this.status === 'running') this.schedule(0)
    this.emitState()
  }

  stop(): void {
    this.clearTimer()
    this.status = 'stopped'
    this.nextRunAt = null
    this.emitState()
  }

  /** Pauses (system suspend, the user); several reasons can hold it at once. */
  pause(reason = 'user'): void {
    this.pausedBy.add(reason)
    if (this.status === 'stopped') return
    this.clearTimer()
    this.nextRunAt = null
    this.status = 'paused'
    this.emitState()
  }

  /** Lifts one pause reason; with none left, the loop catches up at once. */
  resume(reason = 'user'): void {
    this.pausedBy.delete(reason)
    if (this.status === 'stopped' || this.pausedBy.size > 0) return
    this.status = this.online ? 'running' : 'offline'
    if (this.status === 'running') this.schedule(0)
    this.emitState()
  }

  setOnline(online: boolean): void {
    if (this.online === online) return
    this.online = online
    if (this.status === 'stopped' || this.status === 'paused') return
    if (!online) {
      this.clearTimer()
      this.nextRunAt = null
      this.status = 'offline'
    } else {
      // Back online: backoffs earned while the network was gone say nothing about the carriers
      // (a 429's Retry-After still holds).
      for (const rt of this.runtime.values()) rt.backoffUntil = rt.rateLimitedUntil
      this.status = 'running'
      this.schedule(0)
    }
    this.emitState()
  }

  private clearTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer)
    this.timer = null
  }

  private schedule(ms: number): void {
    this.clearTimer()
    this.nextRunAt = this.deps.clock.now() + ms
    this.timer = this.timers.setTimeout(() => {
      this.timer = null
      if (this.status !== 'running') return
      // The loop never awaits the carriers: a slow account must not hold back the others.
      this.kick()
      this.emitState()
      this.schedule(this.opts.tickMs)
    }, ms)
  }

  // ---- cycles ----------------------------------------------------------------------------

  /** Starts work for every idle account; returns the jobs started (tests and benchmarks await them). */
  private kick(report?: CycleReport): Promise<void>[] {
    const now = this.deps.clock.now()
    const jobs: Promise<void>[] = []
    for (const acc of this.deps.accounts()) {
      // An adapter that cannot track (Swiss Post until its tracking is connected) is not polled:
      // it would only record the same 'unsupported' error every cycle. The update button still asks.
      const caps = acc.adapter.capabilities
      if (!caps.has('track_one') && !caps.has('track_many')) continue
      // Another desk holds this account's lease: its statuses reach this desk through the hub.
      if (this.deps.mayPoll && !this.deps.mayPoll(acc.adapter)) continue
      const rt = this.rt(acc.adapter)
      if (rt.busy) continue
      const job = this.pollAccount(acc.adapter, rt, now, report)
        .catch((e: unknown) => this.deps.logger.error('poller.account_failed', { account: keyOf(acc.adapter), error: e }))
        .finally(() => {
          rt.busy = null
        })
      rt.busy = job
      jobs.push(job)
    }
    return jobs
  }

  /** One cycle, awaited: what the loop does each tick. Used directly by tests and simulations. */
  async runCycle(): Promise<CycleReport> {
    const report: CycleReport = { accounts: {} }
    if (this.status !== 'running' && this.status !== 'stopped') return report
    await Promise.all(this.kick(report))
    this.emitState()
    return report
  }

  private rt(a: { carrier: string; account: string }): AccountRuntime {
    const k = keyOf(a)
    let rt = this.runtime.get(k)
    if (!rt)
      this.runtime.set(
        k,
        (rt = { callsMade: 0, lastError: null, failures: 0, backoffUntil: 0, rateLimitedUntil: 0, busy: null, urgent: new Set() })
      )
    return rt
  }

  /** Calls the budget lets us make now; the reserve is kept for the update button unless `urgent`. */
  private callsAllowed(adapter: CarrierAdapter, now: number, urgent: boolean): { calls: number; retryAfterMs?: number } {
    const b = adapter.budget()
    if (b.blockedUntil !== null && b.blockedUntil > now) return { calls: 0, retryAfterMs: b.blockedUntil - now }
    if (b.remaining === null) return { calls: this.opts.maxCallsPerCycle }
    const spare = urgent ? b.remaining : b.remaining - this.opts.reserveCalls
    if (spare <= 0) return { calls: 0, retryAfterMs: b.resetsAt !== null ? Math.max(0, b.resetsAt - now) : 60_000 }
    return { calls: Math.min(this.opts.maxCallsPerCycle, spare) }
  }

  private async pollAccount(adapter: CarrierAdapter, rt: AccountRuntime, now: number, report?: CycleReport): Promise<void> {
    const stats = { calls: 0, checked: 0, rateLimited: 0 }
    if (report) report.accounts[keyOf(adapter)] = stats
    if (rt.backoffUntil > now) return
    const size = Math.max(1, Math.floor(adapter.batchSize) || 1)

    // Update-button shipments that waited for the budget go first, and may use the reserve.
    if (rt.urgent.size > 0) {
      const allowed = this.callsAllowed(adapter, now, true)
      if (allowed.calls > 0) {
        const ids = [...rt.urgent].slice(0, allowed.calls * size)
        for (const id of ids) rt.urgent.delete(id)
        const rows = ids.map((id) => this.shipments.get(id)).filter((r) => r !== null)
        await this.checkRows(adapter, rt, rows, 'manual', size, stats)
      }
    }

    const allowed = this.callsAllowed(adapter, this.deps.clock.now(), false)
    if (allowed.calls <= 0) return
    const due = this.shipments.due(adapter.carrier, adapter.account, now, allowed.calls * size)
    if (due.length === 0) return
    const partial = due.length % size
    if (size > 1 && partial !== 0 && due.length < allowed.calls * size) {
      // The last call has room: fill it with what would need its own call within minutes.
      due.push(...this.shipments.dueSoon(adapter.carrier, adapter.account, now, now + this.opts.topUpAheadMs, size - partial))
    }
    await this.checkRows(adapter, rt, due, 'poll', size, stats)
  }

  /** Tracks rows in batch-size calls through the adapter and applies each answer in one transaction. */
  private async checkRows(
    adapter: CarrierAdapter,
    rt: AccountRuntime,
    rows: ShipmentRef[],
    source: 'poll' | 'manual',
    size: number,
    stats: { calls: number; checked: number; rateLimited: number },
    outcome?: { refreshed: number[]; changed: number[]; failed: RefreshResult['failed']; left: number[] }
  ): Promise<void> {
    for (let i = 0; i < rows.length; i += size) {
      const chunk = rows.slice(i, i + size)
      if (i > 0 && this.callsAllowed(adapter, this.deps.clock.now(), source === 'manual').calls <= 0) {
        outcome?.left.push(...rows.slice(i).map((r) => r.id))
        return
      }
      let results: TrackResult[]
      rt.callsMade++
      stats.calls++
      try {
        results = await adapter.track(chunk.map((r) => r.trackingNumber))
      } catch (e) {
        // Adapters should answer per number, but one that throws fails the whole call.
        const err =
          e instanceof CarrierError
            ? e
            : new CarrierError(
                e instanceof GuichetError && e.code === 'rate_limited' ? 'rate_limited' : 'carrier_error',
                'The carrier adapter failed unexpectedly.',
                {
                  retryAfterMs: e instanceof GuichetError ? e.retryAfterMs : undefined
                }
              )
        if (!(e instanceof CarrierError)) this.deps.logger.error('poller.adapter_threw', { account: keyOf(adapter), error: e })
        results = chunk.map((r) => ({ trackingNumber: r.trackingNumber, ok: false as const, error: err }))
      }
      const { updates, checks, rateLimited, accountError } = interpretAnswers(chunk, results)
      const now = this.deps.clock.now()
      if (rateLimited) {
        stats.rateLimited++
        rt.backoffUntil = now + (rateLimited.retryAfterMs ?? 60_000)
        rt.rateLimitedUntil = rt.backoffUntil
        rt.lastError = sharedRedactor.text(rateLimited.message)
      }
      if (checks.length > 0 || updates.length > 0) {
        const applied = this.deps.pipeline.apply({ source, updates, checks })
        stats.checked += checks.length
        if (outcome) {
          const changed = new Set(applied.changed)
          for (const c of checks) {
            if (c.ok) {
              outcome.refreshed.push(c.shipmentId)
              if (changed.has(c.shipmentId)) outcome.changed.push(c.shipmentId)
            } else outcome.failed.push({ id: c.shipmentId, code: c.error?.code ?? 'carrier_error', message: c.error?.message ?? '' })
          }
        }
      }
      if (accountError) {
        rt.failures++
        rt.lastError = sharedRedactor.text(accountError)
        rt.backoffUntil = Math.max(
          rt.backoffUntil,
          now + Math.min(this.opts.accountBackoffBaseMs * 2 ** Math.min(rt.failures - 1, 20), this.opts.accountBackoffMaxMs)
        )
        this.deps.logger.warn('poller.account_backoff', { account: keyOf(adapter), failures: rt.failures, until: iso(rt.backoffUntil) })
      } else if (!rateLimited) {
        rt.failures = 0
        rt.lastError = null
      }
      if (rateLimited || accountError) {
        // The numbers a 429 refused were not checked: they stay due (or first in line), as do the
        // chunks not sent yet.
        const checked = new Set(checks.map((c) => c.shipmentId))
        const notSent = rows.slice(i + size).map((r) => r.id)
        outcome?.left.push(...chunk.filter((r) => !checked.has(r.id)).map((r) => r.id))
        if (rateLimited) outcome?.left.push(...notSent)
        else outcome?.failed.push(...notSent.map((id) => ({ id, code: 'carrier_error', message: sharedRedactor.text(accountError!) })))
        return
      }
    }
  }

  // ---- refresh now -----------------------------------------------------------------------

  /**
   * The update button, for one shipment or a selection, at any age (even past the max check
   * period or in a final state). Goes out at once, ahead of the queue, but within the rate budget;
   * what the budget does not allow yet is first in line and the answer says how long to wait.
   */
  async refresh(ids: readonly number[]): Promise<RefreshResult> {
    const result: RefreshResult = { refreshed: [], changed: [], failed: [], waiting: [], notFound: [] }
    const accounts = new Map(this.deps.accounts().map((a) => [keyOf(a.adapter), a.adapter]))
    const groups = new Map<string, ShipmentRef[]>()
    for (const id of new Set(ids)) {
      const row = this.shipments.get(id)
      if (!row) {
        result.notFound.push(id)
        continue
      }
      const k = keyOf(row)
      const g = groups.get(k)
      if (g) g.push(row)
      else groups.set(k, [row])
    }
    const now = this.deps.clock.now()
    await Promise.all(
      [...groups].map(async ([k, rows]) => {
        const adapter = accounts.get(k)
        const first = rows[0]!
        if (!adapter) {
          for (const r of rows) {
            result.failed.push({
              id: r.id,
              code: 'unsupported',
              message: `No ${first.carrier} account "${first.account}" is configured on this desk.`
            })
          }
          return
        }
        const rt = this.rt(adapter)
        const wait = (ids: number[], reason: RefreshResult['waiting'][number]['reason'], retryAfterMs?: number) => {
          if (ids.length === 0) return
          for (const id of ids) rt.urgent.add(id)
          const w: RefreshResult['waiting'][number] = { ids, carrier: first.carrier, account: first.account, reason }
          if (retryAfterMs !== undefined) w.retryAfterMs = retryAfterMs
          result.waiting.push(w)
        }
        // Even when the desk believes it is offline the button tries: the belief may be stale, and a
        // carrier's answer is what brings the desk back online.
        const allowed = this.callsAllowed(adapter, now, true)
        if (allowed.calls <= 0 || rt.rateLimitedUntil > now) {
          return wait(
            rows.map((r) => r.id),
            'rate_limit',
            Math.max(allowed.retryAfterMs ?? 0, rt.rateLimitedUntil - now)
          )
        }
        const size = Math.max(1, Math.floor(adapter.batchSize) || 1)
        const failed: RefreshResult['failed'] = []
        const outcome = { refreshed: result.refreshed, changed: result.changed, failed, left: [] as number[] }
        await this.checkRows(adapter, rt, rows, 'manual', size, { calls: 0, checked: 0, rateLimited: 0 }, outcome)
        // No network: those wait for it, first in line, rather than count as the carrier's failure.
        result.failed.push(...failed.filter((f) => f.code !== 'offline'))
        wait(
          failed.filter((f) => f.code === 'offline').map((f) => f.id),
          'offline'
        )
        if (outcome.left.length > 0) {
          const later = this.callsAllowed(adapter, this.deps.clock.now(), true)
          wait(outcome.left, 'rate_limit', Math.max(later.retryAfterMs ?? 0, rt.rateLimitedUntil - this.deps.clock.now(), 0))
        }
      })
    )
    this.emitState()
    return result
  }

  // ---- state for the UI -----------------------------------------------------------------

  state(): PollerState {
    const now = this.deps.clock.now()
    const accounts: PollerAccountState[] = this.deps.accounts().map(({ adapter }) => {
      const rt = this.rt(adapter)
      const b = adapter.budget()
      return {
        carrier: adapter.carrier,
        account: adapter.account,
        callsMade: rt.callsMade,
        budgetLeft: b.remaining,
        budgetResetsAt: iso(b.resetsAt),
        lastError: rt.lastError,
        backoffUntil:
          rt.backoffUntil > now ? iso(rt.backoffUntil) : b.blockedUntil !== null && b.blockedUntil > now ? iso(b.blockedUntil) : null
      }
    })
    const due = this.shipments.countDue(now)
    return { state: this.status, nextRunAt: iso(this.nextRunAt), due, accounts }
  }

  private emitState(): void {
    try {
      this.deps.events.emit('poller.state', this.state())
    } catch (e) {
      this.deps.logger.warn('poller.state_failed', { error: e })
    }
  }
}
