// A stand-in for the `electron` module, so the built main bundle (out/main/index.js) can be
// loaded in plain Node. It records what main does with Electron, exercises the security
// handlers the way Electron would, and writes a JSON report to $STUB_REPORT.
const Module = require('node:module')
const { appendFileSync, existsSync, readFileSync, writeFileSync } = require('node:fs')
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
  /** Native modules the backend child loaded (it runs with this stub too: fork inherits -r). */
  childNativeModules: [],
  safeStorage: { encrypted: 0, decrypted: 0 },
  checks: {}
}
const isChild = process.env.STUB_CHILD === '1'
const childLog = `${process.env.STUB_REPORT}.child`
const utilityChildren = []

// Electron's own marker: code that picks a per-runtime native build reads it. Only when asked,
// so the same stub also shows what main does under plain Node.
if (process.env.STUB_ELECTRON_VERSION) {
  Object.defineProperty(process.versions, 'electron', { value: process.env.STUB_ELECTRON_VERSION, enumerable: true })
}
// Which native builds main really loads (better-sqlite3 under Electron must be the Electron one).
const originalDlopen = process.dlopen
process.dlopen = function (module, filename, ...rest) {
  if (isChild) appendFileSync(childLog, filename + '\n')
  else report.nativeModules.push(filename)
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
  // STUB_SAFE_STORAGE=1: a working key store (bytes reversed), counting what main ciphers.
  safeStorage: {
    isEncryptionAvailable: () => process.env.STUB_SAFE_STORAGE === '1',
    getSelectedStorageBackend: () => (process.env.STUB_SAFE_STORAGE === '1' ? 'gnome_libsecret' : 'basic_text'),
    encryptString: (s) => (report.safeStorage.encrypted++, Buffer.from(s, 'utf8').reverse()),
    decryptString: (b) => (report.safeStorage.decrypted++, Buffer.from(b).reverse().toString('utf8'))
  },
  Menu: { setApplicationMenu: (m) => (report.checks.applicationMenu = m) },
  powerMonitor: new EventEmitter(),
  // utilityProcess.fork: a real Node child; its IPC channel stands in for the MessagePort
  // (parentPort in the child is absent, so the entry falls back to Node's IPC).
  utilityProcess: {
    fork(modulePath, args = [], opts = {}) {
      const { fork } = require('node:child_process')
      // 'advanced' serialization: structured clone, as a MessagePort carries (Uint8Array stays bytes).
      const child = fork(modulePath, args, {
        env: { ...opts.env, STUB_CHILD: '1' },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        serialization: 'advanced'
      })
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
    // A vault write goes to main, which ciphers it with safeStorage and writes the file.
    c.bridgeCredentialsSet = await ipcHandlers.get('guichet:credentials.set')?.(trusted, {
      carrier: 'ecotrack',
      account: 'default',
      secrets: { api_token: 'stub-token-4242-abcdefgh' }
    })
    const vaultFile = require('node:path').join(process.env.GUICHET_DATA_DIR, 'credentials.vault')
    c.vaultFileHasToken = existsSync(vaultFile) ? readFileSync(vaultFile, 'utf8').includes('stub-token-4242') : null
    c.encryptedBeforeKill = report.safeStorage.encrypted
    // The backend dies: main starts another, the window hears it, and the desk answers again.
    utilityChildren.at(-1).kill('SIGKILL')
    const restarted = () => BrowserWindow.all[0]?.webContents.sent.some(([, m]) => m?.name === 'backend.restarted')
    for (let i = 0; i < 300 && !restarted(); i++) await new Promise((r) => setTimeout(r, 50))
    c.restartEvent = BrowserWindow.all[0]?.webContents.sent.find(([, m]) => m?.name === 'backend.restarted')?.[1] ?? null
    c.afterRestartLookup = await ipcHandlers.get('guichet:shipments.find')?.(trusted, { query: 'ERMA2611240042' })
    c.afterRestartCredentials = await ipcHandlers.get('guichet:credentials.status')?.(trusted, {})
  }
  if (process.env.STUB_POWER_CUT) {
    // The last run lost power and damaged the store: the first lookup is answered at once, the
    // check after it finds the damage, and the backend is started again with the file set aside.
    const trusted = { senderFrame: { url: 'app://guichet/index.html', parent: null } }
    c.powerCutLookup = await ipcHandlers.get('guichet:shipments.find')?.(trusted, { query: 'ERMA2611240042' })
    c.powerCutForksAtLookup = report.utilityForks.length
    const restarted = () => BrowserWindow.all[0]?.webContents.sent.find(([, m]) => m?.name === 'backend.restarted')
    for (let i = 0; i < 400 && !restarted(); i++) await new Promise((r) => setTimeout(r, 50))
    c.powerCutRestart = restarted()?.[1] ?? null
    c.powerCutInfo = await ipcHandlers.get('guichet:app.info')?.(trusted, {})
  }
  appEvents.emit('will-quit')
  // The backend child stops cleanly on 'stop'; wait for it so the store is closed.
  await Promise.all(
    utilityChildren.map((ch) => (ch.exitCode !== null || ch.signalCode !== null ? null : new Promise((r) => ch.once('exit', r))))
  )
  if (existsSync(childLog)) report.childNativeModules = readFileSync(childLog, 'utf8').split('\n').filter(Boolean)
  writeFileSync(process.env.STUB_REPORT, JSON.stringify(report, null, 2))
  process.exit(0)
}
