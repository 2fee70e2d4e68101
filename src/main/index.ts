// The Electron shell: window, IPC transport, protocol and security, and the services only
// Electron's main process has (safeStorage, the hidden label window for PDFs and silent
// printing, electron-updater). The backend (./backend.ts, the same one browser mode runs: SQLite,
// poller, outbox) runs in a utilityProcess (./backend.process.ts) so its work never blocks the
// window; main answers its asks (./host.electron.ts) and restarts it if it dies.
// GUICHET_BACKEND_PROCESS=0 (support) runs the backend inside main instead, as before.
import { app, BrowserWindow, ipcMain, Menu, protocol, session } from 'electron'
import Store from 'electron-store'
import { join } from 'node:path'
import { createBackend, type Backend } from './backend'
import { createLogger } from './platform/logger'
import { ensurePrivateDir, privateUmask } from './platform/private-files'
import { bindUpdater, createDesktopUpdater } from './features/updater/updater.electron'
import type { UpdaterSetup } from './features/updater/setup'
import { electronPlatform } from './platforms.electron'
import { electronHost } from './host.electron'
import { APP_SCHEME } from './platform/security/policy'
import { hardenApp, registerAppProtocol } from './platform/security/harden.electron'
import { forwardEvents, registerIpc } from './platform/transport/ipc.electron'
import { devToolsAllowed, mainWindowOptions } from './platform/window/options'
import { startupProblemOf, startupProblemUrl } from './platform/window/startup-problem'
import { startBackendProcess } from './platform/process/utility.electron'
import { EventBus } from './platform/events'
import type { Dispatch } from './platform/ipc/dispatch'
import type { Logger } from './platform/logger'

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }])
app.enableSandbox()

let backend: Backend | null = null

if (!app.requestSingleInstanceLock()) {
  // One desk, one Guichet: a second start focuses the first window.
  app.quit()
} else {
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0]
    if (win) {
      if (win.isMinimized()) win.restore()
      win.focus()
    }
  })
  void app.whenReady().then(() => start().catch(showStartupProblem))
}

let stopBackendProcess: (() => void) | null = null
let language: unknown = null
let logger: ReturnType<typeof createLogger> | null = null

async function start(): Promise<void> {
  const dataDir = process.env.GUICHET_DATA_DIR ?? app.getPath('userData')
  privateUmask()
  ensurePrivateDir(dataDir) // the backend closes the rest after its first answer
  const settings = new Store<Record<string, unknown>>({ name: 'settings', cwd: dataDir, configFileMode: 0o600 })
  language = settings.get('language')
  logger = createLogger({ file: join(dataDir, 'logs', 'guichet.log') })
  // Off unless packaged (and never under tests); electron-updater is loaded only when on.
  const updates = await createDesktopUpdater({ app, logger, resourcesPath: process.resourcesPath })
  if (process.env.GUICHET_BACKEND_PROCESS === '0') return startInMain(dataDir, settings, updates, logger)
  return startWithBackendProcess(dataDir, updates, logger)
}

/** The default: the backend in a utilityProcess; main carries the contract and events to the window. */
async function startWithBackendProcess(dataDir: string, updates: UpdaterSetup, log: Logger): Promise<void> {
  const events = new EventBus()
  const host = electronHost({ dataDir, updates })
  const proc = startBackendProcess({
    entry: join(__dirname, 'backend.process.js'),
    env: { ...process.env, GUICHET_DATA_DIR: dataDir, GUICHET_VERSION: app.getVersion(), GUICHET_BACKEND_HOST: 'electron' },
    events,
    logger: log,
    host: host.handlers
  })
  const stopWatch = host.watch(proc.signal)
  stopBackendProcess = () => {
    stopWatch()
    proc.close()
  }
  // The quit-time install is the backend's decision (opening hours, unsent outbox, a print under
  // way): ask it once, then quit for real; a backend that does not answer never holds the quit.
  let asked = false
  app.on('before-quit', (e) => {
    if (asked || !proc.running()) return
    asked = true
    e.preventDefault()
    const timeout = new Promise((r) => setTimeout(r, 3_000))
    void Promise.race([proc.control('quitting'), timeout]).finally(() => app.quit())
  })
  await proc.ready
  await openMainWindow(proc.dispatch, events)
}

/** GUICHET_BACKEND_PROCESS=0: the backend in main itself, for support (one process to look at). */
async function startInMain(dataDir: string, settings: Store<Record<string, unknown>>, updates: UpdaterSetup, log: Logger): Promise<void> {
  backend = createBackend({
    dataDir,
    version: app.getVersion(),
    settingsStore: { get: (k) => settings.get(k), set: (k, v) => settings.set(k, v) },
    demo: process.env.GUICHET_DEMO === '1',
    logger: log,
    platform: electronPlatform(updates),
    startPoller: true
  })
  bindUpdater(app, backend.updater, log)
  await backend.start()
  await openMainWindow(backend.dispatch, backend.events)
}

async function openMainWindow(dispatch: Dispatch, events: EventBus): Promise<void> {
  const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
  prepareShell()
  registerIpc(ipcMain, dispatch, devServerUrl)
  // The default menu carries "Toggle Developer Tools" and reload: a packaged desk has none.
  const devTools = devToolsAllowed({ packaged: app.isPackaged, argv: process.argv })
  if (app.isPackaged) Menu.setApplicationMenu(null)
  const win = new BrowserWindow(mainWindowOptions(join(__dirname, '../preload/index.js'), { devTools }))
  forwardEvents(events, win.webContents)
  win.once('ready-to-show', () => win.show())
  await win.loadURL(devServerUrl ?? 'app://guichet/index.html')
}

let shellReady = false
/** Security handlers and the app:// protocol, once, for the main window or the problem window. */
function prepareShell(): void {
  if (shellReady) return
  shellReady = true
  hardenApp(app, session.defaultSession)
  registerAppProtocol(protocol, join(__dirname, '../renderer'))
}

/**
 * The store could not be opened (newer schema, locked, unreadable) or start-up failed: a window
 * says what happened and what to do, in the clerk's language; closing it quits and frees the
 * single-instance lock. Never a silent exit.
 */
function showStartupProblem(e: unknown): void {
  const problem = startupProblemOf(e)
  logger?.error('startup.failed', { problem: problem.code, error: (e as Error)?.message })
  backend?.close()
  backend = null
  prepareShell()
  const win = new BrowserWindow(mainWindowOptions(join(__dirname, '../preload/index.js')))
  win.once('ready-to-show', () => win.show())
  void win.loadURL(startupProblemUrl('app://guichet/index.html', problem, language))
}

app.on('window-all-closed', () => app.quit())
app.on('will-quit', () => {
  app.releaseSingleInstanceLock()
  stopBackendProcess?.()
  backend?.close()
  backend = null
})
