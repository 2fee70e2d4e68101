// The backend in its own process (Electron's utilityProcess on the desktop, a forked Node child
// in the bench and the tests): the same typed contract and events, carried as messages over a
// port. Main keeps the window and Electron's services; the backend keeps SQLite off its thread.
import type { EventName } from '../../../shared/contract'
import type { AppError, Result } from '../../../shared/result'
import { EventBus } from '../events'
import type { Dispatch } from '../ipc/dispatch'

/** What the two ends exchange. Structured-clone safe: plain data only. */
export type BridgeMessage =
  | { type: 'call'; id: number; channel: string; input: unknown }
  | { type: 'reply'; id: number; result: Result<unknown> }
  | { type: 'event'; name: EventName; payload: unknown }
  | { type: 'ready' }
  | { type: 'failed'; problem: unknown }
  | { type: 'stop' }

/** A MessagePort, Electron's parentPort or a child process's IPC, seen the same way. */
export interface PortLike {
  postMessage(message: BridgeMessage): void
  onMessage(listener: (message: BridgeMessage) => void): void
}

/** Backend side: answers every call with the backend's dispatch and forwards every event. */
export function serveBackend(port: PortLike, dispatch: Dispatch, events: EventBus, onStop: () => void): () => void {
  const off = events.onAny((name, payload) => port.postMessage({ type: 'event', name, payload }))
  port.onMessage((m) => {
    if (m.type === 'call') void dispatch(m.channel, m.input).then((result) => port.postMessage({ type: 'reply', id: m.id, result }))
    else if (m.type === 'stop') onStop()
  })
  port.postMessage({ type: 'ready' })
  return off
}

const gone: AppError = { code: 'internal', message: 'backend_restarting', retryable: true }

export interface BackendClient {
  /** The backend's dispatch, as the IPC transport expects it. */
  dispatch: Dispatch
  /** The backend's events, re-emitted in this process. */
  events: EventBus
  /** Resolves at the backend's `ready`, rejects with its start-up problem. */
  ready: Promise<void>
  /** The port is gone (crash): pending calls answer a retryable error, nothing hangs. */
  disconnected(): void
}

/** Main side: a dispatch and an event bus that live in the backend process. */
export function connectBackend(port: PortLike, events: EventBus = new EventBus()): BackendClient {
  let next = 1
  const pending = new Map<number, (r: Result<unknown>) => void>()
  let settle!: { ok: () => void; ko: (problem: unknown) => void }
  const ready = new Promise<void>((ok, ko) => (settle = { ok, ko }))
  port.onMessage((m) => {
    if (m.type === 'reply') {
      pending.get(m.id)?.(m.result)
      pending.delete(m.id)
    } else if (m.type === 'event') events.emit(m.name, m.payload as never)
    else if (m.type === 'ready') settle.ok()
    else if (m.type === 'failed') settle.ko(m.problem)
  })
  return {
    dispatch: (channel, input) =>
      new Promise((resolve) => {
        const id = next++
        pending.set(id, resolve)
        port.postMessage({ type: 'call', id, channel, input })
      }),
    events,
    ready,
    disconnected() {
      for (const resolve of pending.values()) resolve({ ok: false, error: gone })
      pending.clear()
      settle.ko({ code: 'startup_failed' })
    }
  }
}

/** A Node child's IPC channel (process.send / 'message') as a port. */
export function nodeIpcPort(proc: NodeJS.EventEmitter & { send?: (m: BridgeMessage) => unknown }): PortLike {
  return {
    postMessage: (m) => void proc.send?.(m),
    onMessage: (fn) => void proc.on('message', (m: BridgeMessage) => fn(m))
  }
}
