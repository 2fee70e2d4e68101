// Shared plumbing of the carrier simulators: a real HTTP server on 127.0.0.1 whose time is the
// test's clock, with faults injected on request so tests see what real carriers do on bad days.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { Clock } from '../../platform/clock'

export type FaultKind =
  | 'http_500'
  | 'http_502'
  | 'http_503'
  | 'timeout'
  | 'slow_drip'
  | 'truncated_json'
  | 'malformed_json'
  | 'wrong_content_type'
  | 'http_429'
  | 'connection_reset'

export const FAULT_KINDS: readonly FaultKind[] = [
  'http_500',
  'http_502',
  'http_503',
  'timeout',
  'slow_drip',
  'truncated_json',
  'malformed_json',
  'wrong_content_type',
  'http_429',
  'connection_reset'
]

interface Fault {
  kind: FaultKind
  /** Only requests whose URL contains this text (a tracking number, a path) are hit. */
  match?: string
  /** How many matching requests are hit (default 1). */
  times?: number
  /** For http_429: the Retry-After seconds. */
  retryAfterSec?: number
}

export interface SimRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingMessage['headers']
  body: string
  /** Parsed body: JSON or form-encoded, {} when empty. */
  form: Record<string, unknown>
  raw: IncomingMessage
}

export interface SimReply {
  status: number
  body: unknown
  headers?: Record<string, string>
  /** Raw bytes (a PDF) instead of JSON. */
  raw?: { contentType: string; data: Buffer }
}

type SimHandler = (req: SimRequest) => SimReply | Promise<SimReply>

export interface SimServer {
  url: string
  port: number
  server: Server
  /** Queues a fault for the next matching request(s). */
  inject(fault: Fault): void
  clearFaults(): void
  /** Requests seen, in order (method + path + query), for assertions. */
  readonly log: Array<{ method: string; url: string; at: number; status: number }>
  close(): Promise<void>
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function parseForm(body: string, type: string | undefined): Record<string, unknown> {
  if (!body) return {}
  if (type?.includes('json')) {
    try {
      return JSON.parse(body) as Record<string, unknown>
    } catch {
      return { __malformed: true }
    }
  }
  return Object.fromEntries(new URLSearchParams(body))
}

export async function startSimServer(opts: {
  handler: SimHandler
  clock: Clock
  port?: number
  host?: string
  name: string
}): Promise<SimServer> {
  const faults: Array<Fault & { left: number }> = []
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  const log: SimServer['log'] = []

  const takeFault = (url: string): Fault | undefined => {
    const i = faults.findIndex((f) => !f.match || url.includes(f.match))
    if (i < 0) return undefined
    const f = faults[i]!
    if (--f.left <= 0) faults.splice(i, 1)
    return f
  }

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t)
      fn()
    }, ms)
    timers.add(t)
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = req.url ?? '/'
      const body = await readBody(req)
      const fault = takeFault(decodeURIComponent(url))
      const entry = { method: req.method ?? 'GET', url, at: opts.clock.now(), status: 0 }
      log.push(entry)
      if (fault) {
        entry.status = applyFault(fault, res, later)
        return
      }
      const u = new URL(url, 'http://127.0.0.1')
      let reply: SimReply
      try {
        reply = await opts.handler({
          method: req.method ?? 'GET',
          path: u.pathname,
          query: u.searchParams,
          headers: req.headers,
          body,
          form: parseForm(body, req.headers['content-type']),
          raw: req
        })
      } catch (e) {
        reply = { status: 500, body: { message: `Server Error: ${(e as Error).message}` } }
      }
      entry.status = reply.status
      send(res, reply)
    })()
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    log,
    inject: (f) => faults.push({ ...f, left: f.times ?? 1 }),
    clearFaults: () => void faults.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t)
        timers.clear()
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      })
  }
}

export function send(res: ServerResponse, reply: SimReply): void {
  if (reply.raw) {
    res.writeHead(reply.status, {
      'content-type': reply.raw.contentType,
      'content-length': String(reply.raw.data.length),
      ...reply.headers
    })
    res.end(reply.raw.data)
    return
  }
  const text = JSON.stringify(reply.body)
  res.writeHead(reply.status, { 'content-type': 'application/json', 'cache-control': 'no-cache, private', ...reply.headers })
  res.end(text)
}

function applyFault(f: Fault, res: ServerResponse, later: (ms: number, fn: () => void) => void): number {
  switch (f.kind) {
    case 'http_500':
    case 'http_502':
    case 'http_503': {
      const status = Number(f.kind.slice(5))
      res.writeHead(status, { 'content-type': 'text/html' })
      res.end(`<html><body><h1>${status}</h1></body></html>`)
      return status
    }
    case 'http_429':
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(f.retryAfterSec ?? 30), 'x-ratelimit-remaining': '0' })
      res.end(JSON.stringify({ message: 'Too Many Attempts.' }))
      return 429
    case 'timeout':
      // Never answers; the socket is destroyed when the server closes.
      return 0
    case 'slow_drip': {
      res.writeHead(200, { 'content-type': 'application/json' })
      const text = '{"data":{}}'
      let i = 0
      const drip = () => {
        if (res.destroyed) return
        if (i >= text.length) return void res.end()
        res.write(text[i++])
        later(400, drip)
      }
      drip()
      return 200
    }
    case 'truncated_json':
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"data":{"ECQ')
      return 200
    case 'malformed_json':
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end("{ 'success' : true, data: [1,2,}")
      return 200
    case 'wrong_content_type':
      res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' })
      res.end('<!doctype html><title>Maintenance</title><p>Nous revenons bientôt.</p>')
      return 200
    case 'connection_reset':
      res.socket?.destroy()
      return 0
  }
}
