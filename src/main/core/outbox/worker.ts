import { CARRIER_NAMES, type CarrierId } from '../../../shared/domain'
import { GuichetError } from '../../../shared/result'
import type { CarrierAdapter } from '../../carriers/types'
import type { ConnectivityMonitor } from '../connectivity/monitor'
import type { Clock } from '../../platform/clock'
import type { Logger } from '../../platform/logger'
import { classify, DEFAULT_BACKOFF, nextDelay, type BackoffPolicy } from './backoff'
import { durably, type OutboxStore, type StoredError } from './store'
import { BAD_PAYLOAD, parsePayload, type AnyOutboxKind, type OutboxRow } from './types'

/** The kinds the worker knows; later work registers its own (orders, cancellations, hand-overs). */
export class OutboxKinds {
  private readonly m = new Map<string, AnyOutboxKind>()
  constructor(kinds: readonly AnyOutboxKind[] = []) {
    for (const k of kinds) this.register(k)
  }
  register(kind: AnyOutboxKind): void {
    if (this.m.has(kind.kind)) throw new Error(`Outbox kind "${kind.kind}" is registered twice`)
    this.m.set(kind.kind, kind)
  }
  get(kind: string): AnyOutboxKind | undefined {
    return this.m.get(kind)
  }
}

export type AdapterFor = (carrier: CarrierId, account: string) => CarrierAdapter | null | undefined

interface OutboxWorkerOptions {
  store: OutboxStore
  kinds: OutboxKinds
  clock: Clock
  logger: Logger
  /** Builds (or looks up) the adapter for an account; null while the account is not configured. */
  adapterFor: AdapterFor
  connectivity?: ConnectivityMonitor
  policy?: BackoffPolicy
  random?: () => number
  /** Called after rows changed state (sent, failed, retried), for the UI's events. */
  onChange?: (rows: OutboxRow[]) => void
  /** How long a row waits when its account is not configured (ms). */
  noAccountRetryMs?: number
  /** Longest sleep between runs while rows wait (ms): also how soon a wrong clock heals. */
  maxSleepMs?: number
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
}

/** What one send did: sent, to be retried later, stopped for the clerk, unreadable, or not tried. */
export type SendOutcome = 'sent' | 'retried' | 'failed' | 'unreadable' | 'skipped'

interface RunReport {
  sent: number
  retried: number
  failed: number
  reconciled: number
}

/**
 * Sends due outbox rows, one at a time per run, exactly once:
 *  1. the row is claimed (pending -> inflight) and that is on disk (synchronous=FULL) BEFORE the call;
 *  2. the carrier is called with the row's idempotency key;
 *  3. the answer is recorded (sent / retry later / failed) in one durable transaction with the
 *     local record's change (remark state...).
 * A crash between 2 and 3 leaves the row inflight. The next process finds it and never sends it
 * blindly: the kind reconciles with the carrier (is our remark in its list?), or, when a second
 * send is harmless (repeat-safe kinds, carriers honouring the key), sends again; otherwise the row
 * stops for the clerk. Runs never overlap, so every inflight row seen at the start of a run was
 * left by a previous process.
 */
export class OutboxWorker {
  private running: Promise<RunReport> | null = null
  /** Runs and sendNow calls, one after the other: never two sends of this worker at once. */
  private tail: Promise<unknown> = Promise.resolve()
  private again = false
  private timer: unknown = null
  private started = false
  private readonly policy: BackoffPolicy
  private readonly random: () => number
  private readonly setTimer: (fn: () => void, ms: number) => unknown
  private readonly clearTimer: (handle: unknown) => void
  private unsubscribe: (() => void) | null = null

