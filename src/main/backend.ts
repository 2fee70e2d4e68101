import { join } from 'node:path'
import type { AppInfo } from '../shared/app'
import { openDatabase, type Database } from './platform/db/database'
import { ShipmentRepository } from './core/shipments/shipments.repo'
import { createDispatch, type Dispatch, type Handlers } from './platform/ipc/dispatch'
import { systemClock, type Clock } from './platform/clock'
import { isDemoSeeded, seedDemo } from './demo/shipments'
import { EventBus } from './platform/events'
import { tightenDataDir } from './platform/private-files'
import { createLogger, type Logger } from './platform/logger'
import { ShipmentService } from './core/shipments/service'
import { SettingsService, type KeyValueStore } from './core/settings/settings'
import { CarrierAccounts } from './core/accounts/accounts'
import { reportingAdapter } from './core/accounts/reporting'
import { nextCheckAt } from './core/schedule/schedule'
import { startDemoCarriers, type DemoCarriers } from './demo/carriers'
import { carrierModule } from './carriers/registry'
import { StatusPipeline, type PipelineDeps } from './core/pipeline/pipeline'
import { Poller, type PollerAccount, type PollerOptions } from './core/poller/poller'
import { createOfflineWrites, type OfflineWrites, type OfflineWritesOptions } from './core/outbox/offline-writes'
import { tcpProbe } from './core/connectivity/probe'
import type { UpdateService } from './features/updater/service'
import { createUpdateService, type UpdaterSetup } from './features/updater/setup'
import { createPrinting, type PrintingOptions } from './features/printing/setup'
import type { PrintService } from './features/printing/service'
import { createCounter, type Counter } from './features/counter/setup'
import { DEMO_POINT } from './demo/shipments'
import { createPointsFeature } from './features/points/feature'
import { createWarehouse, type Warehouse } from './features/warehouse/setup'
import { startAggregatorDemo, type AggregatorDemo } from './demo/warehouse'
import { createHubSync, type HubSyncFeature } from './features/hub-sync/setup'

// The backend knows nothing of Electron: the desktop shell and browser mode both build it,
// then carry `dispatch` and `events` over their own transport.

export interface BackendOptions {
  /** Carrier accounts the background poller checks (read each cycle); left out: the poller does not start. */
  pollerAccounts?: () => readonly PollerAccount[]
  /** Each carrier module's status table, for the status pipeline (poll, refresh, webhook, import). */
  mappingFor?: PipelineDeps['mappingFor']
  /** Per-account tiers (settings: max check period...); left out: seed 000's table. */
  schedule?: PipelineDeps['schedule']
  pollerOptions?: Partial<PollerOptions>
  dataDir: string
  mode: AppInfo['mode']
  version: string
  settingsStore: KeyValueStore
  clock?: Clock
  logger?: Logger
  /** Seed the demo shipments at start (GUICHET_DEMO=1). */
  demo?: boolean
  /** HTML -> PDF for generated labels (ElectronHtmlToPdf / ChromiumHtmlToPdf); left out: PDF printers take carrier files only. */
  htmlToPdf?: PrintingOptions['htmlToPdf']
  /** Electron silent printing to OS printers (chromium.electron.ts), desktop only. */
  silentPrint?: PrintingOptions['silentPrint']
  /** The carrier layer's adapter per account, for the outbox worker; left out: writes wait for an account. */
  adapterFor?: OfflineWritesOptions['adapterFor']
  /** The desktop vault (safeStorage, vault.electron.ts); left out: the 0600 key-file vault of browser mode. */
  createVault?: OfflineWritesOptions['createVault']
  /** Start the outbox worker (default true); tests drive it by hand. */
  outboxAutoStart?: boolean
  /** Start the background poller at once (the entries do; tests drive it by hand). */
  startPoller?: boolean
  /** Run demo accounts on in-process simulators when demo mode is on (default true). */
  demoSimulators?: boolean
  /** The desktop shell's updater (updater.electron.ts); left out in browser mode and tests: updates off. */
  updates?: UpdaterSetup
}

export interface Backend {
  /** Starts what needs the event loop: demo simulators when the store holds the demo. */
  start(): Promise<void>
  accounts: CarrierAccounts
  dispatch: Dispatch
  events: EventBus
  handlers: Handlers
  db: Database
  logger: Logger
  shipments: ShipmentService
  settings: SettingsService
  /** Labels, printers, print jobs and batches. */
  printing: PrintService
  /** Outbox, credentials vault and connectivity. */
  offline: OfflineWrites
  updater: UpdateService
  /** The one status pipeline: webhooks and imports go through pipeline.apply too. */
  pipeline: StatusPipeline
  /** Background poller: pause()/resume() on suspend, setOnline() on connectivity (poller/power.ts). */
  poller: Poller
  /** Counter operations: check-in, shelf, hand-over, returns, driver collection, end of day. */
  counter: Counter['service']
  /** Warehouse: aggregator orders, returns, the webhook receiver and forwarding. */
  warehouse: Warehouse
  /** The link to a Guichet hub (features/hub-sync): event log, fan-out, shared account leases. */
  hubSync: HubSyncFeature
  close(): void
}

