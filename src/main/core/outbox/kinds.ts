import type { Database } from 'better-sqlite3'
import { z } from 'zod'
import { CARRIER_NAMES } from '../../../shared/domain'
import type { ErrorParams, ErrorReason } from '../../../shared/result'
import { CarrierError } from '../../carriers/types'
import { defineKind, type AnyOutboxKind, type OutboxRow } from './types'

// The two writes the counter makes today. Each keeps its local record in step with its row.

const tracking = z.lazy(() => z.string().min(1).max(64))

const remarkPayload = z.lazy(() =>
  z.object({
    trackingNumber: tracking,
    text: z.string().min(1).max(2000),
    /** The local remark this row keeps in step (remarks.id). */
    remarkId: z.number().int().positive()
  })
)
type RemarkPayload = z.infer<typeof remarkPayload>

const returnRequestPayload = z.lazy(() =>
  z.object({
    trackingNumber: tracking,
    /** Set by a restart that sends the row again without knowing whether the first try arrived. */
    resentAfterCrash: z.boolean().optional()
  })
)

function unsupported(row: OutboxRow, what: string): CarrierError {
  return new CarrierError('unsupported', `${CARRIER_NAMES[row.carrier] ?? row.carrier} does not accept ${what} through its API.`)
}

/**
 * Carrier error codes whose meaning the carrier sends in French or not at all: main's words for
 * the log, and the reason the renderer words for the clerk (shared/result ERROR_REASONS).
 */
const RETURN_REFUSALS: Record<string, { words: string; reason: ErrorReason }> = {
  'ecotrack:10003': {
    words: 'ECOTRACK error 10003: a return can only be requested while the parcel is out for delivery.',
    reason: 'return_not_out_for_delivery'
  }
}

/** The params the clerk's wording needs: the reason, the carrier's code, whether a crash may have sent it before. */
function refusalParams(known: { reason: ErrorReason } | undefined, carrierCode: string | number | undefined, afterCrash: boolean) {
  const params: ErrorParams = {}
  if (known) params.reason = known.reason
  if (afterCrash) params.afterCrash = 1
  return { ...(carrierCode !== undefined ? { carrierCode } : {}), ...(Object.keys(params).length ? { params } : {}) }
}

const setRemarkState = (db: Database, p: RemarkPayload, state: 'pending' | 'sent' | 'failed'): void => {
  db.prepare('UPDATE remarks SET state = ? WHERE id = ?').run(state, p.remarkId)
}

/** Same text once ECOTRACK-style prefixes ("Shop : text") and spacing are set aside. */
function sameRemark(carrierText: string, ours: string): boolean {
  const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, ' ').trim()
  const a = norm(carrierText)
  const b = norm(ours)
  return a === b || a.endsWith(` : ${b}`) || a.endsWith(`: ${b}`)
}

/**
 * A remark for the courier. ECOTRACK's add/maj takes no idempotency key and a second call adds a
 * second remark, so a remark is NOT repeat-safe: after a crash while inflight, the carrier's own
 * remark list decides (reconcile); where no list exists, the row stops for the clerk instead of
 * risking a duplicate.
 */
export const remarkKind = defineKind({
  kind: 'remark',
  payload: remarkPayload,
  repeatSafe: false,
  editable: true,
  summary: (p) => `Remark: ${p.text}`,
  details: (p) => ({ text: p.text }),
  async send({ adapter, row, payload, actedAt }) {
    if (!adapter.addRemark) throw unsupported(row, 'remarks')
    // actedAt rides along for adapters whose API can carry the clerk's time.
    const opts: { idempotencyKey: string; actedAt: number } = { idempotencyKey: row.idempotencyKey, actedAt }
    await adapter.addRemark(payload.trackingNumber, payload.text, opts)
    return { accepted: true }
  },
  async reconcile({ adapter, db, row, payload }) {
    if (!adapter.listRemarks) return 'unknown'
    const remarks = await adapter.listRemarks(payload.trackingNumber)
    const text = payload.text
    // Counted, not timed: carriers stamp remarks in local time without a zone. If the carrier holds
    // more remarks with this text than we recorded as sent, the extra one is this row's.
    const atCarrier = remarks.filter((r) => sameRemark(r.text, text)).length
    const recorded = (
      db
        .prepare(
          `SELECT count(*) AS n FROM outbox WHERE kind = 'remark' AND carrier = ? AND account = ? AND state = 'sent'
          AND json_extract(payload, '$.trackingNumber') = ? AND json_extract(payload, '$.text') = ?`
        )
        .get(row.carrier, row.account, payload.trackingNumber, text) as { n: number }
    ).n
    return atCarrier > recorded ? 'sent' : 'not_sent'
  },
  applyFix(db, _row, p, fix) {
    if (fix.text === undefined) return p
    db.prepare('UPDATE remarks SET text = ? WHERE id = ?').run(fix.text, p.remarkId)
    return { ...p, text: fix.text }
  },
  onSent: (db, _row, p) => setRemarkState(db, p, 'sent'),
  onFailed: (db, _row, p) => setRemarkState(db, p, 'failed'),
  onRequeued: (db, _row, p) => setRemarkState(db, p, 'pending'),
  onDiscarded: (db, _row, p) => setRemarkState(db, p, 'failed')
})

/**
 * A return request. It asks the carrier to move one parcel into its return flow: asking twice
 * leaves one return, so it is repeat-safe and a row left inflight by a crash is simply sent again
 * (with the same idempotency key, for carriers that take one).
 */
export const returnRequestKind = defineKind({
  kind: 'return_request',
  payload: returnRequestPayload,
  repeatSafe: true,
  summary: () => 'Return request',
  async send({ adapter, row, payload }) {
    if (!adapter.requestReturn) throw unsupported(row, 'return requests')
    const name = CARRIER_NAMES[row.carrier] ?? row.carrier
    // After a crash mid-send the first try may have been accepted, and a carrier without keys
    // (ECOTRACK) then refuses the repeat because the return is already asked: say so.
    const doubt =
      payload.resentAfterCrash === true
        ? ` Guichet had stopped while sending this request before: ${name} may have accepted it then; check the parcel's status before asking again.`
        : ''
    let answer: { accepted: boolean; message: string }
    try {
      answer = await adapter.requestReturn(payload.trackingNumber, { idempotencyKey: row.idempotencyKey })
    } catch (e) {
      if (e instanceof CarrierError && e.code === 'carrier_refused') {
        const known = e.carrierCode !== undefined ? RETURN_REFUSALS[`${row.carrier}:${e.carrierCode}`] : undefined
        if (known || doubt)
          throw new CarrierError('carrier_refused', (known?.words ?? e.message) + doubt, refusalParams(known, e.carrierCode, !!doubt))
      }
      throw e
    }
    if (!answer.accepted) {
      const reason = answer.message?.trim() || 'no reason given'
      // Adapters that answer a refusal (rather than throw) carry the carrier's code in their message.
      const code = /\b(\d{3,6})\b/.exec(reason)?.[1]
      const known = code ? RETURN_REFUSALS[`${row.carrier}:${code}`] : undefined
      throw new CarrierError(
        'carrier_refused',
        (known ? `${known.words} (${reason})` : `${name} refused the return request: ${reason}`) + doubt,
        refusalParams(known, code, !!doubt)
      )
    }
    return { accepted: true, message: answer.message }
  }
})

export const BUILTIN_KINDS: readonly AnyOutboxKind[] = [remarkKind, returnRequestKind]
