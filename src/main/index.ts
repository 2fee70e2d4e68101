// The Electron shell: window, IPC transport, protocol and security. Everything else is the
// Electron-free backend (./backend.ts), the same one browser mode runs.
import { app, BrowserWindow, ipcMain, Menu, powerMonitor, protocol, session } from 'electron'
import Store from 'electron-store'
import { join } from 'node:path'
import { createBackend, type Backend } from './backend'
import { bindPollerToSystem } from './core/poller/power'
import { createLogger } from './platform/logger'
import { privateUmask, tightenDataDir } from './platform/private-files'
import { createElectronVault } from './core/credentials/vault.electron'
import { watchElectronConnectivity } from './core/connectivity/os-signal.electron'
import { bindUpdater, createDesktopUpdater } from './features/updater/updater.electron'
import { electronHtmlToPdf, electronSilentPrint } from './features/labels/window.electron'
import { APP_SCHEME } from './platform/security/policy'
import { hardenApp, registerAppProtocol } from './platform/security/harden.electron'
import { forwardEvents, registerIpc } from './platform/transport/ipc.electron'
import { devToolsAllowed, mainWindowOptions } from './platform/window/options'

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }])
app.enableSandbox()

let backend: Backend | null = null
let stopConnectivityWatch: (() => void) | null = null

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
  void app.whenReady().then(start)
}

async function start(): Promise<void> {
  const dataDir = process.env.GUICHET_DATA_DIR ?? app.getPath('userData')
  privateUmask()
  tightenDataDir(dataDir)
  const settings = new Store<Record<string, unknown>>({ name: 'settings', cwd: dataDir, configFileMode: 0o600 })
  const logger = createLogger({ file: join(dataDir, 'logs', 'guichet.log') })
  // Off unless packaged (and never under tests); electron-updater is loaded only when on.
  const updates = await createDesktopUpdater({ app, logger, resourcesPath: process.resourcesPath })
  backend = createBackend({
    dataDir,
    mode: 'electron',
    version: app.getVersion(),
    settingsStore: { get: (k) => settings.get(k), set: (k, v) => settings.set(k, v) },
    demo: process.env.GUICHET_DEMO === '1',
    logger,
    updates,
    // Carrier secrets go to the OS key store (safeStorage), never to the key-file vault of browser mode.
    createVault: ({ dataDir: dir, plainTextRiskAccepted }) => createElectronVault(dir, plainTextRiskAccepted),
    startPoller: true,
    // Generated labels become PDFs in a hidden sandboxed window (printToPDF at the label's size);
    // 'chromium' printers print silently by name with the page size in microns (Windows' path).
    htmlToPdf: electronHtmlToPdf(),
    silentPrint: electronSilentPrint()
  })
  bindUpdater(app, backend.updater, logger)
  await backend.start()
  stopConnectivityWatch = watchElectronConnectivity(backend.offline.connectivity)
  // Sleep pauses the poller and wake catches up; connectivity already drives it in the backend.
  bindPollerToSystem(backend.poller, powerMonitor, null)

  const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
  hardenApp(app, session.defaultSession)
  registerAppProtocol(protocol, join(__dirname, '../renderer'))
  registerIpc(ipcMain, backend.dispatch, devServerUrl)

  // The default menu carries "Toggle Developer Tools" and reload: a packaged desk has none.
  const devTools = devToolsAllowed({ packaged: app.isPackaged, argv: process.argv })
  if (app.isPackaged) Menu.setApplicationMenu(null)
  const win = new BrowserWindow(mainWindowOptions(join(__dirname, '../preload/index.js'), { devTools }))
  forwardEvents(backend.events, win.webContents)
  win.once('ready-to-show', () => win.show())
  await win.loadURL(devServerUrl ?? 'app://guichet/index.html')
}

app.on('window-all-closed', () => app.quit())
app.on('will-quit', () => {
  stopConnectivityWatch?.()
  backend?.close()
  backend = null
})
