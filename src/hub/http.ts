// The hub's HTTP face: the desk API under /v1 (typed by src/shared/hub/contract) and head
// office (office.ts: the renderer and /office/v1). One refused request never holds up another: bodies are capped while read.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { z } from 'zod'
import {
  MAX_BATCH_BYTES,
  MAX_PULL_EVENTS,
  enrolRequestSchema,
  leaseRequestSchema,
  pushRequestSchema,
  type HubRefusal
} from '../shared/hub/contract'
import type { Logger } from '../main/platform/logger'
import { HubRefused, type HubStore } from './store'
import type { Office } from './office'

export interface HubHttp {
  url: string
  server: Server
  close(): Promise<void>
}

class TooLarge extends Error {}

/** Reads at most `max` bytes; a larger body is refused as soon as it is known, never buffered. */
function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN)
    if (Number.isFinite(declared) && declared > max) return reject(new TooLarge())
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > max) {
        req.removeAllListeners('data')
        reject(new TooLarge())
        return
      }
      chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function send(res: ServerResponse, status: number, body: unknown, close = false): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...(close ? { connection: 'close' } : {})
  })
  res.end(text)
}

const refuse = (res: ServerResponse, status: number, r: HubRefusal, close = false) => send(res, status, r, close)

function parse<T>(schema: z.ZodType<T>, raw: Buffer): T {
  let json: unknown
  try {
    json = JSON.parse(raw.toString('utf8'))
  } catch {
    throw new HubRefused(400, { refused: 'hub.invalid_input', field: '' })
  }
  const r = schema.safeParse(json)
  if (!r.success) throw new HubRefused(400, { refused: 'hub.invalid_input', field: r.error.issues[0]?.path.join('.') ?? '' })
  return r.data
}

export async function startHubHttp(opts: {
  store: HubStore
  office: Office
  logger: Logger
  host: string
  port: number
}): Promise<HubHttp> {
  const { store, office, logger } = opts

  async function api(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    if (req.method === 'POST' && path === '/v1/enrol') {
      const body = parse(enrolRequestSchema, await readBody(req, 64 * 1024))
      const desk = await store.enrol(body.code, body.deskName, body.protocol)
      logger.info('hub.desk_enrolled', { desk: desk.deskId, role: desk.role, point: desk.pointId })
      return send(res, 200, desk)
    }
    if (req.method === 'GET' && path === '/health') return send(res, 200, { ok: true })
    // Everything else is a desk's: its credential first, before a byte of the body is read.
    const desk = await store.authenticate(req.headers.authorization)
    if (req.method === 'POST' && path === '/v1/events') {
      const body = parse(pushRequestSchema, await readBody(req, MAX_BATCH_BYTES))
      return send(res, 200, await store.push(desk, body))
    }
    if (req.method === 'GET' && path === '/v1/events') {
      const cursor = Number(query.get('cursor') ?? '0')
      const limit = Number(query.get('limit') ?? MAX_PULL_EVENTS)
      if (!Number.isSafeInteger(cursor) || cursor < 0) throw new HubRefused(400, { refused: 'hub.invalid_input', field: 'cursor' })
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PULL_EVENTS)
        throw new HubRefused(400, { refused: 'hub.invalid_input', field: 'limit', max: MAX_PULL_EVENTS })
      return send(res, 200, await store.pull(desk, cursor, limit))
    }
    if (req.method === 'POST' && path === '/v1/lease') {
      const body = parse(leaseRequestSchema, await readBody(req, 16 * 1024))
      return send(res, 200, await store.lease(desk, body))
    }
    if (req.method === 'POST' && path === '/v1/lease/release') {
      const body = parse(z.object({ account: z.string().max(200) }), await readBody(req, 16 * 1024))
      await store.release(desk, body.account)
      return send(res, 200, { released: true })
    }
    send(res, 404, { refused: 'hub.invalid_input', field: 'path' })
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://hub')
    const path = url.pathname
    // The desks' API under /v1 (and /health); everything else is head office: its API and the renderer.
    const desk = path.startsWith('/v1/') || path === '/health'
    const handle = desk ? api(req, res, path, url.searchParams) : office.handle(req, res, url)
    handle.catch((e: unknown) => {
      if (res.headersSent) return res.destroy()
      // A refusal before the body was read: answer, then drop the connection, never reading the rest.
      const unread = !req.complete
      if (unread) res.on('finish', () => req.destroy())
      if (e instanceof TooLarge) return refuse(res, 413, { refused: 'hub.batch_too_large', max: MAX_BATCH_BYTES }, true)
      if (e instanceof HubRefused) return refuse(res, e.status, e.refusal, unread)
      logger.error('hub.request_failed', { path, error: e })
      refuse(res, 500, { refused: 'hub.internal' }, unread)
    })
  })
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => resolve())
  })
  const addr = server.address() as AddressInfo
  const url = `http://${addr.address.includes(':') ? `[${addr.address}]` : addr.address}:${addr.port}`
  return {
    url,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
