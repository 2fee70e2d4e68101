import type { Database } from 'better-sqlite3'
import type { z } from 'zod'
import type { CarrierId } from '../../../shared/domain'
import type { ErrorParams } from '../../../shared/result'
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
  /** Main's words, for logs and tools (never shown to a clerk). */
  lastError: string | null
  /** The field the carrier refused, in its own naming (`phone`, `telephone`). */
  lastErrorField: string | null
  /** What the UI may quote: HTTP status, the carrier's own error code. */
  lastErrorParams: ErrorParams | null
  lastErrorAt: number | null
  sentAt: number | null
  result: unknown
}

interface SendContext<P = unknown> {
  adapter: CarrierAdapter
  /** The store, read-only here: a reconcile compares the carrier's answer with what was recorded. */
  db: Database
  row: OutboxRow
  /** The row's payload, checked against its kind's schema just before this call. */
  payload: P
  /** The clerk's time, for adapters whose API can carry it. */
  actedAt: number
}

/**
 * What a reconcile found out about a row left inflight by a crash; `{ sent }` when the carrier has
 * it and gave back what a send would have answered (the parcel it created), for onSent.
 */
type ReconcileVerdict = 'sent' | 'not_sent' | 'unknown' | { sent: unknown }

/**
 * The error code a row gets when its stored payload does not match its kind's schema (written by
 * an older or broken build, or edited by hand). Permanent: sending it again cannot help; the clerk
 * sees it on the Pending writes screen in words (outbox.errors.bad_payload) and discards it.
 */
export const BAD_PAYLOAD = 'bad_payload'

/**
 * One kind of carrier write. The outbox is generic; each kind says what its payload holds, how to
 * send itself, what its local record becomes when it is sent or refused, and how to tell after a
 * crash whether the carrier already has it. The payload is checked against `payload` when the row
 * is queued and again before every send or reconcile (Signal's JobQueue parseData), so `send`
 * never sees a malformed one.
 */
export interface OutboxKind<P = unknown> {
  kind: string
  /** The payload's shape. */
  payload: z.ZodType<P>
  /** In words, for logs and tools: "Remark: call before noon". */
  summary(payload: P, row: OutboxRow): string
  /** The values the UI's translation of this kind needs (`outbox.kinds.<kind>`). */
  details?(payload: P, row: OutboxRow): Record<string, string>
  /** Sends once. Resolves with what is worth keeping; throws CarrierError (or anything) on failure. */
  send(ctx: SendContext<P>): Promise<unknown>
  /**
   * True when a second send has the effect of one (the carrier honours the idempotency key, or
   * the request is a state change that cannot double). Decides what a restart does with a row
   * left inflight and no reconcile verdict.
   */
  repeatSafe: boolean
  /** Asks the carrier whether an inflight row already reached it (after a crash). */
  reconcile?(ctx: SendContext<P>): Promise<ReconcileVerdict>
  /** Whether the clerk may change the text before resending. */
  editable?: boolean
  /** Returns the payload with the clerk's fix applied; runs in the resend transaction. */
  applyFix?(db: Database, row: OutboxRow, payload: P, fix: { text?: string }): P
  // Hooks that keep the local record in step; they run inside the outbox's own transaction, and
  // only for a payload that matches the schema.
  onSent?(db: Database, row: OutboxRow, payload: P, result: unknown): void
  onFailed?(db: Database, row: OutboxRow, payload: P): void
  onRequeued?(db: Database, row: OutboxRow, payload: P): void
  onDiscarded?(db: Database, row: OutboxRow, payload: P): void
}

/** Any kind, its payload type set aside: what the registry holds. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOutboxKind = OutboxKind<any>

/** Declares a kind; the payload type follows from its schema. */
export const defineKind = <P>(k: OutboxKind<P>): OutboxKind<P> => k

/** The payload checked against the kind's schema, or the reason it does not fit. */
export function parsePayload<P>(kind: OutboxKind<P>, payload: unknown): { ok: true; value: P } | { ok: false; message: string } {
  const r = kind.payload.safeParse(payload)
  if (r.success) return { ok: true, value: r.data }
  const where = r.error.issues.map((i) => (i.path.length ? i.path.join('.') : 'payload') + ': ' + i.message).join('; ')
  return {
    ok: false,
    message: `The stored "${kind.kind}" entry is not readable (${where}); it cannot be sent. Discard it and make the request again.`
  }
}
