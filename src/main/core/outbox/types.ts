import type { Database } from 'better-sqlite3'
import type { CarrierId } from '../../../shared/domain'
import type { OutboxState } from '../../../shared/contract/actions'
import type { CarrierAdapter } from '../../carriers/types'

/** One outbox row, as stored (times in ms since epoch). */
export interface OutboxRow {
  id: number
  kind: string
  shipmentId: number | null
  carrier: CarrierId
  account: string
  idempotencyKey: string
  payload: Record<string, unknown>
  state: OutboxState
  actedAt: number
  createdAt: number
  attempts: number
  nextAttemptAt: number | null
  lastAttemptAt: number | null
  lastErrorCode: string | null
  lastError: string | null
  lastErrorAt: number | null
  sentAt: number | null
  result: unknown
}

export interface SendContext {
  adapter: CarrierAdapter
  /** The store, read-only here: a reconcile compares the carrier's answer with what was recorded. */
  db: Database
  row: OutboxRow
  /** The clerk's time, for adapters whose API can carry it. */
  actedAt: number
}

/** What a reconcile found out about a row left inflight by a crash. */
export type ReconcileVerdict = 'sent' | 'not_sent' | 'unknown'

/**
 * One kind of carrier write. The outbox is generic; each kind says how to send itself, what its
 * local record becomes when it is sent or refused, and how to tell after a crash whether the
 * carrier already has it. Later work (orders, cancellations, hand-overs) registers more kinds.
 */
export interface OutboxKind {
  kind: string
  /** In words, for logs and tools: "Remark: call before noon". */
  summary(row: OutboxRow): string
  /** The values the UI's translation of this kind needs (`outbox.kinds.<kind>`). */
  details?(row: OutboxRow): Record<string, string>
  /** Sends once. Resolves with what is worth keeping; throws CarrierError (or anything) on failure. */
  send(ctx: SendContext): Promise<unknown>
  /**
   * True when a second send has the effect of one (the carrier honours the idempotency key, or
   * the request is a state change that cannot double). Decides what a restart does with a row
   * left inflight and no reconcile verdict.
   */
  repeatSafe: boolean
  /** Asks the carrier whether an inflight row already reached it (after a crash). */
  reconcile?(ctx: SendContext): Promise<ReconcileVerdict>
  /** Whether the clerk may change the text before resending. */
  editable?: boolean
  /** Returns the payload with the clerk's fix applied; runs in the resend transaction. */
  applyFix?(db: Database, row: OutboxRow, fix: { text?: string }): Record<string, unknown>
  // Hooks that keep the local record in step; they run inside the outbox's own transaction.
  onSent?(db: Database, row: OutboxRow, result: unknown): void
  onFailed?(db: Database, row: OutboxRow): void
  onRequeued?(db: Database, row: OutboxRow): void
  onDiscarded?(db: Database, row: OutboxRow): void
}
