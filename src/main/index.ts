// The Electron shell: window, IPC transport, protocol and security. Everything else is the
// Electron-free backend (./backend.ts), the same one browser mode runs.
import { app, BrowserWindow, ipcMain, Menu, protocol, session } from 'electron'
import Store from 'electron-store'
import { join } from 'node:path'
import { createBackend, type Backend } from './backend'
import { createLogger } from './platform/logger'
import { privateUmask, tightenDataDir } from './platform/private-files'
import { bindUpdater, createDesktopUpdater } from './features/updater/updater.electron'
import { electronPlatform } from './platforms.electron'
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
  tightenDataDir(dataDir)
  const settings = new Store<Record<string, unknown>>({ name: 'settings', cwd: dataDir, configFileMode: 0o600 })
  language = settings.get('language')
  logger = createLogger({ file: join(dataDir, 'logs', 'guichet.log') })
  if (process.env.GUICHET_BACKEND_PROCESS === '1') return startWithBackendProcess(dataDir, logger)
  // Off unless packaged (and never under tests); electron-updater is loaded only when on.
  const updates = await createDesktopUpdater({ app, logger, resourcesPath: process.resourcesPath })
  backend = createBackend({
    dataDir,
    version: app.getVersion(),
    settingsStore: { get: (k) => settings.get(k), set: (k, v) => settings.set(k, v) },
    demo: process.env.GUICHET_DEMO === '1',
    logger,
    platform: electronPlatform(updates),
    startPoller: true
  })
  bindUpdater(app, backend.updater, logger)
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

/**
 * GUICHET_BACKEND_PROCESS=1: the backend (SQLite, poller, outbox) runs in a utilityProcess and
 * main only carries the contract and events to the window. Not the default yet: the OS key
 * store (safeStorage), label printing through webContents and the updater still have to be
 * proxied from that process to main (see docs/PERFORMANCE.md, start-up).
 */
async function startWithBackendProcess(dataDir: string, log: Logger): Promise<void> {
  const events = new EventBus()
  const proc = startBackendProcess({
    entry: join(__dirname, 'backend.process.js'),
    env: { ...process.env, GUICHET_DATA_DIR: dataDir, GUICHET_VERSION: app.getVersion() },
    events,
    logger: log
  })
  stopBackendProcess = () => proc.close()
  await proc.ready
  await openMainWindow(proc.dispatch, events)
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
