import { join } from 'node:path'
import { markDamaged, openDatabase, type Database } from './platform/db/database'
import { checkIntegrityInBackground, type IntegrityCheck, type IntegrityOutcome } from './platform/db/integrity-check'
import { ShipmentRepository } from './core/shipments/shipments.repo'
import { createDispatch, type Dispatch, type Handlers } from './platform/ipc/dispatch'
import { systemClock, type Clock } from './platform/clock'
import { DEMO_POINT, isDemoSeeded, seedDemo } from './demo/shipments'
import { EventBus } from './platform/events'
import { ensurePrivateDir, tightenDataDir } from './platform/private-files'
import { createLogger, type Logger } from './platform/logger'
import type { ShipmentService } from './core/shipments/service'
import { createShipmentsFeature } from './core/shipments/feature'
import type { KeyValueStore, SettingsService } from './core/settings/settings'
import { createSettingsFeature } from './core/settings/feature'
import type { CarrierAccounts } from './core/accounts/accounts'
import { createAccountsFeature } from './core/accounts/feature'
import { createCredentialsFeature } from './core/credentials/feature'
import type { CredentialsService } from './core/credentials/service'
import { createConnectivityFeature } from './core/connectivity/feature'
import type { ConnectivityMonitor } from './core/connectivity/monitor'
import { createOutboxFeature, type OutboxFeature } from './core/outbox/feature'
import type { AdapterFor } from './core/outbox/worker'
import { nextCheckAt } from './core/schedule/schedule'
import { carrierModule } from './carriers/registry'
import { StatusPipeline, type PipelineDeps } from './core/pipeline/pipeline'
import type { Poller, PollerAccount, PollerOptions } from './core/poller/poller'
import { createPollerFeature } from './core/poller/feature'
import type { UpdateService } from './features/updater/service'
import { createUpdaterFeature } from './features/updater/setup'
import { createPrintingFeature } from './features/printing/setup'
import type { PrintService } from './features/printing/service'
import { createCounterFeature, type CounterFeature } from './features/counter/setup'
import { expiresAt as keptUntil, holdDaysFor } from './features/counter/core'
import { isCarrier } from './features/counter/context'
import { createPointsFeature } from './features/points/feature'
import { createWebhookSecrets } from './features/webhooks/secrets'
import { createWarehouseFeature, type WarehouseFeature } from './features/warehouse/setup'
import { createHubSyncFeature, type HubSyncFeature } from './features/hub-sync/setup'
import { createAppFeature } from './app-feature'
import { browserPlatform, type Platform } from './platforms'
import { createReadiness } from './platform/startup/ready'

// The composition root. The backend knows nothing of Electron: the desktop (in main or in the
// backend process) and browser mode build it with their Platform, then carry `dispatch` and
// `events` over their own transport. Every slice is built the same way, createXFeature(deps) ->
// { service, handlers, close }, in dependency order: nothing below refers to a slice built later.

export interface BackendOptions {
  dataDir: string
  version: string
  settingsStore: KeyValueStore
  /** What the shell provides (vault, label PDF and printing, updater, OS signals); left out: browser mode's. */
  platform?: Platform
  clock?: Clock
  logger?: Logger
  /** Seed the demo shipments at start (GUICHET_DEMO=1). */
  demo?: boolean
  /** Run demo accounts on in-process simulators when demo mode is on (default true). */
  demoSimulators?: boolean
  /** Carrier accounts the background poller checks (read each cycle); left out: the configured accounts'. */
  pollerAccounts?: () => readonly PollerAccount[]
  pollerOptions?: Partial<PollerOptions>
  /** Start the background poller at once (the entries do; tests drive it by hand). */
  startPoller?: boolean
  /** Each carrier module's status table, for the status pipeline (poll, refresh, webhook, import). */
  mappingFor?: PipelineDeps['mappingFor']
  /** Per-account tiers (settings: max check period...); left out: each account's own schedule. */
  schedule?: PipelineDeps['schedule']
  /** The adapter per account for the outbox and the counter; left out: the configured accounts'. */
  adapterFor?: AdapterFor
  /** Start the outbox worker (default true); tests drive it by hand. */
  outboxAutoStart?: boolean
  /**
   * The background integrity check (after an unclean shutdown) found damage and marked the store:
   * the host starts the backend again, whose open sets the file aside and says so. Left out, the
   * file is set aside at the next start.
   */
  onStoreDamaged?: () => void
}