  constructor(private readonly o: OutboxWorkerOptions) {
    this.policy = o.policy ?? DEFAULT_BACKOFF
    this.random = o.random ?? Math.random
    this.setTimer = o.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref())
    this.clearTimer = o.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout))
  }

  /** Starts sending in the background; back online (connectivity) wakes it at once. */
  start(): void {
    if (this.started) return
    this.started = true
    this.unsubscribe =
      this.o.connectivity?.onChange((s) => {
        if (s.online) this.kick()
      }) ?? null
    this.kick()
  }

  stop(): void {
    this.started = false
    if (this.timer !== null) this.clearTimer(this.timer)
    this.timer = null
    this.unsubscribe?.()
    this.unsubscribe = null
  }

  /** Something new to send (a clerk's action, a resend): run soon. */
  kick(): void {
    if (!this.started) return
    this.schedule(0)
  }

  /** Settles when the current run (if any) is over; for an orderly shutdown. */
  async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined)
    await this.tail
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn)
    this.tail = run.catch(() => undefined)
    return run
  }

  /**
   * Sends one row now, for a clerk who waits for the carrier's answer (a shipment to a point needs
   * its tracking number on screen). Same path as a run (claimed durably first, recorded after) and
   * never alongside one, so a crash in the middle is reconciled like any other row.
   */
  sendNow(id: number): Promise<{ outcome: SendOutcome; error: unknown }> {
    return this.exclusive(async () => {
      const row = this.o.store.get(id)
      if (!row || row.state !== 'pending') return { outcome: 'skipped' as const, error: null }
      let error: unknown = null
      const outcome = await this.sendOne(row, new Set(), '', (e) => (error = e))
      const after = this.o.store.get(id)
      if (after) this.o.onChange?.([after])
      return { outcome, error }
    })
  }

  /** One pass: reconcile rows a crash left inflight, then send what is due. Never overlaps itself. */
  runOnce(): Promise<RunReport> {
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = this.exclusive(() => this.pass()).finally(() => {
      this.running = null
      if (this.again) {
        this.again = false
        this.schedule(0)
      } else this.scheduleNext()
    })
    return this.running
  }

  private schedule(ms: number): void {
    if (!this.started) return
    if (this.timer !== null) this.clearTimer(this.timer)
    this.timer = this.setTimer(() => {
      this.timer = null
      this.runOnce().catch((e: unknown) => this.o.logger.error('outbox.run_failed', { error: e }))
    }, ms)
  }

  private scheduleNext(): void {
    if (!this.started) return
    // Pending rows and inflight ones awaiting a reconcile both carry their next time.
    const next = this.o.store.nextDueAt()
    if (next === null) {
      if (this.timer !== null) this.clearTimer(this.timer)
      this.timer = null
      return
    }
    this.schedule(Math.min(this.o.maxSleepMs ?? 60_000, Math.max(250, next - this.o.clock.now())))
  }

  private async pass(): Promise<RunReport> {
    const report: RunReport = { sent: 0, retried: 0, failed: 0, reconciled: 0 }
    const changed: OutboxRow[] = []
    for (const row of this.o.store.inflightDue(this.o.clock.now())) {
      const r = await this.reconcile(row)
      if (r) {
        report.reconciled++
        changed.push(r)
      }
    }
    const blocked = new Set<string>()
    let networkTries = 0
    for (const row of this.o.store.due(this.o.clock.now())) {
      const account = `${row.carrier}\u0000${row.account}`
      if (blocked.has(account)) continue
      // Offline: one try per run is the probe; the rest wait for the answer.
      if (this.o.connectivity && !this.o.connectivity.isOnline() && networkTries >= 1) break
      const outcome = await this.sendOne(row, blocked, account)
      if (outcome === 'skipped') continue
      if (outcome === 'unreadable') report.failed++
      else {
        networkTries++
        report[outcome]++
      }
      const after = this.o.store.get(row.id)
      if (after) changed.push(after)
    }
    if (changed.length > 0) this.o.onChange?.(changed)
    return report
  }

  private noAccount(row: OutboxRow): StoredError {
    const name = CARRIER_NAMES[row.carrier] ?? row.carrier
    return {
      code: 'unauthorized',
      message: `No ${name} account "${row.account}" is configured here; this waits until one is.`,
      params: { reason: 'no_account', account: row.account }
    }
  }

  private async sendOne(row: OutboxRow, blocked: Set<string>, account: string, onError?: (e: unknown) => void): Promise<SendOutcome> {
    const { store, clock, logger } = this.o
    const db = store.db
    const kind = this.o.kinds.get(row.kind)
    if (!kind) {
      // Written by code that is not loaded (a feature switched off): keep it, look again later.
      durably(db, () =>
        store.retryLater(
          row.id,
          clock.now() + (this.o.noAccountRetryMs ?? 300_000),
          { code: 'unsupported', message: `Guichet cannot send "${row.kind}" writes yet.`, params: { reason: 'kind_unknown' } },
          clock.now()
        )
      )
      return 'skipped'
    }
    const parsed = parsePayload(kind, row.payload)
    if (!parsed.ok) {
      // Sending cannot help: stopped for the clerk with a code the UI words, hooks left alone.
      durably(db, () => store.markFailed(row.id, { code: BAD_PAYLOAD, message: parsed.message }, clock.now()))
      logger.warn('outbox.bad_payload', { id: row.id, kind: row.kind, carrier: row.carrier, message: parsed.message })
      return 'unreadable'
    }
    const payload: unknown = parsed.value
    const adapter = this.adapter(row)
    if (!adapter) {
      blocked.add(account)
      durably(db, () => store.retryLater(row.id, clock.now() + (this.o.noAccountRetryMs ?? 300_000), this.noAccount(row), clock.now()))
      return 'skipped'
    }
    const blockedUntil = safeBudget(adapter)
    if (blockedUntil !== null && blockedUntil > clock.now()) {
      // The account is cooling down after a 429: wait for it without spending an attempt.
      blocked.add(account)
      durably(db, () =>
        store.retryLater(
          row.id,
          blockedUntil,
          { code: 'rate_limited', message: "Waiting for the carrier's rate limit to reset.", params: { reason: 'rate_limit_wait' } },
          clock.now()
        )
      )
      return 'skipped'
    }
    const claimed = durably(db, () => store.claim(row.id, clock.now()))
    if (!claimed) return 'skipped'
    const claimedRow = store.get(row.id)!
    try {
      const result = await kind.send({ adapter, db, row: claimedRow, payload, actedAt: claimedRow.actedAt })
      this.o.connectivity?.reportSuccess()
      durably(db, () => {
        if (store.markSent(row.id, result, clock.now())) kind.onSent?.(db, claimedRow, payload, result)
      })
      logger.info('outbox.sent', { id: row.id, kind: row.kind, carrier: row.carrier, attempts: claimedRow.attempts })
      return 'sent'
    } catch (e) {
      onError?.(e)
      const c = classify(e)
      if (c.network) this.o.connectivity?.reportNetworkFailure(c.message)
      else if (e instanceof GuichetError) this.o.connectivity?.reportSuccess() // the carrier answered
      const now = clock.now()
      if (c.retryable && c.network && !kind.repeatSafe && mayHaveArrived(e)) {
        // Cut after the request went out: the carrier may have it. Sending it again blindly could do
        // it twice, so it stays inflight and, after the usual backoff, the carrier is asked first
        // (reconcile), as after a crash.
        blocked.add(account)
        const next = this.retryAt(claimedRow.attempts, c, now)
        durably(db, () => store.awaitReconcile(row.id, next, c, now))
        logger.warn('outbox.outcome_unknown', {
          id: row.id,
          kind: row.kind,
          carrier: row.carrier,
          code: c.code,
          attempts: claimedRow.attempts,
          next
        })
        return 'retried'
      }
      if (c.retryable) {
        if (c.code === 'rate_limited' || c.network) blocked.add(account)
        const next = this.retryAt(claimedRow.attempts, c, now)
        durably(db, () => store.retryLater(row.id, next, c, now))
        logger.warn('outbox.retry', { id: row.id, kind: row.kind, carrier: row.carrier, code: c.code, attempts: claimedRow.attempts, next })
        return 'retried'
      }
      durably(db, () => {
        if (store.markFailed(row.id, c, now)) kind.onFailed?.(db, claimedRow, payload)
      })
      logger.warn('outbox.failed', { id: row.id, kind: row.kind, carrier: row.carrier, code: c.code, message: c.message })
      return 'failed'
    }
  }

  /** A row a previous process left inflight: find out, then record, before anything is resent. */
  private async reconcile(row: OutboxRow): Promise<OutboxRow | null> {
    const { store, clock, logger } = this.o
    const db = store.db
    const kind = this.o.kinds.get(row.kind)
    // Nothing to ask with (code not loaded, no account): stays inflight, looked at again later.
    const later = (error: StoredError) => {
      const now = clock.now()
      durably(db, () => store.awaitReconcile(row.id, now + (this.o.noAccountRetryMs ?? 300_000), error, now))
      return null
    }
    if (!kind)
      return later({ code: 'unsupported', message: `Guichet cannot check "${row.kind}" writes yet.`, params: { reason: 'kind_unknown' } })
    const parsed = parsePayload(kind, row.payload)
    if (!parsed.ok) {
      durably(db, () => store.markFailed(row.id, { code: BAD_PAYLOAD, message: parsed.message }, clock.now()))
      logger.warn('outbox.bad_payload', { id: row.id, kind: row.kind, carrier: row.carrier, message: parsed.message })
      return store.get(row.id)
    }
    const payload: unknown = parsed.value
    const adapter = this.adapter(row)
    if (!adapter) return later(this.noAccount(row)) // never resent blindly
    let verdict: 'sent' | 'not_sent' | 'unknown' = 'unknown'
    let result: unknown = { reconciled: true }
    if (kind.reconcile) {
      try {
        const found = await kind.reconcile({ adapter, db, row, payload, actedAt: row.actedAt })
        if (typeof found === 'object') {
          verdict = 'sent'
          result = found.sent
        } else verdict = found
        this.o.connectivity?.reportSuccess()
      } catch (e) {
        const c = classify(e)
        if (c.network) this.o.connectivity?.reportNetworkFailure(c.message)
        if (c.retryable) {
          // Asked again after the backoff; never resent blindly meanwhile.
          const now = clock.now()
          durably(db, () => store.awaitReconcile(row.id, this.retryAt(row.attempts, c, now), c, now))
          return null
        }
        verdict = 'unknown'
      }
    }
    const now = clock.now()
    if (verdict === 'sent') {
      durably(db, () => {
        if (store.markSent(row.id, result, now)) kind.onSent?.(db, row, payload, result)
      })
    } else if (verdict === 'not_sent') {
      durably(db, () => store.release(row.id, now))
    } else if (kind.repeatSafe) {
      // Sent again without knowing whether the first try arrived: the kind is told, so a refusal
      // that the first try may have caused ("already asked") is not shown as a plain refusal.
      durably(db, () => {
        store.release(row.id, now)
        store.setPayload(row.id, { ...row.payload, resentAfterCrash: true }, now)
      })
    } else {
      const name = CARRIER_NAMES[row.carrier] ?? row.carrier
      const message = `Guichet stopped while sending this to ${name} and cannot tell whether ${name} received it. Check it with ${name}, then resend or discard.`
      durably(db, () => {
        if (store.markFailed(row.id, { code: 'conflict', message, params: { reason: 'unknown_after_crash' } }, now))
          kind.onFailed?.(db, row, payload)
      })
    }
    logger.info('outbox.reconciled', { id: row.id, kind: row.kind, verdict, repeatSafe: kind.repeatSafe })
    return store.get(row.id)
  }

  /** When to try again after `attempts` tries ended in `c` (the carrier's Retry-After counts). */
  private retryAt(attempts: number, c: { retryAfterMs?: number }, now: number): number {
    return now + nextDelay(attempts, this.policy, this.random, c.retryAfterMs)
  }

  private adapter(row: OutboxRow): CarrierAdapter | null {
    try {
      return this.o.adapterFor(row.carrier, row.account) ?? null
    } catch (e) {
      this.o.logger.warn('outbox.adapter_unavailable', { carrier: row.carrier, account: row.account, error: e })
      return null
    }
  }
}

/** A carrier error cut after the request went out (CarrierError.mayHaveArrived). */
const mayHaveArrived = (e: unknown): boolean => (e as { mayHaveArrived?: unknown } | null)?.mayHaveArrived === true

function safeBudget(adapter: CarrierAdapter): number | null {
  try {
    return adapter.budget().blockedUntil
  } catch {
    return null
  }
}
