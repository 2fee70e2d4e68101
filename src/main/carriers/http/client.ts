// The HTTP core every carrier adapter uses: undici with a deadline per request, bounded retries
// with backoff and jitter (only for requests safe to repeat), one rate limiter per account, the
// proxy from the usual environment variables, and redaction of every secret in errors and logs.
import type * as Undici from 'undici'
import type { Dispatcher } from 'undici'
import { lazyRequire } from '../../platform/startup/lazy'
import type { Logger } from '../../platform/logger'
import { Redactor } from '../../platform/logger'
import { CarrierError } from '../types'
import { RateLimiter, type RateWindow } from './rate-limiter'

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Path relative to the account's base URL ('/api/v1/get/orders'). */
  path: string
  query?: Record<string, string | number | string[] | undefined>
  headers?: Record<string, string>
  body?: string
  /** May this request be repeated without harm? GETs are; writes only with an idempotency guarantee. */
  safe?: boolean
  /** Overrides the client's deadline for this request. */
  timeoutMs?: number
  /** What the request is about, for error messages ("ECQFLD2611240017"). */
  subject?: string
  /** The largest answer this call accepts, in bytes (a label PDF needs more than a status). */
  maxResponseBytes?: number
}

/** Default cap on one answer: far above any status page, far below what hurts the desk. */
const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024

interface HttpResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
  contentType: string
  text(): string
}

interface HttpClientOptions {
  baseUrl: string
  logger: Logger
  now: () => number
  /** Waits; tests inject one that advances a ManualClock instead. */
  sleep?: (ms: number) => Promise<void>
  /** Random in [0,1) for jitter; injectable for deterministic tests. */
  random?: () => number
  limits?: readonly RateWindow[]
  timeoutMs?: number
  /** Retries after the first attempt, for safe requests (and for 429s, which the server never ran). */
  maxRetries?: number
  backoffBaseMs?: number
  backoffMaxMs?: number
  /** The longest a call will wait for the rate limiter before giving up with rate_limited (default 60 s). */
  maxQueueWaitMs?: number
  /**
   * Identity of the account's budget ("ecotrack:default:https://..."). Clients built with the same
   * key share one limiter, so an adapter rebuilt per poll cycle does not forget what it spent.
   */
  limiterKey?: string
  /** Secret values to redact everywhere (tokens, passwords). */
  secrets?: string[]
  dispatcher?: Dispatcher
  /** Label for logs and errors ("ECOTRACK"). */
  carrierName: string
  userAgent?: string
  /** Cap on one answer for this client's calls, unless a request says otherwise. */
  maxResponseBytes?: number
}

/** Errors of the connection itself (before any byte of the request was sent). */
const NEVER_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT'
])

// undici costs 200-300 ms of start-up CPU: loaded at the first carrier call, not at launch.
const undici = lazyRequire<typeof Undici>('undici')

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

let sharedProxyAgent: Dispatcher | undefined
/** One agent for the process: honours HTTP(S)_PROXY / NO_PROXY (both cases), as other tools do. */
export function proxyAgent(): Dispatcher {
  sharedProxyAgent ??= new (undici().EnvHttpProxyAgent)()
  return sharedProxyAgent
}

const limiters = new Map<string, RateLimiter>()
/** One limiter per account for the whole process. */
function sharedLimiter(key: string, limits: readonly RateWindow[], now: () => number): RateLimiter {
  let l = limiters.get(key)
  if (!l) {
    l = new RateLimiter(limits, now)
    limiters.set(key, l)
  }
  return l
}

export class HttpClient {
  readonly limiter: RateLimiter
  private readonly redactor = new Redactor()
  private readonly sleep: (ms: number) => Promise<void>
  private readonly random: () => number
  private queue: Promise<void> = Promise.resolve()

  constructor(private readonly o: HttpClientOptions) {
    this.limiter = o.limiterKey ? sharedLimiter(o.limiterKey, o.limits ?? [], o.now) : new RateLimiter(o.limits ?? [], o.now)
    this.sleep = o.sleep ?? realSleep
    this.random = o.random ?? Math.random
    for (const s of o.secrets ?? []) this.addSecret(s)
  }

