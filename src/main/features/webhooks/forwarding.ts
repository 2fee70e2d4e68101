// Forwarding (seed 002): each accepted notification can be sent on to an external webhook URL
// configured per account. It goes through the outbox (kind 'webhook_forward'): written durably
// with the notification, retried with backoff until the external system answers 2xx, and its
// rows are the visible delivery log. The external system gets the aggregator's body unchanged.
import { createHash } from 'node:crypto'
import type { Database } from 'better-sqlite3'
import { request } from 'undici'
import type { ForwardingEntry } from '../../../shared/contract/aggregators'
import { GuichetError } from '../../../shared/result'
import { CarrierError } from '../../carriers/types'
import { iso } from '../../platform/clock'
import { durably, OutboxStore } from '../../core/outbox/store'
import type { OutboxKind, OutboxRow } from '../../core/outbox/types'
import type { AcceptedNotification } from './receiver'

export const FORWARD_KIND = 'webhook_forward'

/** http(s) URLs only, no credentials in them (they would be logged and shown). */
export function validateForwardUrl(raw: string): string {
  let u: URL
  try {
    u = new URL(raw)
  } catch {
    throw new GuichetError('invalid_input', 'The forwarding URL is not a URL.', { field: 'forwardUrl' })
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new GuichetError('invalid_input', 'The forwarding URL must start with http:// or https://.', { field: 'forwardUrl' })
  if (u.username || u.password)
    throw new GuichetError('invalid_input', 'Put no user or password in the forwarding URL.', { field: 'forwardUrl' })
  return u.toString()
}

export interface ForwardPoster {
  (url: string, body: Buffer, headers: Record<string, string>): Promise<number>
}

export const undiciPoster =
  (timeoutMs = 10_000): ForwardPoster =>
  async (url, body, headers) => {
    const res = await request(url, { method: 'POST', body, headers, headersTimeout: timeoutMs, bodyTimeout: timeoutMs })
    await res.body.dump()
    return res.statusCode
  }

const str = (v: unknown): string => (typeof v === 'string' ? v : '')

/** The outbox kind. Repeat-safe: a notification delivered twice is what webhooks promise anyway. */
export function forwardKind(post: ForwardPoster = undiciPoster()): OutboxKind {
  return {
    kind: FORWARD_KIND,
    repeatSafe: true,
    summary: (row) =>
      `Forward ${row.carrier} notification${row.payload.tracking ? ` (${str(row.payload.tracking)})` : ''} to ${hostOf(str(row.payload.url))}`,
    details: (row) => ({
      carrier: row.carrier,
      tracking: row.payload.tracking ? str(row.payload.tracking) : '—',
      host: hostOf(str(row.payload.url))
    }),
    async send({ row }) {
      const url = str(row.payload.url)
      const body = Buffer.from(str(row.payload.body), 'base64')
      let status: number
      try {
        status = await post(url, body, {
          'content-type': str(row.payload.contentType) || 'application/json',
          'idempotency-key': row.idempotencyKey,
          'x-guichet-carrier': row.carrier,
          'x-guichet-account': row.account
        })
      } catch (e) {
        // The external system is down, not the aggregator: not a reason to call Guichet offline.
        throw new CarrierError(
          'carrier_error',
          `Forwarding to ${hostOf(url)} failed (${(e as { code?: string }).code ?? (e as Error).name})`,
          { retryable: true }
        )
      }
      if (status >= 200 && status < 300) return { status }
      if (status === 408 || status === 429 || status >= 500)
        throw new CarrierError('carrier_error', `${hostOf(url)} answered HTTP ${status}`, { retryable: true, httpStatus: status })
      throw new CarrierError('carrier_refused', `${hostOf(url)} refused the notification (HTTP ${status})`, { httpStatus: status })
    }
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return 'the forwarding URL'
  }
}

/** Queues a forward for an accepted notification; the same body twice is queued once. */
export function enqueueForward(db: Database, n: AcceptedNotification, url: string, now: number): OutboxRow | null {
  const store = new OutboxStore(db)
  const digest = createHash('sha256').update(n.rawBody).digest('hex').slice(0, 32)
  const key = `fwd-${n.carrier}-${n.account}-${digest}`
  return durably(db, () => {
    if (db.prepare('SELECT 1 FROM outbox WHERE idempotency_key = ?').get(key)) return null
    return store.insert(
      {
        kind: FORWARD_KIND,
        shipmentId: null,
        carrier: n.carrier,
        account: n.account,
        payload: {
          url: validateForwardUrl(url),
          body: n.rawBody.toString('base64'),
          contentType: n.contentType,
          tracking: n.trackingNumbers.join(',')
        },
        actedAt: now,
        idempotencyKey: key
      },
      now
    )
  })
}

/** The delivery log: forwards newest first, with their state, attempts and last error. */
export function forwardingLog(db: Database, limit: number): ForwardingEntry[] {
  const store = new OutboxStore(db)
  const kind = forwardKind()
  const ids = db.prepare(`SELECT id FROM outbox WHERE kind = ? ORDER BY id DESC LIMIT ?`).all(FORWARD_KIND, limit) as Array<{ id: number }>
  return ids.map(({ id }) => {
    const r = store.get(id)!
    return {
      id: r.id,
      kind: r.kind,
      shipmentId: r.shipmentId,
      carrier: r.carrier,
      account: r.account,
      state: r.state,
      summary: kind.summary(r),
      details: kind.details?.(r) ?? {},
      actedAt: iso(r.actedAt)!,
      attempts: r.attempts,
      nextAttemptAt: iso(r.nextAttemptAt),
      lastError: r.lastErrorCode ? { code: r.lastErrorCode, message: r.lastError ?? '', at: iso(r.lastErrorAt)! } : null,
      sentAt: iso(r.sentAt),
      editable: false,
      url: str(r.payload.url),
      trackingNumber: str(r.payload.tracking) || null
    }
  })
}