export interface Backend {
  /** Starts what needs the event loop: the webhook receiver, the hub link, demo simulators. */
  start(): Promise<void>
  dispatch: Dispatch
  handlers: Handlers
  events: EventBus
  db: Database
  /** The full-file check after an unclean shutdown, run once ready; null when none was due. */
  storeIntegrity: Promise<IntegrityOutcome> | null
  logger: Logger
  settings: SettingsService
  shipments: ShipmentService
  accounts: CarrierAccounts
  /** The offline-first parts: the outbox and its worker, credentials and connectivity. */
  offline: Pick<OutboxFeature, 'worker' | 'kinds' | 'actions' | 'hasUnsent'> & {
    outbox: OutboxFeature['service']
    credentials: CredentialsService
    connectivity: ConnectivityMonitor
  }
  /** Labels, printers, print jobs and batches. */
  printing: PrintService
  updater: UpdateService
  /** The one status pipeline: webhooks and imports go through pipeline.apply too. */
  pipeline: StatusPipeline
  /** Background poller: paused offline and asleep, caught up when back. */
  poller: Poller
  /** Counter operations: check-in, shelf, hand-over, returns, driver collection, end of day. */
  counter: CounterFeature['service']
  /** Warehouse: aggregator orders, returns, the webhook receiver and forwarding. */
  warehouse: WarehouseFeature
  /** The link to a Guichet hub (features/hub-sync): event log, fan-out, shared account leases. */
  hubSync: HubSyncFeature
  /** Closes everything at once, the store included; settles once the listening sockets and the label browser are shut too. */
  close(): Promise<void>
}