  addSecret(value: string): void {
    if (!value) return
    this.redactor.add(value)
    this.o.logger.addSecret(value)
  }

  /** Redacts a text with this client's secrets and the shared patterns. */
  redact(s: string): string {
    return this.redactor.text(s)
  }

  /** Sends a request; returns any HTTP response (callers judge 4xx), throws CarrierError otherwise. */
  async send(req: HttpRequest): Promise<HttpResponse> {
    const retries = this.o.maxRetries ?? 3
    let attempt = 0
    for (;;) {
      await this.waitForBudget(req)
      try {
        const res = await this.once(req)
        this.limiter.observe(res.status, res.headers)
        if (res.status === 429) {
          const err = this.error('rate_limited', `${this.o.carrierName} asks to slow down (429)`, req, {
            httpStatus: 429,
            retryable: true,
            retryAfterMs: this.limiter.snapshot().blockedUntil ? this.limiter.snapshot().blockedUntil! - this.o.now() : undefined
          })
          // A 429 was refused before doing anything, so even a write may go again.
          if (attempt < retries) {
            attempt++
            this.o.logger.warn('carrier.rate_limited', { carrier: this.o.carrierName, path: req.path, retryAfterMs: err.retryAfterMs })
            continue
          }
          throw err
        }
        if (res.status >= 500 && this.isSafe(req) && attempt < retries) {
          attempt++
          await this.backoff(attempt, req, `HTTP ${res.status}`)
          continue
        }
        return res
      } catch (e) {
        const err = e instanceof CarrierError ? e : this.error('carrier_error', `${this.o.carrierName} request failed`, req)
        if (err.code === 'rate_limited') throw err
        if ((err.code === 'timeout' || err.code === 'offline') && this.isSafe(req) && attempt < retries) {
          attempt++
          await this.backoff(attempt, req, err.message)
          continue
        }
        throw err
      }
    }
  }

  /** Sends and parses JSON; a body that is not JSON (wrong type, truncated) is a typed carrier_error. */
  async json<T = unknown>(req: HttpRequest): Promise<{ status: number; body: T; headers: HttpResponse['headers'] }> {
    const res = await this.send(req)
    const text = res.text()
    if (res.status >= 500)
      throw this.error('carrier_error', `${this.o.carrierName} answered HTTP ${res.status}`, req, {
        httpStatus: res.status,
        retryable: true
      })
    // A 4xx in HTML (a proxy's 401 page, a bare 404) still says something: the caller judges the status.
    if (res.status >= 400 && !/json/i.test(res.contentType)) return { status: res.status, body: null as T, headers: res.headers }
    if (!/json/i.test(res.contentType)) {
      throw this.error(
        'carrier_error',
        `${this.o.carrierName} answered ${res.contentType || 'no content type'} instead of JSON (HTTP ${res.status})`,
        req,
        { httpStatus: res.status, retryable: true }
      )
    }
    try {
      return { status: res.status, body: JSON.parse(text) as T, headers: res.headers }
    } catch {
      throw this.error(
        'carrier_error',
        `${this.o.carrierName} sent malformed or truncated JSON (HTTP ${res.status}, ${res.body.length} bytes)`,
        req,
        { httpStatus: res.status, retryable: true }
      )
    }
  }

  /** Builds a CarrierError whose message never carries a secret. */
  error(
    code: ConstructorParameters<typeof CarrierError>[0],
    message: string,
    req?: HttpRequest,
    opts: ConstructorParameters<typeof CarrierError>[2] = {}
  ): CarrierError {
    const about = req?.subject ? ` [${req.subject}]` : ''
    const where = req ? ` (${req.method} ${req.path})` : ''
    return new CarrierError(code, this.redact(`${message}${about}${where}`), {
      ...opts,
      params: { carrier: this.o.carrierName, ...opts.params }
    })
  }

  private isSafe(req: HttpRequest): boolean {
    return req.safe ?? req.method === 'GET'
  }

