// The backend as a process of its own: what Electron's utilityProcess runs on the desktop (and a
// forked Node child in the bench and the tests). It knows nothing of Electron: it talks over
// `process.parentPort` (utilityProcess) or Node's IPC channel, with the contract of bridge.ts,
// and asks main for what only main has (platforms.process.ts).
// Environment: GUICHET_DATA_DIR, GUICHET_DEMO=1, GUICHET_VERSION, GUICHET_BACKEND_HOST=electron
// (set by main: ask it for safeStorage, the label window and the updater; left out, as in the
// bench: the key-file vault, no label PDF, updates off).
import { join, resolve } from 'node:path'
import { createBackend } from './backend'
import { browserPlatform, type Platform } from './platforms'
import { HOST, processPlatform, type HostInit } from './platforms.process'
import { createLogger } from './platform/logger'
import { openSettingsFile } from './platform/settings-file'
import { connectHost, nodeIpcPort, serveBackend, type BridgeMessage, type PortLike } from './platform/process/bridge'
import { startupProblemOf } from './platform/window/startup-problem'

/** EX_TEMPFAIL: stopped on purpose, to be started again; main's log shows it. */
const EXIT_STORE_DAMAGED = 75

interface ParentPort {
  postMessage(m: unknown): void
  on(ev: 'message', fn: (e: { data: BridgeMessage }) => void): void
}

/** utilityProcess gives `process.parentPort` (messages wrapped in an event); a fork gives IPC. */
function parentPort(): PortLike {
  const pp = (process as unknown as { parentPort?: ParentPort }).parentPort
  if (pp) return { postMessage: (m) => pp.postMessage(m), onMessage: (fn) => pp.on('message', (e) => fn(e.data)) }
  return nodeIpcPort(process)
}

async function main(): Promise<void> {
  const port = parentPort()
  const env = process.env
  const dataDir = resolve(env.GUICHET_DATA_DIR ?? '.')
  const logger = createLogger({ file: join(dataDir, 'logs', 'guichet.log') })
  try {
    let platform: Platform = { ...browserPlatform(), kind: 'electron' }
    if (env.GUICHET_BACKEND_HOST === 'electron') {
      const host = connectHost(port)
      platform = processPlatform(host, await host.ask<HostInit>(HOST.init))
    }
    // The same settings.json the desktop shell's electron-store reads.
    const settingsStore = openSettingsFile(join(dataDir, 'settings.json'), { logger })
    const backend = createBackend({
      dataDir,
      version: env.GUICHET_VERSION ?? '0.0.0',
      settingsStore,
      logger,
      platform,
      demo: env.GUICHET_DEMO === '1',
      startPoller: true,
      // Damage found after an unclean shutdown: main starts this process again (as after a crash),
      // whose open sets the damaged file aside and tells the window.
      onStoreDamaged: () => {
        void backend.close()
        process.exit(EXIT_STORE_DAMAGED)
      }
    })
    await backend.start()
    // The update schedule runs here, beside the outbox and print queue it waits for.
    backend.updater.start()
    // A clean stop closes the store (its -wal goes: no integrity check at the next start).
    const stop = () => {
      backend.close()
      process.exit(0)
    }
    serveBackend(port, backend.dispatch, backend.events, stop, {
      // Main is quitting: install a downloaded update now if the rules allow (outside opening hours, nothing unsent).
      quitting: () => backend.updater.onQuit()
    })
    process.on('SIGTERM', stop)
  } catch (e) {
    logger.error('backend.process_failed', { error: e })
    port.postMessage({ type: 'failed', problem: startupProblemOf(e) })
    setTimeout(() => process.exit(1), 50)
  }
}

void main()
