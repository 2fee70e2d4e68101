import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { EnvHttpProxyAgent } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../platform/clock'
import { captureError, captureLogger, findLeaks } from '../testing/capture.testkit'
import { CarrierError } from '../types'
import { startSimServer, type SimServer } from '../sim/server'
import { HttpClient, proxyAgent } from './client'

const SECRET = 'core-secret-9d8c7b6a'

/** A loopback port nothing listens on (it was just closed). */
async function closedPort(): Promise<number> {
  const closed = createServer()
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
  const port = (closed.address() as AddressInfo).port
  await new Promise<void>((r) => closed.close(() => r()))
  return port
}

describe('HttpClient', () => {
  const clock = new ManualClock()
  const logger = captureLogger()
  const sleeps: number[] = []
  let sim: SimServer
  let calls = 0

  beforeAll(async () => {
    sim = await startSimServer({
      name: 'echo',
      clock,
      handler: (req) => {
        calls++
        return { status: 200, body: { method: req.method, path: req.path } }
      }
    })
  })
  afterAll(async () => {
    await sim.close()
    expect(findLeaks([SECRET])).toEqual([])
  })

  const client = (o: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) =>
    new HttpClient({
      baseUrl: sim.url,
      logger,
      now: () => clock.now(),
      sleep: async (ms) => {
        sleeps.push(ms)
        clock.advance(ms)
      },
      random: () => 0.5,
      carrierName: 'TestCarrier',
      secrets: [SECRET],
      timeoutMs: 1000,
      backoffBaseMs: 1000,
      ...o
    })

  it('retries a safe request on 5xx with jittered exponential backoff, bounded', async () => {
    sleeps.length = 0
    sim.inject({ kind: 'http_503', times: 2 })
    const r = await client().json<{ path: string }>({ method: 'GET', path: '/x' })
    expect(r.body.path).toBe('/x')
    // random 0.5 of 1 s then 2 s.
    expect(sleeps).toEqual([500, 1000])
    sim.inject({ kind: 'http_503', times: 10 })
    await expect(client({ maxRetries: 2 }).json({ method: 'GET', path: '/x' })).rejects.toMatchObject({
      code: 'carrier_error',
      httpStatus: 503
    })
    sim.clearFaults()
  })

  it('never repeats an unsafe request (POST) on 5xx, timeout or reset', async () => {
    for (const kind of ['http_500', 'timeout', 'connection_reset'] as const) {
      sim.inject({ kind, times: 5 })
      const before = sim.log.length
      await expect(client().json({ method: 'POST', path: '/write' })).rejects.toBeInstanceOf(CarrierError)
      expect(sim.log.length - before).toBe(1)
      sim.clearFaults()
    }
  })

  it('says a write cut after it went out (timeout, reset) may have arrived, and one never connected did not', async () => {
    for (const kind of ['timeout', 'connection_reset'] as const) {
      sim.inject({ kind, times: 1 })
      const e = await client({ timeoutMs: 300 })
        .json({ method: 'POST', path: '/write' })
        .catch((x: unknown) => x)
      expect(e).toMatchObject({ mayHaveArrived: true })
      sim.clearFaults()
    }
    const port = await closedPort()
    const refused = await client({ baseUrl: `http://127.0.0.1:${port}` })
      .json({ method: 'POST', path: '/write' })
      .catch((x: unknown) => x)
    expect(refused).toMatchObject({ code: 'offline', mayHaveArrived: false })
  })

  it('repeats even a write after a 429 (refused before running), once Retry-After has passed', async () => {
    sleeps.length = 0
    calls = 0
    sim.inject({ kind: 'http_429', retryAfterSec: 7 })
    const r = await client().json<{ method: string }>({ method: 'POST', path: '/write' })
    expect(r.body.method).toBe('POST')
    expect(calls).toBe(1)
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(7000)
  })

  it('gives up with rate_limited when the wait would exceed the caller’s patience', async () => {
    const c = client({ limits: [{ name: 'Minute', limit: 1, windowMs: 60_000 }], maxQueueWaitMs: 10_000 })
    await c.json({ method: 'GET', path: '/a' })
    const e = await c.json({ method: 'GET', path: '/b' }).catch((x: unknown) => x)
    captureError(e)
    expect(e).toMatchObject({ code: 'rate_limited', retryable: true })
    expect((e as CarrierError).retryAfterMs).toBeGreaterThan(0)
  })

  it('times out a server that never answers, and a server that drips bytes', async () => {
    for (const kind of ['timeout', 'slow_drip'] as const) {
      sim.inject({ kind, times: 5 })
      const e = await client({ maxRetries: 0 })
        .json({ method: 'GET', path: '/slow' })
        .catch((x: unknown) => x)
      captureError(e)
      expect(e).toMatchObject({ code: 'timeout', retryable: true })
      sim.clearFaults()
    }
  })

  it('hands a 4xx without JSON to the caller to judge (a proxy 401 page is still a 401)', async () => {
    const html = await startSimServer({
      name: 'html',
      clock,
      handler: () => ({ status: 401, body: null, raw: { contentType: 'text/html', data: Buffer.from('<h1>401</h1>') } })
    })
    try {
      const r = await client({ baseUrl: html.url }).json({ method: 'GET', path: '/' })
      expect(r).toMatchObject({ status: 401, body: null })
    } finally {
      await html.close()
    }
  })

  it('says offline when nothing listens', async () => {
    const port = await closedPort()
    const e = await client({ baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 })
      .send({ method: 'GET', path: '/' })
      .catch((x: unknown) => x)
    captureError(e)
    expect(e).toMatchObject({ code: 'offline' })
  })

  it('redacts secrets from error messages and logs, raw or URL-encoded', () => {
    const c = client()
    c.addSecret('p@ss word/+=')
    const e = c.error('carrier_error', `failed with ${SECRET} and ${encodeURIComponent('p@ss word/+=')} and ?api_token=abc123`, {
      method: 'GET',
      path: '/x',
      subject: SECRET
    })
    captureError(e)
    expect(e.message).not.toContain(SECRET)
    expect(e.message).not.toContain('p@ss')
    expect(e.message).not.toContain('abc123')
    logger.info('probe', { note: `token ${SECRET}` })
    expect(logger.lines.at(-1)).not.toContain(SECRET)
  })

  it('uses the proxy from the usual environment variables', async () => {
    expect(proxyAgent()).toBeInstanceOf(EnvHttpProxyAgent)
    let seen = ''
    const proxy: Server = createServer((req, res) => {
      seen = req.url ?? ''
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"via":"proxy"}')
    })
    // undici may tunnel (CONNECT) even to an http:// target: record it and refuse.
    proxy.on('connect', (req, socket) => {
      seen = req.url ?? ''
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n')
    })
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r))
    const saved = { http: process.env.http_proxy, no: process.env.no_proxy, NO: process.env.NO_PROXY }
    try {
      process.env.http_proxy = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
      process.env.no_proxy = ''
      delete process.env.NO_PROXY
      const c = client({ baseUrl: 'http://carrier.invalid', dispatcher: new EnvHttpProxyAgent(), maxRetries: 0 })
      const r = await c.json<{ via: string }>({ method: 'GET', path: '/api/v1/get/wilayas' }).catch((e: unknown) => e)
      // undici 7 tunnels through the proxy even to an http:// target: the CONNECT reached the proxy, never carrier.invalid,
      // and the proxy's refusal comes back as a typed error.
      expect(seen).toBe('carrier.invalid:80')
      expect(r).toBeInstanceOf(CarrierError)
      captureError(r)
    } finally {
      for (const [k, v] of [
        ['http_proxy', saved.http],
        ['no_proxy', saved.no],
        ['NO_PROXY', saved.NO]
      ] as const) {
        if (v === undefined) delete process.env[k]
        else process.env[k] = v
      }
      proxy.closeAllConnections()
      await new Promise<void>((r) => proxy.close(() => r()))
    }
  })
})