  /** Calls go out one after another per account, each after the limiter allows it. */
  private async waitForBudget(req: HttpRequest): Promise<void> {
    const prev = this.queue
    let release!: () => void
    this.queue = new Promise<void>((r) => (release = r))
    try {
      await prev
      // Waiting out a minute window is fine; an hour or a day is the poller's to schedule, not ours to block on.
      const maxWait = this.o.maxQueueWaitMs ?? 60_000
      let waited = 0
      for (let d = this.limiter.delay(); d > 0; d = this.limiter.delay()) {
        if (waited + d > maxWait) {
          throw this.error('rate_limited', `${this.o.carrierName} rate budget exhausted; retry in ${Math.ceil(d / 1000)} s`, req, {
            retryable: true,
            retryAfterMs: d
          })
        }
        waited += d
        await this.sleep(d)
      }
      this.limiter.take()
    } finally {
      release()
    }
  }

  private async backoff(attempt: number, req: HttpRequest, why: string): Promise<void> {
    const base = this.o.backoffBaseMs ?? 500
    const cap = this.o.backoffMaxMs ?? 30_000
    // Full jitter: spreads retries of many desks so they do not hit the carrier in step.
    const ms = Math.round(this.random() * Math.min(cap, base * 2 ** (attempt - 1)))
    this.o.logger.info('carrier.retry', { carrier: this.o.carrierName, path: req.path, attempt, why: this.redact(why), waitMs: ms })
    await this.sleep(ms)
  }

  private url(req: HttpRequest): string {
    const u = new URL(req.path.replace(/^\//, ''), this.o.baseUrl.endsWith('/') ? this.o.baseUrl : this.o.baseUrl + '/')
    for (const [k, v] of Object.entries(req.query ?? {})) {
      if (v === undefined) continue
      if (Array.isArray(v)) for (const x of v) u.searchParams.append(k, x)
      else u.searchParams.set(k, String(v))
    }
    return u.toString()
  }

  /**
   * Reads the body up to the cap and stops the download past it: one oversized answer (a proxy
   * error page looping, a carrier bug) must not take the desk's memory with it.
   */
  private async readCapped(res: Dispatcher.ResponseData, req: HttpRequest): Promise<Buffer> {
    const max = req.maxResponseBytes ?? this.o.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
    const tooBig = () =>
      this.error('carrier_error', `${this.o.carrierName} sent an answer over ${Math.round(max / 1024)} KiB; it was not read`, req, {
        httpStatus: res.statusCode,
        retryable: false
      })
    const declared = Number(res.headers['content-length'])
    if (Number.isFinite(declared) && declared > max) {
      res.body.destroy()
      throw tooBig()
    }
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length
      if (size > max) {
        res.body.destroy()
        throw tooBig()
      }
      chunks.push(chunk as Buffer)
    }
    return Buffer.concat(chunks, size)
  }

  private async once(req: HttpRequest): Promise<HttpResponse> {
    const timeoutMs = req.timeoutMs ?? this.o.timeoutMs ?? 15_000
    const ac = new AbortController()
    // One deadline for the whole exchange, body included: a server that drips bytes cannot hold us.
    const timer = setTimeout(() => ac.abort(), timeoutMs)
    try {
      const res = await undici().request(this.url(req), {
        method: req.method,
        headers: { accept: 'application/json', 'user-agent': this.o.userAgent ?? 'Guichet/0.1', ...req.headers },
        body: req.body,
        signal: ac.signal,
        dispatcher: this.o.dispatcher ?? proxyAgent(),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs
      })
      const body = await this.readCapped(res, req)
      const ct = res.headers['content-type']
      return {
        status: res.statusCode,
        headers: res.headers,
        body,
        contentType: (Array.isArray(ct) ? ct[0] : ct) ?? '',
        text: () => body.toString('utf8')
      }
    } catch (e) {
      if (e instanceof CarrierError) throw e
      const code = (e as { code?: string }).code ?? ''
      // Only a connection that was never made proves the request did not arrive.
      const mayHaveArrived = !NEVER_CONNECTED.has(code)
      if (ac.signal.aborted || /TIMEOUT/i.test(code))
        throw this.error('timeout', `${this.o.carrierName} did not answer within ${timeoutMs} ms`, req, { retryable: true, mayHaveArrived })
      const detail = code || (e as Error).name || 'network error'
      throw this.error('offline', `${this.o.carrierName} unreachable (${detail})`, req, { retryable: true, mayHaveArrived })
    } finally {
      clearTimeout(timer)
    }
  }
}
