import { buildApi } from '@shared/contract/api'
import type { EventName, GuichetApi } from '@shared/contract'
import type { Result } from '@shared/result'

/**
 * Browser mode: the same GuichetApi as the preload, over `POST /rpc/<channel>` and a
 * server-sent-event stream read with fetch (EventSource cannot send the bearer token).
 */
export function createHttpApi(token: string, base = ''): GuichetApi {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` }
  const listeners = new Map<EventName, Set<(p: unknown) => void>>()
  let streaming = false

  const invoke = async (channel: string, input: unknown): Promise<Result<unknown>> => {
    try {
      const res = await fetch(`${base}/rpc/${channel}`, { method: 'POST', headers, body: JSON.stringify(input ?? {}) })
      if (res.status === 401) return { ok: false, error: { code: 'unauthorized', message: 'This page’s access token is missing or expired: open the link Guichet printed.', retryable: false } }
      return (await res.json()) as Result<unknown>
    } catch {
      return { ok: false, error: { code: 'offline', message: 'Guichet’s local service does not answer.', retryable: true } }
    }
  }

  const stream = async () => {
    if (streaming) return
    streaming = true
    for (;;) {
      try {
        const res = await fetch(`${base}/events`, { headers: { authorization: headers.authorization } })
        if (!res.ok || !res.body) throw new Error(String(res.status))
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
        let buffer = ''
        for (;;) {
          const { value, done } = await reader.read()
          if (done) break
          buffer += value
          let cut: number
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut)
            buffer = buffer.slice(cut + 2)
            const name = /^event: (.+)$/m.exec(block)?.[1] as EventName | undefined
            const data = /^data: (.+)$/m.exec(block)?.[1]
            if (!name || data === undefined) continue
            const payload = JSON.parse(data) as unknown
            for (const l of listeners.get(name) ?? []) l(payload)
          }
        }
      } catch {
        // The service restarted or the page slept: reconnect shortly.
      }
      await new Promise((r) => setTimeout(r, 2000))
    }
  }

  return buildApi(invoke as Parameters<typeof buildApi>[0], (name, listener) => {
    void stream()
    const set = listeners.get(name) ?? new Set()
    listeners.set(name, set)
    set.add(listener)
    return () => set.delete(listener)
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
