import type { Database } from 'better-sqlite3'
import { CARRIER_NAMES } from '../../../shared/domain'
import { CarrierError } from '../../carriers/types'
import type { OutboxKind, OutboxRow, SendContext } from './types'

// The two writes the counter makes today. Each keeps its local record in step with its row.

const str = (v: unknown): string => (typeof v === 'string' ? v : '')
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null)

function unsupported(row: OutboxRow, what: string): CarrierError {
  return new CarrierError('unsupported', `${CARRIER_NAMES[row.carrier] ?? row.carrier} does not accept ${what} through its API.`)
}

/** Carrier error codes whose meaning the carrier sends in French or not at all, put in words. */
const RETURN_REFUSALS: Record<string, string> = {
  'ecotrack:10003': 'ECOTRACK error 10003: a return can only be requested while the parcel is out for delivery.'
}

const setRemarkState = (db: Database, row: OutboxRow, state: 'pending' | 'sent' | 'failed'): void => {
  const remarkId = num(row.payload.remarkId)
  if (remarkId !== null) db.prepare('UPDATE remarks SET state = ? WHERE id = ?').run(state, remarkId)
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
export const remarkKind: OutboxKind = {
  kind: 'remark',
  repeatSafe: false,
  editable: true,
  summary: (row) => `Remark: ${str(row.payload.text)}`,
  details: (row) => ({ text: str(row.payload.text) }),
  async send({ adapter, row, actedAt }: SendContext) {
    if (!adapter.addRemark) throw unsupported(row, 'remarks')
    // actedAt rides along for adapters whose API can carry the clerk's time.
    const opts: { idempotencyKey: string; actedAt: number } = { idempotencyKey: row.idempotencyKey, actedAt }
    await adapter.addRemark(str(row.payload.trackingNumber), str(row.payload.text), opts)
    return { accepted: true }
  },
  async reconcile({ adapter, db, row }) {
    if (!adapter.listRemarks) return 'unknown'
    const remarks = await adapter.listRemarks(str(row.payload.trackingNumber))
    const text = str(row.payload.text)
    // Counted, not timed: carriers stamp remarks in local time without a zone. If the carrier holds
    // more remarks with this text than we recorded as sent, the extra one is this row's.
    const atCarrier = remarks.filter((r) => sameRemark(r.text, text)).length
    const recorded = (
      db
        .prepare(
          `SELECT count(*) AS n FROM outbox WHERE kind = 'remark' AND carrier = ? AND account = ? AND state = 'sent'
          AND json_extract(payload, '$.trackingNumber') = ? AND json_extract(payload, '$.text') = ?`
        )
        .get(row.carrier, row.account, str(row.payload.trackingNumber), text) as { n: number }
    ).n
    return atCarrier > recorded ? 'sent' : 'not_sent'
  },
  applyFix(db, row, fix) {
    if (fix.text === undefined) return row.payload
    const remarkId = num(row.payload.remarkId)
    if (remarkId !== null) db.prepare('UPDATE remarks SET text = ? WHERE id = ?').run(fix.text, remarkId)
    return { ...row.payload, text: fix.text }
  },
  onSent: (db, row) => setRemarkState(db, row, 'sent'),
  onFailed: (db, row) => setRemarkState(db, row, 'failed'),
  onRequeued: (db, row) => setRemarkState(db, row, 'pending'),
  onDiscarded: (db, row) => setRemarkState(db, row, 'failed')
}

/**
 * A return request. It asks the carrier to move one parcel into its return flow: asking twice
 * leaves one return, so it is repeat-safe and a row left inflight by a crash is simply sent again
 * (with the same idempotency key, for carriers that take one).
 */
export const returnRequestKind: OutboxKind = {
  kind: 'return_request',
  repeatSafe: true,
  summary: () => 'Return request',
  async send({ adapter, row }: SendContext) {
    if (!adapter.requestReturn) throw unsupported(row, 'return requests')
    const name = CARRIER_NAMES[row.carrier] ?? row.carrier
    // After a crash mid-send the first try may have been accepted, and a carrier without keys
    // (ECOTRACK) then refuses the repeat because the return is already asked: say so.
    const doubt =
      row.payload.resentAfterCrash === true
        ? ` Guichet had stopped while sending this request before: ${name} may have accepted it then; check the parcel's status before asking again.`
        : ''
    let answer: { accepted: boolean; message: string }
    try {
      answer = await adapter.requestReturn(str(row.payload.trackingNumber), { idempotencyKey: row.idempotencyKey })
    } catch (e) {
      if (e instanceof CarrierError && e.code === 'carrier_refused') {
        const words = e.carrierCode !== undefined ? RETURN_REFUSALS[`${row.carrier}:${e.carrierCode}`] : undefined
        if (words || doubt) throw new CarrierError('carrier_refused', (words ?? e.message) + doubt, { carrierCode: e.carrierCode })
      }
      throw e
    }
    if (!answer.accepted) {
      const reason = answer.message?.trim() || 'no reason given'
      // Adapters that answer a refusal (rather than throw) carry the carrier's code in their message.
      const code = /\b(\d{3,6})\b/.exec(reason)?.[1]
      const words = code ? RETURN_REFUSALS[`${row.carrier}:${code}`] : undefined
      throw new CarrierError('carrier_refused', (words ? `${words} (${reason})` : `${name} refused the return request: ${reason}`) + doubt)
    }
    return { accepted: true, message: answer.message }
  }
}

export const BUILTIN_KINDS: readonly OutboxKind[] = [remarkKind, returnRequestKind]
