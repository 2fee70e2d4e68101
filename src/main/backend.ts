import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { AppInfo } from '../shared/app'
import type { CarrierId } from '../shared/domain'
import { openDatabase, type Database } from './db/database'
import { ShipmentRepository } from './db/shipments.repo'
import { createDispatch, type Dispatch, type Handlers } from './ipc/dispatch'
import { systemClock, type Clock } from './services/clock'
import { isDemoSeeded, seedDemo } from './services/demo'
import { EventBus } from './services/events'
import { createLogger, type Logger } from './services/logger'
import { ShipmentService } from './services/shipments'
import { SettingsService, type KeyValueStore } from './settings/settings'
import { createOfflineWrites, type OfflineWrites, type OfflineWritesOptions } from './outbox/offline-writes'
import type { UpdateService } from './updater/service'
import { createUpdateService, type UpdaterSetup } from './updater/setup'
import { createPrinting, type PrintingOptions } from './printing/setup'
import type { PrintService } from './printing/service'

// The backend knows nothing of Electron: the desktop shell and browser mode both build it,
// then carry `dispatch` and `events` over their own transport.

export interface BackendOptions {
  dataDir: string
  mode: AppInfo['mode']
  version: string
  settingsStore: KeyValueStore
  clock?: Clock
  logger?: Logger
  /** Seed the demo shipments at start (GUICHET_DEMO=1). */
  demo?: boolean
  /** The carrier layer's adapter per account, for the outbox worker; left out: writes wait for an account. */
  adapterFor?: OfflineWritesOptions['adapterFor']
  /** The desktop vault (safeStorage, vault.electron.ts); left out: the 0600 key-file vault of browser mode. */
  createVault?: OfflineWritesOptions['createVault']
  /** Start the outbox worker (default true); tests drive it by hand. */
  outboxAutoStart?: boolean
  /** HTML -> PDF for generated labels (ElectronHtmlToPdf / ChromiumHtmlToPdf); left out: PDF printers take carrier files only. */
  htmlToPdf?: PrintingOptions['htmlToPdf']
  /** Electron silent printing to OS printers (chromium.electron.ts), desktop only. */
  silentPrint?: PrintingOptions['silentPrint']
  /** The desktop shell's updater (updater.electron.ts); left out in browser mode and tests: updates off. */
  updates?: UpdaterSetup
}

export interface Backend {
  dispatch: Dispatch
  events: EventBus
  handlers: Handlers
  db: Database
  logger: Logger
  shipments: ShipmentService
  settings: SettingsService
  /** Outbox, credentials vault and connectivity. */
  offline: OfflineWrites
  /** Labels, printers, print jobs and batches. */
  printing: PrintService
  updater: UpdateService
  close(): void
}

export function createBackend(opts: BackendOptions): Backend {
  mkdirSync(opts.dataDir, { recursive: true })
  const clock = opts.clock ?? systemClock
  const logger = opts.logger ?? createLogger({ file: join(opts.dataDir, 'logs', 'guichet.log') })
  const { db, warning } = openDatabase(join(opts.dataDir, 'guichet.sqlite'), { logger, now: clock.now })
  const repo = new ShipmentRepository(db)
  const events = new EventBus()
  const shipments = new ShipmentService(repo, clock)
  const settings = new SettingsService(opts.settingsStore, logger)
  if (opts.demo) seedDemo(db, repo, clock.now())
  const offline = createOfflineWrites({
    db,
    dataDir: opts.dataDir,
    clock,
    logger,
    events,
    settingsStore: opts.settingsStore,
    adapterFor: opts.adapterFor,
    createVault: opts.createVault,
    autoStart: opts.outboxAutoStart
  })
  const printing = createPrinting({ db, clock, logger, events, repo, htmlToPdf: opts.htmlToPdf ?? null, ...(opts.silentPrint ? { silentPrint: opts.silentPrint } : {}) })
  const updater = createUpdateService(opts.updates, { mode: opts.mode, version: opts.version, store: opts.settingsStore, clock, logger })

  // Carrier accounts arrive with the carrier layer; until one is configured the desk runs on demo data.
  const carriersConfigured: CarrierId[] = []

  const handlers: Handlers = {
    'app.info': () => ({
      name: 'Guichet',
      version: opts.version,
      mode: opts.mode,
      demo: isDemoSeeded(db),
      firstRun: carriersConfigured.length === 0 && !isDemoSeeded(db) && repo.count() === 0,
      carriersConfigured,
      shipments: repo.count(),
      storeWarning: warning
    }),
    'settings.get': () => settings.get(),
    'settings.update': (input) => settings.update(input),
    'demo.enable': () => {
      const created = seedDemo(db, repo, clock.now())
      if (created > 0) events.emit('shipment.changed', { ids: [], reason: 'demo' })
      return { shipments: repo.count() }
    },
    ...offline.handlers,
    'shipments.find': ({ query }) => shipments.find(query),
    'shipments.search': ({ text, limit }) => shipments.search(text, limit),
    'shipments.list': (f) => shipments.list(f),
    'shipments.get': ({ id }) => shipments.get(id),
    ...printing.handlers,
    'updater.status': () => updater.status(),
    'updater.check': () => updater.check(),
    'updater.restartNow': () => updater.restartNow(),
    'updater.setChannel': ({ channel, feedUrl }) => updater.setChannel(channel, feedUrl)
  }

  logger.info('backend.started', { mode: opts.mode, version: opts.version, storeWarning: warning })
  return {
    dispatch: createDispatch(handlers, logger),
    events,
    handlers,
    db,
    logger,
    shipments,
    settings,
    offline,
    printing: printing.service,
    updater,
    close() {
      offline.close()
      void printing.close()
      updater.stop()
      try {
        db.pragma('wal_checkpoint(TRUNCATE)')
      } finally {
        db.close()
      }
    }
  }
}
