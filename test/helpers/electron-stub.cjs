// A stand-in for the `electron` module, so the built main bundle (out/main/index.js) can be
// loaded in plain Node. It records what main does with Electron, exercises the security
// handlers the way Electron would, and writes a JSON report to $STUB_REPORT.
const Module = require('node:module')
const { writeFileSync } = require('node:fs')
const { EventEmitter } = require('node:events')

const report = {
  windows: [],
  loadedUrls: [],
  handled: [],
  schemes: [],
  privileged: [],
  sandboxEnabled: false,
  lockReleased: false,
  nativeModules: [],
  utilityForks: [],
  checks: {}
}
const utilityChildren = []

// Electron's own marker: code that picks a per-runtime native build reads it. Only when asked,
// so the same stub also shows what main does under plain Node.
if (process.env.STUB_ELECTRON_VERSION) {
  Object.defineProperty(process.versions, 'electron', { value: process.env.STUB_ELECTRON_VERSION, enumerable: true })
}
// Which native builds main really loads (better-sqlite3 under Electron must be the Electron one).
const originalDlopen = process.dlopen
process.dlopen = function (module, filename, ...rest) {
  report.nativeModules.push(filename)
  return originalDlopen.call(this, module, filename, ...rest)
}
const ipcHandlers = new Map()
const appEvents = new EventEmitter()
let permissionHandler = null
let permissionCheck = null
let protocolHandler = null

function fakeContents() {
  const c = new EventEmitter()
  c.sent = []
  c.send = (ch, msg) => c.sent.push([ch, msg])
  c.isDestroyed = () => false
  c.setWindowOpenHandler = (h) => (c.windowOpenHandler = h)
  return c
}

class BrowserWindow extends EventEmitter {
  constructor(options) {
    super()
    this.options = options
    this.webContents = fakeContents()
    report.windows.push(options)
    BrowserWindow.all.push(this)
  }
  static getAllWindows() {
    return BrowserWindow.all
  }
  async loadURL(url) {
    report.loadedUrls.push(url)
    setTimeout(finish, 50)
  }
  show() {}
  focus() {}
  isMinimized() {
    return false
  }
}
BrowserWindow.all = []