export function createBackend(opts: BackendOptions): Backend {
  tightenDataDir(opts.dataDir)
  const clock = opts.clock ?? systemClock
  const logger = opts.logger ?? createLogger({ file: join(opts.dataDir, 'logs', 'guichet.log') })
  const { db, warning } = openDatabase(join(opts.dataDir, 'guichet.sqlite'), { logger, now: clock.now })
  const repo = new ShipmentRepository(db)
  const events = new EventBus()
  const shipments = new ShipmentService(repo, clock)
  const settings = new SettingsService(opts.settingsStore, logger)
  if (opts.demo) seedDemo(db, repo, clock.now())
  const printing = createPrinting({
    db,
    clock,
    logger,
    events,
    repo,
    sender: () => settings.get().sender,
    htmlToPdf: opts.htmlToPdf ?? null,
    ...(opts.silentPrint ? { silentPrint: opts.silentPrint } : {})
  })
  const offline = createOfflineWrites({
    db,
    dataDir: opts.dataDir,
    clock,
    logger,
    events,
    settingsStore: opts.settingsStore,
    // Bound late: the accounts below need the vault this call creates.
    adapterFor: opts.adapterFor ?? ((carrier, account) => accounts.adapter(carrier, account)),
    createVault: opts.createVault,
    // While offline: can any enabled account's host be reached again? (a TCP connect, nothing sent)
    connectivityProbe: tcpProbe(() =>
      accounts
        .list()
        .filter((a) => a.enabled)
        .map((a) => a.baseUrl)
    ),
    autoStart: opts.outboxAutoStart
  })
  const updater = createUpdateService(opts.updates, {
    mode: opts.mode,
    version: opts.version,
    store: opts.settingsStore,
    clock,
    logger,
    // Never restart over writes a carrier has not accepted yet, nor in the middle of a print.
    hasUnsentOutbox: () => offline.hasUnsent(),
    isPrinting: () => printing.service.isBusy()
  })
  updater.onChange((s) => events.emit('updater.changed', s))

  const accounts = new CarrierAccounts({
    settingsStore: opts.settingsStore,
    secretsFor: (carrier, alias, origins) => offline.credentials.secretsFor(carrier, alias, origins),
    onOriginsChanged: (carrier, alias) => offline.credentials.originsChanged(carrier, alias),
    moduleFor: carrierModule,
    clock,
    logger,
    // Every carrier answer tells connectivity, so "last good sync" and offline follow real calls.
    wrap: (adapter) => reportingAdapter(adapter, offline.connectivity)
  })
  offline.credentials.bindOriginsFrom((carrier, alias) => accounts.originsOf(carrier, alias))
  const pipeline = new StatusPipeline({
    db,
    clock,
    events,
    logger,
    mappingFor: opts.mappingFor ?? ((carrier) => carrierModule(carrier)?.mapping),
    // Each account's cadence: seed 000's tiers unless its settings say otherwise.
    schedule: opts.schedule ?? ((c) => nextCheckAt(c, accounts.schedule(c.carrier, c.account)))
  })
  const pollerAccounts = opts.pollerAccounts ?? (() => accounts.adapters().map((adapter) => ({ adapter })))
  // Many desks, one network: the hub link, when this desk has one (idle otherwise).
  const hubSync = createHubSync({
    db,
    clock,
    logger,
    env: process.env,
    pointId: () => settings.get().point?.id ?? null,
    vault: offline.credentials,
    accountsInUse: () => pollerAccounts().map(({ adapter }) => `${adapter.carrier}/${adapter.account}`),
    // Bound late: the poller below counts the calls; the next holder and head office see them.
    budgetFor: (key) => {
      const a = poller.state().accounts.find((x) => `${x.carrier}/${x.account}` === key)
      return a && { remaining: a.budgetLeft, resetsAt: a.budgetResetsAt ? Date.parse(a.budgetResetsAt) : null, calls: a.callsMade }
    },
    // What the hub brings is what the network's poller found.
    onApplied: () => events.emit('shipment.changed', { ids: [], reason: 'poll' })
  })
  const poller = new Poller({
    db,
    pipeline,
    clock,
    events,
    logger,
    accounts: pollerAccounts,
    options: opts.pollerOptions,
    mayPoll: hubSync.mayPoll
  })
  // One view of online/offline: the poller pauses and catches up with the connectivity monitor.
  const stopPollerConnectivity = offline.connectivity.onChange((c) => poller.setOnline(c.online))
  if (opts.startPoller ?? opts.pollerAccounts !== undefined) poller.start()

  const counter = createCounter({
    db,
    shipments: repo,
    dataDir: opts.dataDir,
    clock,
    logger,
    events,
    settingsStore: opts.settingsStore,
    offline,
    adapterFor: opts.adapterFor ?? ((carrier, account) => accounts.adapter(carrier, account)),
    // The demo desk plays the demo point until the clerk sets one.
    pointId: () => settings.get().point?.id ?? (isDemoSeeded(db) ? DEMO_POINT.id : null)
  })

  // Pickup points of every carrier with points (Sendcloud, Swiss Post, Express Relais...), cached for offline.
  const points = createPointsFeature({
    db,
    clock,
    logger,
    events,
    repo,
    adapters: () => accounts.adapters(),
    outbox: offline.outbox,
    saveCarrierLabel: (id, format, bytes, size, dpi) => void printing.service.saveCarrierLabel(id, format, bytes, size, dpi)
  })

  // Warehouse side (seed 002): aggregator orders and returns, webhook receiver, forwarding.
  const warehouse = createWarehouse({
    db,
    clock,
    logger,
    repo,
    pipeline,
    settingsStore: opts.settingsStore,
    offline,
    accounts,
    saveLabel: (shipmentId, data) => printing.service.saveCarrierLabel(shipmentId, 'pdf', data).id
  })

  // Demo mode runs on the carriers' simulators, started on loopback when the demo is on.
  let demoCarriers: DemoCarriers | null = null
  let demoAggregators: AggregatorDemo | null = null
  const startDemo = async () => {
    if (demoCarriers) return
    demoCarriers = await startDemoCarriers(clock)
    // The aggregators' simulators notify this desk: the receiver listens on loopback for the demo.
    demoAggregators = await startAggregatorDemo(clock)
    accounts.setDemoAccounts([...demoCarriers.accounts, ...demoAggregators.accounts])
    const receiver = warehouse.receiverStatus().listening
      ? warehouse.receiverStatus()
      : await warehouse.configureReceiver({ enabled: true, host: '127.0.0.1', port: 0 }, false)
    if (receiver.baseUrl) demoAggregators.connect(receiver.baseUrl)
    logger.info('demo.simulators_started', { carriers: demoCarriers.accounts.map((a) => a.carrier) })
  }

  const handlers: Handlers = {
    'app.info': () => ({
      name: 'Guichet',
      version: opts.version,
      mode: opts.mode,
      demo: isDemoSeeded(db),
      firstRun: accounts.configuredCarriers().length === 0 && !isDemoSeeded(db) && repo.count() === 0,
      carriersConfigured: accounts.configuredCarriers(),
      shipments: repo.count(),
      storeWarning: warning
    }),
    'settings.get': () => settings.get(),
    'settings.update': (input) => settings.update(input),
    'demo.enable': async () => {
      const created = seedDemo(db, repo, clock.now())
      if (opts.demoSimulators !== false) await startDemo()
      if (created > 0) events.emit('shipment.changed', { ids: [], reason: 'demo' })
      return { shipments: repo.count() }
    },
    ...offline.handlers,
    'accounts.list': () => accounts.list(),
    'accounts.save': (input) => accounts.save(input),
    'accounts.remove': ({ carrier, alias }) => accounts.remove(carrier, alias),
    'shipments.find': ({ query }) => shipments.find(query),
    'shipments.search': ({ text, limit }) => shipments.search(text, limit),
    'shipments.list': (f) => shipments.list(f),
    'shipments.get': ({ id }) => shipments.get(id),
    'shipments.refresh': ({ ids }) => poller.refresh(ids),
    'poller.state': () => poller.state(),
    ...printing.handlers,
    ...counter.handlers,
    ...points.handlers,
    ...warehouse.handlers,
    ...hubSync.handlers,
    'updater.status': () => updater.status(),
    'updater.check': () => updater.check(),
    'updater.restartNow': () => updater.restartNow(),
    'updater.setChannel': ({ channel }) => updater.setChannel(channel)
  }

  logger.info('backend.started', { mode: opts.mode, version: opts.version, storeWarning: warning })
  return {
    async start() {
      await warehouse.start()
      hubSync.start()
      if (isDemoSeeded(db) && opts.demoSimulators !== false) await startDemo()
    },
    accounts,
    dispatch: createDispatch(handlers, logger),
    events,
    handlers,
    db,
    logger,
    shipments,
    settings,
    printing: printing.service,
    offline,
    updater,
    pipeline,
    poller,
    counter: counter.service,
    warehouse,
    hubSync,
    close() {
      void hubSync.close()
      stopPollerConnectivity()
      poller.stop()
      void demoCarriers?.close()
      void demoAggregators?.close()
      void warehouse.close()
      void printing.close()
      offline.close()
      updater.stop()
      try {
        db.pragma('wal_checkpoint(TRUNCATE)')
      } finally {
        db.close()
      }
    }
  }
}
