import { utilityProcess, type UtilityProcess } from 'electron'
import type { EventBus } from '../events'
import type { Dispatch } from '../ipc/dispatch'
import type { Logger } from '../logger'
import { connectBackend, type BackendClient, type BridgeMessage, type PortLike } from './bridge'

export interface BackendProcess {
  /** Stable across restarts: the IPC handlers keep this one. */
  dispatch: Dispatch
  /** The first start: resolves when the backend answers, rejects with its start-up problem. */
  ready: Promise<void>
  /** Stops the backend cleanly (it closes the store) and does not restart it. */
  close(): void
}

/**
 * Runs the backend (out/main/backend.process.js) in Electron's utilityProcess and restarts it
 * if it dies: pending calls answer a retryable error, the outbox is in the store, so nothing is
 * lost; events keep flowing into the same bus.
 */
export function startBackendProcess(opts: {
  entry: string
  env: Record<string, string | undefined>
  events: EventBus
  logger: Logger
  onRestart?: () => void
}): BackendProcess {
  let child: UtilityProcess
  let client: BackendClient
  let closing = false
  const fork = (): Promise<void> => {
    child = utilityProcess.fork(opts.entry, [], { env: opts.env, serviceName: 'Guichet backend', stdio: 'inherit' })
    const port: PortLike = {
      postMessage: (m: BridgeMessage) => child.postMessage(m),
      onMessage: (fn) => void child.on('message', fn)
    }
    client = connectBackend(port, opts.events)
    child.once('exit', (code) => {
      client.disconnected()
      if (closing) return
      opts.logger.error('backend.process_exited', { code })
      setTimeout(() => {
        if (closing) return
        void fork().then(
          () => opts.onRestart?.(),
          () => undefined
        )
      }, 500)
    })
    return client.ready
  }
  const ready = fork()
  return {
    dispatch: (channel, input) => client.dispatch(channel, input),
    ready,
    close() {
      closing = true
      child.postMessage({ type: 'stop' })
    }
  }
}