describe('HttpClient answer size cap', () => {
  /** Streams `total` bytes of JSON-ish filler, chunked (no Content-Length) unless `declare`. */
  async function bigServer(total: number, declare: boolean) {
    let sent = 0
    let aborted = false
    const server: Server = createServer((_, res) => {
      sent = 0
      res.writeHead(200, { 'content-type': 'application/json', ...(declare ? { 'content-length': String(total) } : {}) })
      const chunk = Buffer.alloc(64 * 1024, 0x20)
      const pump = () => {
        while (sent < total) {
          sent += chunk.length
          if (!res.write(chunk)) return void res.once('drain', pump)
        }
        res.end()
      }
      res.on('close', () => (aborted = sent < total))
      pump()
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    return { url, state: () => ({ sent, aborted }), close: () => new Promise<void>((r) => server.close(() => r())) }
  }
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: unknown) => e
    )
  const capped = (baseUrl: string, maxResponseBytes?: number) =>
    new HttpClient({ baseUrl, logger: captureLogger(), now: () => 0, carrierName: 'BIG', maxRetries: 0, maxResponseBytes })

  it('stops reading a streamed answer past the cap and says so, typed', async () => {
    const s = await bigServer(64 * 1024 * 1024, false)
    try {
      const e = await failure(capped(s.url, 1024 * 1024).send({ method: 'GET', path: '/x' }))
      expect(e).toBeInstanceOf(CarrierError)
      expect((e as CarrierError).code).toBe('carrier_error')
      expect((e as CarrierError).message).toContain('1024 KiB')
      await new Promise((r) => setTimeout(r, 50))
      expect(s.state().sent).toBeLessThan(16 * 1024 * 1024)
    } finally {
      await s.close()
    }
  })

  it('refuses a declared Content-Length over the cap without reading it, and takes one under it', async () => {
    const s = await bigServer(2 * 1024 * 1024, true)
    try {
      const e = await failure(capped(s.url, 1024 * 1024).send({ method: 'GET', path: '/x' }))
      expect((e as CarrierError).code).toBe('carrier_error')
      const ok = await capped(s.url).send({ method: 'GET', path: '/x', maxResponseBytes: 4 * 1024 * 1024 })
      expect(ok.body.length).toBe(2 * 1024 * 1024)
    } finally {
      await s.close()
    }
  })
})
