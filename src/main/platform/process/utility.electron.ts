import { utilityProcess, type UtilityProcess } from 'electron'
import type { EventBus } from '../events'
import type { Dispatch } from '../ipc/dispatch'
import type { Logger } from '../logger'
import { connectBackend, type BackendClient, type BridgeMessage, type HostHandlers, type PortLike } from './bridge'
import type { Result } from '../../../shared/result'

interface BackendProcess {
  /** Stable across restarts: the IPC handlers keep this one. */
  dispatch: Dispatch
  /** A shell control of the running backend (e.g. '@quitting'). */
  control(name: string): Promise<Result<unknown>>
  /** Tells the running backend what the OS says. */
  signal(name: string, payload: unknown): void
  /** The first start: resolves when the backend answers, rejects with its start-up problem. */
  ready: Promise<void>
  /** Whether a backend is running now (false between a crash and its restart). */
  running(): boolean
  /** Stops the backend cleanly (it closes the store) and does not restart it. */
  close(): void
}

/** Waits before the n-th restart in a row: 0.5 s, 1 s, 2 s... at most 30 s. */
const restartDelayMs = (attempt: number): number => Math.min(500 * 2 ** Math.max(0, attempt - 1), 30_000)
/** A backend that ran this long without dying starts the count again. */
const STABLE_MS = 60_000

/**
 * Runs the backend (out/main/backend.process.js) in Electron's utilityProcess and restarts it,
 * with backoff, if it dies after a good start (a failed first start is a start-up problem, shown
 * as such). Nothing is lost across a crash: every write the clerk made was committed to SQLite
 * before it was answered, carrier writes wait in the outbox table and the restarted worker sends
 * them (a send cut in the middle is reconciled as after any crash); pending calls answer a
 * retryable error; events keep flowing into the same bus, and `backend.restarted` tells the UI.
 */
export function startBackendProcess(opts: {
  entry: string
  env: Record<string, string | undefined>
  events: EventBus
  logger: Logger
  /** What main answers the backend's asks with (safeStorage, label window, updater). */
  host?: HostHandlers
}): BackendProcess {
  let child: UtilityProcess
  let client: BackendClient
  let alive = false
  let closing = false
  let attempt = 0
  let startedAt = 0
  const fork = (): Promise<void> => {
    child = utilityProcess.fork(opts.entry, [], { env: opts.env, serviceName: 'Guichet backend', stdio: 'inherit' })
    const port: PortLike = {
      postMessage: (m: BridgeMessage) => child.postMessage(m),
      onMessage: (fn) => void child.on('message', fn)
    }
    const c = (client = connectBackend(port, opts.events, opts.host))
    child.once('exit', (code) => {
      const wasAlive = alive
      alive = false
      c.disconnected()
      if (closing || !wasAlive) return
      opts.logger.error('backend.process_exited', { code })
      attempt = Date.now() - startedAt > STABLE_MS ? 1 : attempt + 1
      const delay = restartDelayMs(attempt)
      const restart = () => {
        if (closing) return
        fork().then(
          () => {
            opts.logger.info('backend.process_restarted', { attempt })
            opts.events.emit('backend.restarted', { at: new Date().toISOString(), attempt })
          },
          // It could not start again (the store is gone, say): try later, never in a tight loop.
          () => setTimeout(restart, restartDelayMs(++attempt))
        )
      }
      setTimeout(restart, delay)
    })
    return c.ready.then(() => {
      alive = true
      startedAt = Date.now()
    })
  }
  const ready = fork()
  return {
    dispatch: (channel, input) => client.dispatch(channel, input),
    control: (name) => client.control(name),
    signal: (name, payload) => {
      if (alive) client.signal(name, payload)
    },
    ready,
    running: () => alive,
    close() {
      closing = true
      // A running backend stops cleanly (it closes the store); one still starting is ended.
      if (alive) child.postMessage({ type: 'stop' })
      else child.kill()
    }
  }
}