const electron = {
  app: Object.assign(appEvents, {
    isPackaged: false,
    whenReady: () => Promise.resolve(),
    getPath: () => process.env.GUICHET_DATA_DIR,
    getVersion: () => '0.0.0-stub',
    getName: () => 'Guichet',
    getLocale: () => 'fr',
    enableSandbox: () => (report.sandboxEnabled = true),
    requestSingleInstanceLock: () => true,
    releaseSingleInstanceLock: () => (report.lockReleased = true),
    quit: () => {}
  }),
  BrowserWindow,
  ipcMain: {
    handle: (ch, fn) => {
      report.handled.push(ch)
      ipcHandlers.set(ch, fn)
    },
    on: () => {},
    removeHandler: () => {}
  },
  protocol: {
    registerSchemesAsPrivileged: (s) => report.privileged.push(...s),
    handle: (scheme, fn) => {
      report.schemes.push(scheme)
      protocolHandler = fn
    }
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (h) => (permissionHandler = h),
      setPermissionCheckHandler: (h) => (permissionCheck = h)
    }
  },
  shell: { openExternal: async (url) => (report.checks.openedExternally = [...(report.checks.openedExternally ?? []), url]) },
  safeStorage: { isEncryptionAvailable: () => false, getSelectedStorageBackend: () => 'basic_text' },
  Menu: { setApplicationMenu: (m) => (report.checks.applicationMenu = m) },
  powerMonitor: new EventEmitter(),
  // utilityProcess.fork: a real Node child; its IPC channel stands in for the MessagePort
  // (parentPort in the child is absent, so the entry falls back to Node's IPC).
  utilityProcess: {
    fork(modulePath, args = [], opts = {}) {
      const { fork } = require('node:child_process')
      const child = fork(modulePath, args, { env: opts.env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
      report.utilityForks.push(modulePath)
      const proc = new EventEmitter()
      proc.pid = child.pid
      proc.postMessage = (m) => child.connected && child.send(m)
      proc.kill = () => child.kill()
      child.on('message', (m) => proc.emit('message', m))
      child.on('exit', (code) => proc.emit('exit', code ?? 1))
      utilityChildren.push(child)
      return proc
    }
  },
  net: { isOnline: () => true }
}

const originalLoad = Module._load
Module._load = function (request, parent, isMain) {
  if (request === 'electron') return electron
  return originalLoad.call(this, request, parent, isMain)
}

async function finish() {
  const c = report.checks
  // Permissions: everything denied.
  await new Promise((resolve) => permissionHandler?.({}, 'media', (granted) => resolve((c.permissionGranted = granted))))
  c.permissionCheck = permissionCheck ? permissionCheck() : 'missing'
  // Navigation, redirects, webviews and window.open on a new web contents.
  const wc = fakeContents()
  appEvents.emit('web-contents-created', {}, wc)
  const ev = () => ({
    prevented: false,
    preventDefault() {
      this.prevented = true
    }
  })
  const nav = ev()
  wc.emit('will-navigate', nav, 'https://evil.example/')
  c.navigationPrevented = nav.prevented
  const inApp = ev()
  wc.emit('will-navigate', inApp, 'app://guichet/index.html')
  c.inAppNavigationPrevented = inApp.prevented
  const web = ev()
  wc.emit('will-attach-webview', web)
  c.webviewPrevented = web.prevented
  c.windowOpenEvil = wc.windowOpenHandler?.({ url: 'https://evil.example/' })
  c.windowOpenCarrier = wc.windowOpenHandler?.({ url: 'https://service.post.ch/track' })
  // IPC: untrusted frames are refused, the app's own frame is served.
  const info = ipcHandlers.get('guichet:app.info')
  c.untrustedSender = await info?.({ senderFrame: { url: 'https://evil.example/', parent: null } }, {})
  c.subFrameSender = await info?.({ senderFrame: { url: 'app://guichet/index.html', parent: {} } }, {})
  c.trustedSender = await info?.({ senderFrame: { url: 'app://guichet/index.html', parent: null } }, {})
  c.invalidInput = await ipcHandlers.get('guichet:shipments.get')?.(
    { senderFrame: { url: 'app://guichet/index.html', parent: null } },
    { id: 'x' }
  )
  // The app:// protocol refuses traversal.
  if (protocolHandler) {
    const res = await protocolHandler(new Request('app://guichet/..%2f..%2fpackage.json'))
    c.protocolTraversalStatus = res.status
    const page = await protocolHandler(new Request('app://guichet/index.html'))
    c.protocolIndexStatus = page.status
    c.protocolCsp = page.headers.get('content-security-policy')
  }
  if (process.env.STUB_BRIDGE) {
    // Through the utilityProcess bridge: a write that emits an event, then a lookup.
    const trusted = { senderFrame: { url: 'app://guichet/index.html', parent: null } }
    c.bridgeDemo = await ipcHandlers.get('guichet:demo.enable')?.(trusted, {})
    await new Promise((r) => setTimeout(r, 300))
    c.bridgeLookup = await ipcHandlers.get('guichet:shipments.find')?.(trusted, { query: 'ERMA2611240042' })
    c.bridgeEvents = BrowserWindow.all[0]?.webContents.sent.map(([ch, msg]) => [ch, msg]) ?? []
  }
  appEvents.emit('will-quit')
  // The backend child stops cleanly on 'stop'; wait for it so the store is closed.
  await Promise.all(utilityChildren.map((ch) => (ch.exitCode !== null ? null : new Promise((r) => ch.once('exit', r)))))
  writeFileSync(process.env.STUB_REPORT, JSON.stringify(report, null, 2))
  process.exit(0)
}
