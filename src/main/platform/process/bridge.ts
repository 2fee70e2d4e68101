// The backend in its own process (Electron's utilityProcess on the desktop, a forked Node child
// in the bench and the tests): the same typed contract and events, carried as messages over a
// port. Main keeps the window and Electron's services (safeStorage, the label window, the
// updater); the backend asks main for those through `ask`, and main tells it what the OS says
// (online, sleep, download progress) through `signal`.
import type { EventName } from '../../../shared/contract'
import { GuichetError, type AppError, type Result } from '../../../shared/result'
import { EventBus } from '../events'
import type { Dispatch } from '../ipc/dispatch'

/** What the two ends exchange. Structured-clone safe: plain data, Uint8Array for bytes. */
export type BridgeMessage =
  // main -> backend: a contract call (channel) or a shell control ('@quitting')
  | { type: 'call'; id: number; channel: string; input: unknown }
  | { type: 'reply'; id: number; result: Result<unknown> }
  | { type: 'event'; name: EventName; payload: unknown }
  | { type: 'ready' }
  | { type: 'failed'; problem: unknown }
  | { type: 'stop' }
  // backend -> main: a service only main has (safeStorage, webContents, electron-updater)
  | { type: 'ask'; id: number; method: string; args: unknown[] }
  | { type: 'answer'; id: number; result: Result<unknown> }
  // main -> backend: what the OS says
  | { type: 'signal'; name: string; payload: unknown }

/** A MessagePort, Electron's parentPort or a child process's IPC, seen the same way. */
export interface PortLike {
  postMessage(message: BridgeMessage): void
  onMessage(listener: (message: BridgeMessage) => void): void
}

/** The services main answers for the backend, by method name. */
export type HostHandlers = Record<string, (...args: never[]) => unknown>

/** Shell controls: calls main makes that are not part of the renderer's contract. */
type Controls = Record<string, () => unknown>

const errorOf = (e: unknown): AppError =>
  e instanceof GuichetError ? e.toAppError() : { code: 'internal', message: e instanceof Error ? e.message : String(e), retryable: false }

/** Backend side: answers every call with the backend's dispatch (or a control) and forwards every event. */
export function serveBackend(
  port: PortLike,
  dispatch: Dispatch,
  events: EventBus,
  onStop: () => void,
  controls: Controls = {}
): () => void {
  const off = events.onAny((name, payload) => port.postMessage({ type: 'event', name, payload }))
  port.onMessage((m) => {
    if (m.type === 'call') {
      // Controls start with '@': no contract channel does, and the renderer reaches contract channels only.
      const control = m.channel.startsWith('@') ? controls[m.channel.slice(1)] : undefined
      const run: Promise<Result<unknown>> = control
        ? Promise.resolve()
            .then(control)
            .then(
              (value) => ({ ok: true as const, value }),
              (e: unknown) => ({ ok: false as const, error: errorOf(e) })
            )
        : dispatch(m.channel, m.input)
      void run.then((result) => port.postMessage({ type: 'reply', id: m.id, result }))
    } else if (m.type === 'stop') onStop()
  })
  port.postMessage({ type: 'ready' })
  return off
}

/** The error main's service threw, thrown again on this side with its code, field and params. */
function errorFrom(e: AppError): GuichetError {
  return new GuichetError(e.code, e.message, {
    retryable: e.retryable,
    ...(e.field !== undefined ? { field: e.field } : {}),
    ...(e.params !== undefined ? { params: e.params } : {})
  })
}

/** Backend side: main's services, asked over the port. */
export interface HostLink {
  ask<T>(method: string, ...args: unknown[]): Promise<T>
  /** Posts without waiting for the answer; messages keep their order, so main handles it before anything sent later. */
  tell(method: string, ...args: unknown[]): void
  onSignal(name: string, listener: (payload: unknown) => void): () => void
}

export function connectHost(port: PortLike): HostLink {
  let next = 1
  const pending = new Map<number, (r: Result<unknown>) => void>()
  const signals = new Map<string, Set<(payload: unknown) => void>>()
  port.onMessage((m) => {
    if (m.type === 'answer') {
      pending.get(m.id)?.(m.result)
      pending.delete(m.id)
    } else if (m.type === 'signal') signals.get(m.name)?.forEach((fn) => fn(m.payload))
  })
  const post = (method: string, args: unknown[]) => {
    const id = next++
    port.postMessage({ type: 'ask', id, method, args })
    return id
  }
  return {
    ask: <T>(method: string, ...args: unknown[]) =>
      new Promise<T>((resolve, reject) => {
        pending.set(post(method, args), (r) => (r.ok ? resolve(r.value as T) : reject(errorFrom(r.error))))
      }),
    tell: (method, ...args) => void post(method, args),
    onSignal(name, listener) {
      const set = signals.get(name) ?? new Set()
      signals.set(name, set.add(listener))
      return () => set.delete(listener)
    }
  }
}

const gone: AppError = { code: 'internal', message: 'backend_restarting', retryable: true }

export interface BackendClient {
  /** The backend's dispatch, as the IPC transport expects it. */
  dispatch: Dispatch
  /** A shell control the backend serves (serveBackend's `controls`). */
  control(name: string): Promise<Result<unknown>>
  /** Tells the backend what the OS says (online, sleep, download progress). */
  signal(name: string, payload: unknown): void
  /** The backend's events, re-emitted in this process. */
  events: EventBus
  /** Resolves at the backend's `ready`, rejects with its start-up problem. */
  ready: Promise<void>
  /** The port is gone (crash): pending calls answer a retryable error, nothing hangs. */
  disconnected(): void
}

/** Main side: a dispatch and an event bus that live in the backend process; `host` answers its asks. */
export function connectBackend(port: PortLike, events: EventBus = new EventBus(), host: HostHandlers = {}): BackendClient {
  let next = 1
  const pending = new Map<number, (r: Result<unknown>) => void>()
  let settle!: { ok: () => void; ko: (problem: unknown) => void }
  const ready = new Promise<void>((ok, ko) => (settle = { ok, ko }))
  const answer = (id: number, method: string, args: unknown[]) => {
    const handler = host[method] as ((...a: unknown[]) => unknown) | undefined
    void Promise.resolve()
      .then(() => {
        if (!handler) throw new GuichetError('unsupported', `main has no ${method}`)
        return handler(...args)
      })
      .then(
        (value) => ({ ok: true as const, value }),
        (e: unknown) => ({ ok: false as const, error: errorOf(e) })
      )
      .then((result) => port.postMessage({ type: 'answer', id, result }))
  }
  port.onMessage((m) => {
    if (m.type === 'reply') {
      pending.get(m.id)?.(m.result)
      pending.delete(m.id)
    } else if (m.type === 'event') events.emit(m.name, m.payload as never)
    else if (m.type === 'ask') answer(m.id, m.method, m.args)
    else if (m.type === 'ready') settle.ok()
    else if (m.type === 'failed') settle.ko(m.problem)
  })
  const call = (channel: string, input: unknown) =>
    new Promise<Result<unknown>>((resolve) => {
      const id = next++
      pending.set(id, resolve)
      port.postMessage({ type: 'call', id, channel, input })
    })
  return {
    dispatch: call,
    control: (name) => call(`@${name}`, null),
    signal: (name, payload) => port.postMessage({ type: 'signal', name, payload }),
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

/** Bytes that crossed a port (a Uint8Array after structured clone) as a Buffer again. */
export const asBuffer = (b: Uint8Array): Buffer => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength))
