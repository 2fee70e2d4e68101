import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { extname } from 'node:path'
import type { AddressInfo } from 'node:net'
import type { Result } from '../../../shared/result'
import type { Dispatch } from '../ipc/dispatch'
import type { EventBus } from '../events'
import type { Logger } from '../logger'
import { CONTENT_SECURITY_POLICY, MIME, isLoopbackHost, resolveUnderRoot } from '../security/policy'
import { attachSocket } from './socket'

// Browser mode's transport: the same dispatch as Electron IPC, on loopback only.
//   GET  /ws              WebSocket: calls and push events, what the renderer uses (socket.ts)
//   POST /rpc/<channel>   JSON body in, Result envelope out: the renderer's fallback, and tools
//   GET  /events          server-sent events (the contract's push events), for tools
// All need the per-run random token: `Authorization: Bearer <token>`, or the WebSocket subprotocol.

interface HttpTransportOptions {
  dispatch: Dispatch
  events: EventBus
  logger: Logger
  /** The built renderer (out/renderer). */
  rendererDir: string
  host?: string
  port?: number
  token?: string
  /** Largest accepted request body, bytes. */
  maxBodyBytes?: number
}

export interface HttpTransport {
  url: string
  /** The URL that opens the app already authorised (token in the fragment, never the query). */
  appUrl: string
  port: number
  token: string
  server: Server
  close(): Promise<void>
}

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-frame-options': 'DENY'
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
  res.end(text)
}

const failure = (code: string, message: string): Result<never> =>
  ({ ok: false, error: { code, message, retryable: false } }) as Result<never>

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  return new Promise((resolvePromise, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      req.resume() // drain and discard, so the 413 reaches the client
      return resolvePromise('too_large')
    }
    const chunks: Buffer[] = []
    let size = 0
    const onData = (c: Buffer) => {
      size += c.length
      if (size > limit) {
        req.off('data', onData)
        req.resume()
        chunks.length = 0
        resolvePromise('too_large')
        return
      }
      chunks.push(c)
    }
    req.on('data', onData)
    req.on('end', () => resolvePromise(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

export async function startHttpTransport(opts: HttpTransportOptions): Promise<HttpTransport> {
  const host = opts.host ?? '127.0.0.1'
  if (!isLoopbackHost(host)) {
    throw new Error(`Refusing to listen on ${host}: browser mode only binds a loopback address (127.0.0.1 or ::1).`)
  }
  const token = opts.token ?? randomBytes(32).toString('base64url')
  const tokenBytes = Buffer.from(token)
  const maxBody = opts.maxBodyBytes ?? 1_000_000
  let port = 0

  const tokenMatches = (candidate: string): boolean => {
    const given = Buffer.from(candidate)
    return given.length === tokenBytes.length && timingSafeEqual(given, tokenBytes)
  }
  const authorised = (req: IncomingMessage): boolean => {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')
    return !!m && tokenMatches(m[1]!)
  }

  // DNS rebinding: a page on evil.example resolving to 127.0.0.1 would send its own Host.
  const ownHosts = () => [`${host.includes(':') ? `[${host}]` : host}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]
  const hostAllowed = (req: IncomingMessage): boolean => ownHosts().includes(req.headers.host ?? '')
  const originAllowed = (origin: string): boolean => ownHosts().some((h) => origin === `http://${h}`)

  const serveStatic = (req: IncomingMessage, res: ServerResponse, path: string) => {
    const file = resolveUnderRoot(opts.rendererDir, path)
    if (!file) return sendJson(res, 400, failure('invalid_input', 'Bad path'))
    let st
    try {
      st = statSync(file)
    } catch {
      return sendJson(res, 404, failure('not_found', 'Not found'))
    }
    if (!st.isFile()) return sendJson(res, 404, failure('not_found', 'Not found'))
    const type = MIME[extname(file)] ?? 'application/octet-stream'
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': type,
      'content-length': st.size,
      'cache-control': type.startsWith('text/html') ? 'no-store' : 'public, max-age=31536000, immutable'
    })
    if (req.method === 'HEAD') return res.end()
    createReadStream(file).pipe(res)
  }

  const handleRpc = async (req: IncomingMessage, res: ServerResponse, channel: string) => {
    if (!authorised(req)) return sendJson(res, 401, failure('unauthorized', 'Missing or wrong token'))
    const type = req.headers['content-type'] ?? ''
    if (!type.startsWith('application/json')) return sendJson(res, 415, failure('invalid_input', 'Send application/json'))
    const body = await readBody(req, maxBody)
    if (body === 'too_large') return sendJson(res, 413, failure('invalid_input', `Body larger than ${maxBody} bytes`))
    let input: unknown = {}
    if (body.length > 0) {
      try {
        input = JSON.parse(body.toString('utf8'))
      } catch {
        return sendJson(res, 400, failure('invalid_input', 'Body is not valid JSON'))
      }
    }
    const result = await opts.dispatch(channel, input)
    sendJson(res, 200, result)
  }

  const handleEvents = (req: IncomingMessage, res: ServerResponse) => {
    if (!authorised(req)) return sendJson(res, 401, failure('unauthorized', 'Missing or wrong token'))
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
    res.write(': connected\n\n')
    const off = opts.events.onAny((name, payload) => res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`))
    const beat = setInterval(() => res.write(': keep-alive\n\n'), 15_000)
    req.on('close', () => {
      clearInterval(beat)
      off()
    })
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local')
    if (!hostAllowed(req)) return sendJson(res, 403, failure('forbidden', 'Unexpected Host header'))
    const rpc = /^\/rpc\/([A-Za-z0-9._-]{1,64})$/.exec(url.pathname)
    if (rpc) {
      if (req.method !== 'POST') return sendJson(res, 405, failure('invalid_input', 'Use POST'))
      handleRpc(req, res, rpc[1]!).catch((e) => {
        opts.logger.error('http.rpc_failed', { error: e })
        if (!res.headersSent) sendJson(res, 500, failure('internal', 'Request failed'))
      })
      return
    }
    if (url.pathname === '/events') return handleEvents(req, res)
    if (req.method === 'GET' || req.method === 'HEAD') return serveStatic(req, res, url.pathname)
    return sendJson(res, 405, failure('invalid_input', 'Method not allowed'))
  })
  server.on('clientError', (_e, socket) => socket.destroy())

  await new Promise<void>((ok, ko) => {
    server.once('error', ko)
    server.listen(opts.port ?? 0, host, () => ok())
  })
  port = (server.address() as AddressInfo).port
  const socket = attachSocket({
    server,
    dispatch: opts.dispatch,
    events: opts.events,
    logger: opts.logger,
    maxPayloadBytes: maxBody,
    hostAllowed,
    originAllowed,
    tokenMatches
  })
  const shownHost = host === '::1' ? '[::1]' : host === 'localhost' ? 'localhost' : host
  const url = `http://${shownHost}:${port}`
  return {
    url,
    appUrl: `${url}/#token=${token}`,
    port,
    token,
    server,
    close: () =>
      new Promise<void>((ok) => {
        socket.close()
        server.closeAllConnections()
        server.close(() => ok())
      })
  }
}