export function createBackend(opts: BackendOptions): Backend {
  ensurePrivateDir(opts.dataDir)
  const platform = opts.platform ?? browserPlatform()
  const { dataDir, settingsStore } = opts
  const clock = opts.clock ?? systemClock
  const logger = opts.logger ?? createLogger({ file: join(dataDir, 'logs', 'guichet.log') })
  const storeFile = join(dataDir, 'guichet.sqlite')
  const { db, warning, integrityCheckDue } = openDatabase(storeFile, { logger, now: () => clock.now(), deferIntegrityCheck: true })
  const repo = new ShipmentRepository(db)
  const events = new EventBus()
  const ready = createReadiness() // background work starts after the first answer (platform/startup/ready.ts)
  // What an older version left open is closed after the first answer: the walk grows with the
  // labels and logs a desk keeps, and what this run writes is private already (privateUmask).
  ready.after(() => tightenDataDir(dataDir))
  const integrity = integrityCheckDue ? checkStoreOnceReady(storeFile, ready, logger, opts.onStoreDamaged) : null
  if (opts.demo) seedDemo(db, repo, clock.now())

  const settings = createSettingsFeature({ settingsStore, logger })
  const shipments = createShipmentsFeature({ repo, clock })
  const printing = createPrintingFeature({
    db,
    clock,
    logger,
    events,
    repo,
    sender: () => settings.service.get().sender,
    htmlToPdf: platform.htmlToPdf,
    ...(platform.silentPrint ? { silentPrint: platform.silentPrint } : {})
  })

  // Secrets, then the accounts that read them, then connectivity (it hears every carrier answer
  // and probes the accounts' hosts), then the outbox that sends when connectivity allows.
  const credentials = createCredentialsFeature({
    settingsStore,
    logger,
    createVault: ({ plainTextRiskAccepted }) => platform.createVault({ dataDir, plainTextRiskAccepted, logger })
  })
  const accounts = createAccountsFeature({ settingsStore, credentials: credentials.service, clock, logger })
  const adapterFor: AdapterFor = opts.adapterFor ?? ((carrier, account) => accounts.service.adapter(carrier, account))
  const connectivity = createConnectivityFeature({ db, clock, logger, events, accounts, system: platform.system })
  const outbox = createOutboxFeature({
    db,
    clock,
    logger,
    events,
    connectivity: connectivity.service,
    adapterFor,
    autoStart: opts.outboxAutoStart
  })
  const updater = createUpdaterFeature(platform.updates, {
    mode: platform.kind,
    version: opts.version,
    store: settingsStore,
    clock,
    logger,
    events,
    // Never restart over writes a carrier has not accepted yet, nor in the middle of a print.
    hasUnsentOutbox: () => outbox.hasUnsent(),
    isPrinting: () => printing.service.isBusy()
  })

  const pipeline = new StatusPipeline({
    db,
    clock,
    events,
    logger,
    mappingFor: opts.mappingFor ?? ((carrier) => carrierModule(carrier)?.mapping),
    // Each account's cadence: seed 000's tiers unless its settings say otherwise.
    schedule: opts.schedule ?? ((c) => nextCheckAt(c, accounts.service.schedule(c.carrier, c.account)))
  })
  const pollerAccounts = opts.pollerAccounts ?? (() => accounts.service.adapters().map((adapter) => ({ adapter })))
  const poller = createPollerFeature({
    db,
    pipeline,
    clock,
    events,
    logger,
    accounts: pollerAccounts,
    options: opts.pollerOptions,
    connectivity: connectivity.service,
    power: platform.system?.power ?? null,
    start: false
  })
  if (opts.startPoller ?? opts.pollerAccounts !== undefined) ready.after(() => poller.service.start())

  const counter = createCounterFeature({
    db,
    shipments: repo,
    dataDir,
    clock,
    logger,
    events,
    settingsStore,
    outbox,
    adapterFor,
    // The demo desk plays the demo point until the clerk sets one.
    pointId: () => settings.service.get().point?.id ?? (isDemoSeeded(db) ? DEMO_POINT.id : null)
  })
  // Many desks, one network: the hub link, when this desk has one (idle otherwise).
  const hubSync = createHubSyncFeature({
    db,
    clock,
    logger,
    env: process.env,
    pointId: () => settings.service.get().point?.id ?? null,
    vault: credentials.service,
    accountsInUse: () => pollerAccounts().map(({ adapter }) => `${adapter.carrier}/${adapter.account}`),
    // The poller counts the calls; the next holder and head office see them.
    budgetFor: (key) => {
      const a = poller.service.state().accounts.find((x) => `${x.carrier}/${x.account}` === key)
      return a && { remaining: a.budgetLeft, resetsAt: a.budgetResetsAt ? Date.parse(a.budgetResetsAt) : null, calls: a.callsMade }
    },
    // What the hub brings is what the network's poller found.
    onApplied: () => events.emit('shipment.changed', { ids: [], reason: 'poll' }),
    // Head office's expiries: a checked-in parcel is kept for this desk's hold days of its carrier.
    expiresAt: (carrier, arrivedAt) =>
      keptUntil(arrivedAt, holdDaysFor(isCarrier(carrier) ? carrier : null, counter.service.config().holdDays))
  })
  // One poller per account across the network: the hub's lease says whether this desk polls it.
  poller.pollOnlyWhen(hubSync.mayPoll)

  // Pickup points of every carrier with points (Sendcloud, Swiss Post, Express Relais...), cached for offline.
  const points = createPointsFeature({
    db,
    clock,
    logger,
    events,
    repo,
    adapters: () => accounts.service.adapters(),
    outbox: outbox.service,
    saveCarrierLabel: (id, format, bytes, size, dpi) => void printing.service.saveCarrierLabel(id, format, bytes, size, dpi)
  })
  // Warehouse side (seed 002): aggregator orders and returns, webhook receiver, forwarding.
  const warehouse = createWarehouseFeature({
    db,
    clock,
    logger,
    repo,
    pipeline,
    settingsStore,
    outbox,
    accounts: accounts.service,
    saveLabel: (shipmentId, data) => printing.service.saveCarrierLabel(shipmentId, 'pdf', data).id
  })
  const app = createAppFeature({
    db,
    repo,
    accounts: accounts.service,
    warehouse,
    clock,
    logger,
    events,
    mode: platform.kind,
    version: opts.version,
    storeWarning: warning,
    demoSimulators: opts.demoSimulators
  })

  const handlers: Handlers = {
    ...app.handlers,
    ...settings.handlers,
    ...credentials.handlers,
    ...accounts.handlers,
    ...connectivity.handlers,
    ...outbox.handlers,
    ...shipments.handlers,
    ...poller.handlers,
    ...printing.handlers,
    ...updater.handlers,
    ...hubSync.handlers,
    ...counter.handlers,
    ...points.handlers,
    ...warehouse.handlers,
    ...createWebhookSecrets({ store: credentials.service, logger }).handlers
  }

  logger.info('backend.started', { mode: platform.kind, version: opts.version, storeWarning: warning })
  return {
    async start() {
      await warehouse.start()
      ready.after(() => hubSync.start())
      await app.start()
    },
    dispatch: ready.wrap(createDispatch(handlers, logger)),
    handlers,
    events,
    db,
    storeIntegrity: integrity?.result ?? null,
    logger,
    settings: settings.service,
    shipments: shipments.service,
    accounts: accounts.service,
    offline: {
      outbox: outbox.service,
      worker: outbox.worker,
      kinds: outbox.kinds,
      actions: outbox.actions,
      hasUnsent: outbox.hasUnsent,
      credentials: credentials.service,
      connectivity: connectivity.service
    },
    printing: printing.service,
    updater: updater.service,
    pipeline,
    poller: poller.service,
    counter: counter.service,
    warehouse,
    hubSync,
    close() {
      ready.cancel()
      integrity?.cancel()
      // The reverse of construction: nothing closes under a slice that still uses it.
      app.close()
      const closing: Array<Promise<unknown>> = [warehouse.close()]
      points.close()
      counter.close()
      closing.push(hubSync.close())
      poller.close()
      updater.close()
      outbox.close()
      connectivity.close()
      accounts.close()
      credentials.close()
      closing.push(printing.close())
      shipments.close()
      settings.close()
      try {
        db.pragma('wal_checkpoint(TRUNCATE)')
      } finally {
        db.close()
      }
      return Promise.allSettled(closing).then(() => undefined)
    }
  }
}

