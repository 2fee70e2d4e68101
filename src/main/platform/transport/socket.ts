import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import type * as Ws from 'ws'
import type { RawData, WebSocket, WebSocketServer } from 'ws'
import { fail, type Result } from '../../../shared/result'
import type { Dispatch } from '../ipc/dispatch'
import type { EventBus } from '../events'
import type { Logger } from '../logger'
import { lazyRequire } from '../startup/lazy'

// Loaded at the first page that connects (ws brings tls, zlib and https: 12 ms of a 180 ms start),
// not before the service's first answer.
const wsPackage = lazyRequire<typeof Ws>('ws')

// Browser mode's fast path: one WebSocket per page carries calls and push events, the way
// Electron IPC does. A fetch per call costs Chromium about 5 ms of network-service work on
// loopback; a message on an open socket costs under 1 ms (docs/PERFORMANCE.md, UI).
//
//   GET /ws, Upgrade: websocket, Sec-WebSocket-Protocol: guichet.v1, bearer.<token>
//   page -> service  {"id": 7, "channel": "shipments.find", "input": {...}}
//   service -> page  {"id": 7, "result": {ok, value} | {ok: false, error}}
//   service -> page  {"event": "shipment.changed", "payload": {...}}
//
// Browsers cannot set an Authorization header on a WebSocket, so the token rides in the
// subprotocol list (never the URL, which ends up in logs). The service answers `guichet.v1`.

const SOCKET_PATH = '/ws'
const SOCKET_PROTOCOL = 'guichet.v1'
const BEARER_PREFIX = 'bearer.'

interface SocketOptions {
  server: Server
  dispatch: Dispatch
  events: EventBus
  logger: Logger
  maxPayloadBytes: number
  /** Same checks as the HTTP routes: Host against DNS rebinding, the per-run token. */
  hostAllowed(req: IncomingMessage): boolean
  originAllowed(origin: string): boolean
  tokenMatches(token: string): boolean
  heartbeatMs?: number
}

const reply = (id: number | null, result: Result<unknown>) => JSON.stringify({ id, result })
const refusal = (message: string): Result<never> => fail({ code: 'invalid_input', message, retryable: false })

function refuseUpgrade(socket: Duplex, status: 401 | 403 | 404, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

/** Attaches the socket endpoint to the HTTP server; returns a closer. */
export function attachSocket(opts: SocketOptions): { close(): void; clients(): number } {
  let wss: WebSocketServer | null = null
  const server = (): WebSocketServer => {
    if (wss) return wss
    wss = new (wsPackage().WebSocketServer)({
      noServer: true,
      maxPayload: opts.maxPayloadBytes,
      // The page offers `guichet.v1` plus its bearer; only the former is echoed back.
      handleProtocols: (protocols) => (protocols.has(SOCKET_PROTOCOL) ? SOCKET_PROTOCOL : false)
    })
    wss.on('connection', onConnection)
    return wss
  }

  opts.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://local').pathname
    if (path !== SOCKET_PATH) return refuseUpgrade(socket, 404, 'Not Found')
    if (!opts.hostAllowed(req)) return refuseUpgrade(socket, 403, 'Forbidden')
    // WebSockets are not bound by CORS: without this, any site open in the same browser could
    // connect to the loopback port. Only the UI's own origin may.
    if (!opts.originAllowed(req.headers.origin ?? '')) return refuseUpgrade(socket, 403, 'Forbidden')
    const offered = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim())
    const bearer = offered.find((p) => p.startsWith(BEARER_PREFIX))
    if (!bearer || !opts.tokenMatches(bearer.slice(BEARER_PREFIX.length)) || !offered.includes(SOCKET_PROTOCOL)) {
      return refuseUpgrade(socket, 401, 'Unauthorized')
    }
    const s = server()
    s.handleUpgrade(req, socket, head, (client) => s.emit('connection', client, req))
  })

  const onConnection = (ws: WebSocket) => {
    let alive = true
    ws.on('pong', () => (alive = true))
    const beat = setInterval(() => {
      // A page that slept or vanished without a close frame is dropped, so its events stop.
      if (!alive) return ws.terminate()
      alive = false
      ws.ping()
    }, opts.heartbeatMs ?? 15_000)
    const off = opts.events.onAny((name, payload) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event: name, payload }))
    })
    ws.on('close', () => {
      clearInterval(beat)
      off()
    })
    ws.on('error', (e) => opts.logger.warn('socket.error', { message: e.message }))
    ws.on('message', (data: RawData, isBinary: boolean) => {
      void handleMessage(ws, data, isBinary).catch((e: unknown) => {
        opts.logger.error('socket.rpc_failed', { error: e instanceof Error ? e.message : String(e) })
      })
    })
  }

  const handleMessage = async (ws: WebSocket, data: RawData, isBinary: boolean) => {
    if (isBinary) return ws.send(reply(null, refusal('Send JSON text frames')))
    let message: unknown
    try {
      message = JSON.parse(data.toString())
    } catch {
      return ws.send(reply(null, refusal('Frame is not valid JSON')))
    }
    const { id, channel, input } = (message ?? {}) as { id?: unknown; channel?: unknown; input?: unknown }
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) return ws.send(reply(null, refusal('Frame needs a numeric id')))
    if (typeof channel !== 'string') return ws.send(reply(id, refusal('Frame needs a channel')))
    // Same dispatch as IPC and POST /rpc: unknown channel and bad input come back as errors.
    const result = await opts.dispatch(channel, input ?? {})
    if (ws.readyState === ws.OPEN) ws.send(reply(id, result))
  }

  return {
    clients: () => wss?.clients.size ?? 0,
    close() {
      if (!wss) return
      for (const client of wss.clients) client.terminate()
      wss.close()
    }
  }
}
