// Forwarding (seed 002): each accepted notification can be sent on to an external webhook URL
// configured per account. It goes through the outbox (kind 'webhook_forward'): written durably
// with the notification, retried with backoff until the external system answers 2xx, and its
// rows are the visible delivery log. The external system gets the aggregator's body unchanged.
import { createHash } from 'node:crypto'
import { lazyRequire } from '../../platform/startup/lazy'
import type * as Undici from 'undici'
import { z } from 'zod'
import type { ForwardingEntry } from '../../../shared/contract/aggregators'
import { GuichetError } from '../../../shared/result'
import { CarrierError } from '../../carriers/types'
import { iso } from '../../platform/clock'
import type { Outbox } from '../../core/outbox/outbox'
import { defineKind, parsePayload, type OutboxKind, type OutboxRow } from '../../core/outbox/types'
import type { AcceptedNotification } from './receiver'

// Loaded at the first request (undici weighs 200-300 ms of start-up CPU).
const undici = lazyRequire<typeof Undici>('undici')

export const FORWARD_KIND = 'webhook_forward'

/** http(s) URLs only, no credentials in them (they would be logged and shown). */
export function validateForwardUrl(raw: string): string {
  let u: URL
  try {
    u = new URL(raw)
  } catch {
    throw new GuichetError('invalid_input', 'The forwarding URL is not a URL.', { field: 'forwardUrl', params: { reason: 'not_a_url' } })
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new GuichetError('invalid_input', 'The forwarding URL must start with http:// or https://.', {
      field: 'forwardUrl',
      params: { reason: 'http_or_https' }
    })
  if (u.username || u.password)
    throw new GuichetError('invalid_input', 'Put no user or password in the forwarding URL.', {
      field: 'forwardUrl',
      params: { reason: 'no_user_in_url' }
    })
  return u.toString()
}

interface ForwardPoster {
  (url: string, body: Buffer, headers: Record<string, string>): Promise<number>
}

const undiciPoster =
  (timeoutMs = 10_000): ForwardPoster =>
  async (url, body, headers) => {
    const res = await undici().request(url, { method: 'POST', body, headers, headersTimeout: timeoutMs, bodyTimeout: timeoutMs })
    await res.body.dump()
    return res.statusCode
  }

const forwardPayload = z.lazy(() =>
  z.object({
    url: z.string().url(),
    /** The aggregator's body, unchanged, base64. */
    body: z.string().base64(),
    contentType: z.string(),
    /** Tracking numbers named in the notification, comma-separated; '' when none. */
    tracking: z.string()
  })
)
type ForwardPayload = z.infer<typeof forwardPayload>

/** The outbox kind. Repeat-safe: a notification delivered twice is what webhooks promise anyway. */
export function forwardKind(post: ForwardPoster = undiciPoster()): OutboxKind<ForwardPayload> {
  return defineKind({
    kind: FORWARD_KIND,
    payload: forwardPayload,
    repeatSafe: true,
    summary: (p, row) => `Forward ${row.carrier} notification${p.tracking ? ` (${p.tracking})` : ''} to ${hostOf(p.url)}`,
    details: (p, row) => ({
      carrier: row.carrier,
      tracking: p.tracking || '—',
      host: hostOf(p.url)
    }),
    async send({ row, payload }) {
      const url = payload.url
      const body = Buffer.from(payload.body, 'base64')
      let status: number
      try {
        status = await post(url, body, {
          'content-type': payload.contentType || 'application/json',
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
  })
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return 'the forwarding URL'
  }
}

/** Queues a forward for an accepted notification; the same body twice is queued once. */
export function enqueueForward(outbox: Outbox, n: AcceptedNotification, url: string, now: number): OutboxRow | null {
  const digest = createHash('sha256').update(n.rawBody).digest('hex').slice(0, 32)
  const key = `fwd-${n.carrier}-${n.account}-${digest}`
  if (outbox.hasKey(key)) return null
  return outbox.enqueue(
    forwardKind(),
    {
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
}

/** The delivery log: forwards newest first, with their state, attempts and last error. */
export function forwardingLog(outbox: Outbox, limit: number): ForwardingEntry[] {
  const kind = forwardKind()
  return outbox.listKind(FORWARD_KIND, limit).map((r) => {
    const p = parsePayload(kind, r.payload)
    return {
      ...outbox.item(r),
      // The log shows every row, so the next try's time too (the Pending writes list hides it once sent).
      nextAttemptAt: iso(r.nextAttemptAt),
      url: p.ok ? p.value.url : '',
      trackingNumber: p.ok ? p.value.tracking || null : null
    }
  })
}
