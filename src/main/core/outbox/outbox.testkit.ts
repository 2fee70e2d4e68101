// In-process fakes for the outbox's tests (and the reliability suite later): a carrier that
// remembers every write it accepted, and fails on demand.
import type { CarrierId } from '../../../shared/domain'
import { CarrierError, type CarrierAdapter, type Capability, type RateBudget } from '../../carriers/types'
import { openDatabase, type Database } from '../../platform/db/database'
import { migration004 } from '../../platform/db/migrations/004-outbox'
import type { Clock } from '../../platform/clock'
import { silentLogger } from '../../platform/logger'
import { Outbox } from './outbox'
import { OutboxStore } from './store'
import type { AnyOutboxKind } from './types'
import { OutboxKinds, OutboxWorker, type AdapterFor } from './worker'

/** Opens a store with the outbox table (applied by hand while the migration list is being assembled). */
export function openOutboxDatabase(file: string): Database {
  const { db } = openDatabase(file, { skipIntegrityCheck: true })
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox'").get()
  if (!has) migration004.up(db)
  return db
}

export type Step = (() => Error | undefined) | Error | undefined

/** A fake carrier account. `script` lists what the next calls do: undefined = accept, an Error = throw it. */
export class FakeCarrier implements CarrierAdapter {
  readonly capabilities: ReadonlySet<Capability>
  readonly batchSize = 1
  /** Every remark the carrier accepted, in order. */
  readonly remarks: Array<{ tracking: string; text: string; key: string; at: number; actedAt?: number }> = []
  readonly returns: Array<{ tracking: string; key: string }> = []
  readonly calls: string[] = []
  script: Step[] = []
  blockedUntil: number | null = null
  /** Honour idempotency keys (a repeat with a known key is accepted without a second effect). */
  honoursKeys = false
  /** Called after the carrier accepted a write, before the answer returns (to simulate a crash). */
  afterAccept: (() => Promise<void>) | null = null
  returnAnswer: { accepted: boolean; message: string } = { accepted: true, message: 'Retour demandé avec succès' }

  constructor(
    readonly carrier: CarrierId = 'ecotrack',
    readonly account: string = 'default',
    private readonly now: () => number = Date.now,
    opts: { listRemarks?: boolean } = {}
  ) {
    const caps: Capability[] = ['track_one', 'remark', 'return_request']
    if (opts.listRemarks !== false) caps.push('list_remarks')
    else this.listRemarks = undefined
    this.capabilities = new Set(caps)
  }

  /** The network to this carrier is cut: every call fails as offline, before the carrier sees it. */
  unreachable = false

  private step(): void {
    if (this.unreachable) throw new CarrierError('offline', 'connect ECONNREFUSED 127.0.0.1')
    const s = this.script.shift()
    const e = typeof s === 'function' ? s() : s
    if (e) throw e
  }

  async track(): Promise<never[]> {
    return []
  }

  budget(): RateBudget {
    return { remaining: null, resetsAt: null, blockedUntil: this.blockedUntil }
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

/** An outbox with its worker over `db`, for tests of features that queue writes (not started: tests drive it). */
export function outboxForTests(
  db: Database,
  clock: Clock,
  adapterFor: AdapterFor,
  kinds: readonly AnyOutboxKind[] = []
): { outbox: Outbox; worker: OutboxWorker; store: OutboxStore } {
  const store = new OutboxStore(db)
  const k = new OutboxKinds(kinds)
  const worker = new OutboxWorker({ store, kinds: k, clock, logger: silentLogger, adapterFor, random: () => 0 })
  return { outbox: new Outbox(db, store, k, () => {}, worker), worker, store }
}
