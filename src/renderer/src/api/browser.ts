import { buildApi } from '@shared/contract/api'
import type { EventName, GuichetApi } from '@shared/contract'
import type { Result } from '@shared/result'

// Browser mode's client: the same GuichetApi as the preload. Calls and push events travel on
// one WebSocket (src/main/platform/transport/socket.ts), which costs a call well under a millisecond
// where a fetch costs Chromium about five; when the socket cannot be opened, a call falls back
// to `POST /rpc/<channel>`, which also tells a wrong token (401) from a stopped service.

const PROTOCOL = 'guichet.v1'

type Pending = (r: Result<unknown>) => void

interface BrowserApiOptions {
  /** The service's origin, e.g. http://127.0.0.1:5170; '' means this page's own. */
  base?: string
  /** Injected in tests (Node has no WebSocket global before v22). */
  WebSocketImpl?: typeof WebSocket
  fetchImpl?: typeof fetch
  /** First wait before reconnecting after the socket drops; doubles up to 8x. */
  reconnectMs?: number
}

const OFFLINE: Result<never> = {
  ok: false,
  error: { code: 'offline', message: 'Guichet’s local service does not answer.', retryable: true }
}
const UNAUTHORIZED: Result<never> = {
  ok: false,
  error: {
    code: 'unauthorized',
    message: 'This page’s access token is missing or expired: open the link Guichet printed.',
    retryable: false
  }
}

export function createBrowserApi(token: string, opts: BrowserApiOptions = {}): GuichetApi {
  const base = opts.base ?? ''
  const WS = opts.WebSocketImpl ?? WebSocket
  const doFetch = opts.fetchImpl ?? ((...a: Parameters<typeof fetch>) => fetch(...a))
  const firstWait = opts.reconnectMs ?? 500
  const socketUrl = `${(base || window.location.origin).replace(/^http/, 'ws')}/ws`
  const listeners = new Map<EventName, Set<(p: unknown) => void>>()
  const pending = new Map<number, Pending>()
  let nextId = 1
  let socket: WebSocket | null = null
  let opening: Promise<WebSocket | null> | null = null
  let wait = firstWait
  let retryTimer: ReturnType<typeof setTimeout> | null = null

  const onMessage = (e: MessageEvent) => {
    let m: { id?: number | null; result?: Result<unknown>; event?: EventName; payload?: unknown }
    try {
      m = JSON.parse(String(e.data)) as typeof m
    } catch {
      return
    }
    if (typeof m.id === 'number' && m.result) {
      const done = pending.get(m.id)
      pending.delete(m.id)
      done?.(m.result)
    } else if (m.event) {
      for (const l of listeners.get(m.event) ?? []) l(m.payload)
    }
  }

  const scheduleReconnect = () => {
    // Only pages that listen to events need the socket back by itself; calls reopen it anyway.
    if (retryTimer || listeners.size === 0) return
    retryTimer = setTimeout(() => {
      retryTimer = null
      void connect().then((ws) => {
        if (!ws) scheduleReconnect()
      })
    }, wait)
    wait = Math.min(wait * 2, firstWait * 8)
  }

  const connect = (): Promise<WebSocket | null> => {
    if (socket) return Promise.resolve(socket)
    opening ??= new Promise<WebSocket | null>((resolve) => {
      let ws: WebSocket
      try {
        ws = new WS(socketUrl, [PROTOCOL, `bearer.${token}`])
      } catch {
        opening = null
        return resolve(null)
      }
      ws.onopen = () => {
        socket = ws
        opening = null
        wait = firstWait
        resolve(ws)
      }
      ws.onmessage = onMessage
      // A refused or broken socket always ends in `close`, handled below.
      ws.onerror = () => {}
      ws.onclose = () => {
        const wasOpen = socket === ws
        if (wasOpen) socket = null
        opening = null
        // A call whose answer was on the dropped socket ends as offline, like a failed fetch.
        for (const done of pending.values()) done(OFFLINE)
        pending.clear()
        if (!wasOpen) resolve(null)
        scheduleReconnect()
      }
    })
    return opening
  }

  const viaHttp = async (channel: string, input: unknown): Promise<Result<unknown>> => {
    try {
      const res = await doFetch(`${base}/rpc/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(input ?? {})
      })
      if (res.status === 401) return UNAUTHORIZED
      return (await res.json()) as Result<unknown>
    } catch {
      return OFFLINE
    }
  }

  const send = (ws: WebSocket, channel: string, input: unknown) =>
    new Promise<Result<unknown>>((resolve) => {
      const id = nextId++
      pending.set(id, resolve)
      ws.send(JSON.stringify({ id, channel, input: input ?? {} }))
    })

  const invoke = async (channel: string, input: unknown): Promise<Result<unknown>> => {
    // The hot path (socket open) stays synchronous up to the send.
    if (socket) return send(socket, channel, input)
    const ws = await connect()
    return ws ? send(ws, channel, input) : viaHttp(channel, input)
  }

  return buildApi(invoke as Parameters<typeof buildApi>[0], (name, listener) => {
    const set = listeners.get(name) ?? new Set()
    listeners.set(name, set)
    set.add(listener)
    void connect().then((ws) => {
      if (!ws) scheduleReconnect()
    })
    return () => {
      set.delete(listener)
      if (set.size === 0) listeners.delete(name)
    }
  })
}

/** Reads the token from the fragment once, keeps it for the tab, and removes it from the address bar. */
export function takeToken(): string | null {
  const m = /(?:^|[#&])token=([A-Za-z0-9_-]+)/.exec(window.location.hash)
  if (m) {
    sessionStorage.setItem('guichet.token', m[1]!)
    history.replaceState(null, '', window.location.pathname + window.location.search)
    return m[1]!
  }
  return sessionStorage.getItem('guichet.token')
}
