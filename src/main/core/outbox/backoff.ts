import { GuichetError, type ErrorParams } from '../../../shared/result'
import { sharedRedactor } from '../../platform/logger'

// Pure retry policy: which errors are worth another try, and when.

export interface BackoffPolicy {
  /** First retry delay (ms). */
  baseMs: number
  /** Never wait longer than this between tries (ms). */
  capMs: number
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, capMs: 30 * 60_000 }

/** Codes that mean "not now": the same request can succeed later unchanged. */
const RETRYABLE = new Set(['rate_limited', 'offline', 'timeout', 'carrier_error', 'storage'])
/** Codes that mean "not like this": resending unchanged would fail the same way. */
const PERMANENT = new Set(['carrier_refused', 'invalid_input', 'not_found', 'unauthorized', 'unsupported', 'forbidden', 'conflict'])

interface Classified {
  code: string
  message: string
  retryable: boolean
  retryAfterMs?: number
  /** The field the carrier refused, as it named it. */
  field?: string
  /** What the UI may quote (HTTP status, the carrier's error code): short values only, redacted. */
  params?: ErrorParams
  /** The call never reached a carrier (no network): feeds connectivity. */
  network: boolean
}

/**
 * Sorts any thrown value. A typed error's code decides; an unknown throw (a bug in an adapter,
 * garbage JSON) is retried, since giving up on the clerk's write because of our own bug loses it.
 */
export function classify(e: unknown, redact: (s: string) => string = (s) => sharedRedactor.text(s)): Classified {
  // The message is stored and shown to the clerk: a carrier that echoes a token must not leak it.
  if (e instanceof GuichetError) {
    const retryable = RETRYABLE.has(e.code) ? true : PERMANENT.has(e.code) ? false : e.retryable
    const c: Classified = {
      code: e.code,
      message: redact(e.message).slice(0, 1000),
      retryable,
      network: e.code === 'offline' || e.code === 'timeout'
    }
    if (e.retryAfterMs !== undefined && e.retryAfterMs >= 0) c.retryAfterMs = e.retryAfterMs
    if (e.field) c.field = redact(e.field).slice(0, 64)
    const params = quotable({ ...e.params, ...carrierCodeOf(e) }, redact)
    if (params) c.params = params
    return c
  }
  const message = e instanceof Error ? e.message : String(e)
  return {
    code: 'carrier_error',
    message: `Unexpected failure while sending: ${redact(message).slice(0, 200)}`,
    retryable: true,
    network: false
  }
}

/** A carrier's own error number or code (CarrierError.carrierCode), kept for the clerk to quote to support. */
function carrierCodeOf(e: GuichetError): ErrorParams {
  const code = (e as { carrierCode?: unknown }).carrierCode
  return typeof code === 'string' || typeof code === 'number' ? { carrierCode: code } : {}
}

/** Params are values, never sentences: long strings are dropped rather than cut, the rest redacted. */
function quotable(params: ErrorParams, redact: (s: string) => string): ErrorParams | undefined {
  const out: ErrorParams = {}
  for (const [k, v] of Object.entries(params)) {
    if (typeof v === 'number' && Number.isFinite(v)) out[k] = v
    else if (typeof v === 'string' && v.length <= 64) out[k] = redact(v)
  }
  return Object.keys(out).length ? out : undefined
}

/**
 * Delay before try number `attempts + 1`: exponential with "equal jitter" (half fixed, half
 * random) so a room of desks coming back online does not hammer a carrier in step. A carrier's
 * Retry-After wins when it asks for longer; a little jitter on top spreads the desks again.
 */
export function nextDelay(attempts: number, policy: BackoffPolicy, random: () => number, retryAfterMs?: number): number {
  const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, Math.min(30, attempts - 1)))
  const backoff = Math.round(exp / 2 + (exp / 2) * random())
  if (retryAfterMs === undefined) return backoff
  const spread = Math.round(Math.min(retryAfterMs * 0.1, 5_000) * random())
  return Math.max(retryAfterMs + spread, Math.min(backoff, policy.baseMs))
}
