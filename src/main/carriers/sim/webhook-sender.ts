// How the aggregator simulators deliver notifications: like the real services, they POST JSON
// and retry until they get an HTTP 200 (Clickpost documents this; the others behave alike), so
// a receiver that is slow, down or answering 500 still gets every notification, maybe twice.
import { lazyRequire } from '../../platform/startup/lazy'
import type * as Undici from 'undici'

// Loaded at the first request (undici weighs 200-300 ms of start-up CPU).
const undici = lazyRequire<typeof Undici>('undici')

export interface SendOutcome {
  delivered: boolean
  attempts: number
  lastStatus: number | null
}

export interface SenderOptions {
  /** Attempts in all (default 5). */
  maxAttempts?: number
  /** Wait before retry n (ms); default 20 ms * 2^(n-1), real time. */
  delayMs?: (attempt: number) => number
  timeoutMs?: number
}

export async function deliverWebhook(
  url: string,
  body: unknown,
  headers: Record<string, string>,
  o: SenderOptions = {}
): Promise<SendOutcome> {
  const max = o.maxAttempts ?? 5
  let lastStatus: number | null = null
  for (let attempt = 1; attempt <= max; attempt++) {
    try {
      const res = await undici().request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
        headersTimeout: o.timeoutMs ?? 5000,
        bodyTimeout: o.timeoutMs ?? 5000
      })
      await res.body.dump()
      lastStatus = res.statusCode
      // Only a 200 stops the retries, as documented: a 202 or 204 is retried too.
      if (res.statusCode === 200) return { delivered: true, attempts: attempt, lastStatus }
    } catch {
      lastStatus = null
    }
    if (attempt < max) await new Promise((r) => setTimeout(r, o.delayMs ? o.delayMs(attempt) : 20 * 2 ** (attempt - 1)))
  }
  return { delivered: false, attempts: max, lastStatus }
}