/**
 * After an unclean shutdown: SQLite's full-file check in a worker thread once the first scan is
 * answered. Damage is marked beside the store (it cannot be moved while open) and the host told.
 */
function checkStoreOnceReady(
  file: string,
  ready: ReturnType<typeof createReadiness>,
  logger: Logger,
  onDamaged: (() => void) | undefined
): { result: Promise<IntegrityOutcome>; cancel(): void } {
  let check: IntegrityCheck | null = null
  let cancelled = false
  let settle: (r: IntegrityOutcome) => void = () => {}
  const result = new Promise<IntegrityOutcome>((resolve) => (settle = resolve))
  ready.after(() => {
    if (cancelled) return
    const startedAt = Date.now()
    check = checkIntegrityInBackground(file)
    void check.result.then((r) => {
      if (r.outcome === 'sound') logger.info('store.integrity_ok', { ms: Date.now() - startedAt })
      else if (r.outcome === 'not_run') {
        if (!cancelled) logger.error('store.integrity_not_run', { reason: r.reason })
      } else {
        markDamaged(file, r.problem)
        logger.error('store.damage_found', { file, problem: r.problem })
        onDamaged?.()
      }
      settle(r)
    })
  })
  return {
    result,
    cancel() {
      cancelled = true
      if (check) check.cancel()
      else settle({ outcome: 'not_run', reason: 'cancelled' })
    }
  }
}
