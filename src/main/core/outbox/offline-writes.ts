import type { Database } from 'better-sqlite3'
import type { actionChannels } from '../../../shared/contract/actions'
import { ConnectivityMonitor } from '../connectivity/monitor'
import { createFileVault } from '../credentials/file-cipher'
import { CredentialsService } from '../credentials/service'
import type { Vault } from '../credentials/vault'
import type { Handlers } from '../../platform/ipc/dispatch'
import type { Clock } from '../../platform/clock'
import type { EventBus } from '../../platform/events'
import type { Logger } from '../../platform/logger'
import type { KeyValueStore } from '../settings/settings'
import { ShipmentRefs } from '../shipments/refs'
import { ActionService } from './actions'
import { Outbox } from './outbox'
import { BUILTIN_KINDS } from './kinds'
import { OutboxStore } from './store'
import type { AnyOutboxKind, OutboxRow } from './types'
import { OutboxKinds, OutboxWorker, type AdapterFor } from './worker'

// Offline-first writes, credentials and connectivity, assembled once for the backend: the
// backend spreads `handlers` into its table and closes this on shutdown.

/** Where the user's acceptance of the Linux plain-text key risk is remembered (settings store). */
export const PLAIN_TEXT_RISK_KEY = 'credentialsPlainTextRiskAccepted'

export interface OfflineWritesOptions {
  db: Database
  dataDir: string
  clock: Clock
  logger: Logger
  events: EventBus
  settingsStore: KeyValueStore
  /** The carrier layer's adapter for an account (registry + vault); null while not configured. */
  adapterFor?: AdapterFor
  /** The desktop vault (safeStorage); browser mode and tests get the key-file vault. */
  createVault?: (ctx: { dataDir: string; plainTextRiskAccepted: () => boolean; logger: Logger }) => Vault
  /** Kinds beyond remarks and return requests (orders, cancellations, hand-overs...). */
  kinds?: readonly AnyOutboxKind[]
  /**
   * A cheap "can we reach a carrier?" check used while offline. Without one, the way back online
   * is a successful outbox send, the OS signal, or reportSuccess() from the poller.
   */
  connectivityProbe?: () => Promise<boolean>
  /** Start the background worker (default true); tests drive `worker.runOnce()` instead. */
  autoStart?: boolean
  random?: () => number
}

type ActionChannel = keyof typeof actionChannels

export interface OfflineWrites {
  handlers: Pick<Handlers, ActionChannel>
  actions: ActionService
  /** The outbox API (enqueue, rowFor...): the only way other modules reach outbox rows. */
  outbox: Outbox
  worker: OutboxWorker
  kinds: OutboxKinds
  connectivity: ConnectivityMonitor
  credentials: CredentialsService
  /**
   * A write is being sent, or is due to be sent now: the updater waits. Rows waiting out a backoff
   * or an account do not block an update: the outbox is durable, a restart loses none of them; what
   * matters is not to cut a send in the middle (that would leave it to reconcile).
   */
  hasUnsent(): boolean
  close(): void
}

export function createOfflineWrites(o: OfflineWritesOptions): OfflineWrites {
  const store = new OutboxStore(o.db)
  const kinds = new OutboxKinds([...BUILTIN_KINDS, ...(o.kinds ?? [])])
  const lastGood = new ShipmentRefs(o.db).lastGoodCheckAt()
  const connectivity = new ConnectivityMonitor({
    clock: o.clock,
    logger: o.logger,
    lastGoodSyncAt: lastGood,
    ...(o.connectivityProbe ? { probe: o.connectivityProbe } : {})
  })
  connectivity.onChange((s) => o.events.emit('connectivity', s))

  const plainTextRiskAccepted = () => o.settingsStore.get(PLAIN_TEXT_RISK_KEY) === true
  const vault = o.createVault
    ? o.createVault({ dataDir: o.dataDir, plainTextRiskAccepted, logger: o.logger })
    : createFileVault(o.dataDir, o.logger)
  const credentials = new CredentialsService(vault, o.logger)

  let worker: OutboxWorker | null = null
  const changed = (rows: OutboxRow[]) => {
    worker?.kick()
    const ids = [...new Set(rows.map((r) => r.shipmentId).filter((id): id is number => id !== null))]
    o.events.emit('outbox.changed', { ...store.counts(), shipmentIds: ids })
    // Remark states live on the shipment's detail: it changed too.
    if (ids.length > 0) o.events.emit('shipment.changed', { ids, reason: 'local' })
  }
  worker = new OutboxWorker({
    store,
    kinds,
    clock: o.clock,
    logger: o.logger,
    adapterFor: o.adapterFor ?? (() => null),
    connectivity,
    onChange: changed,
    ...(o.random ? { random: o.random } : {})
  })
  const outbox = new Outbox(o.db, store, kinds, changed, worker)
  const actions = new ActionService(o.db, outbox, store, o.clock)
  if (o.autoStart !== false) worker.start()

  const handlers: Pick<Handlers, ActionChannel> = {
    'remarks.add': ({ shipmentId, text }) => actions.addRemark(shipmentId, text),
    'returns.request': ({ shipmentId }) => actions.requestReturn(shipmentId),
    'outbox.list': (f) => actions.list(f),
    'outbox.pending': () => actions.counts(),
    'outbox.resend': ({ id, text }) => actions.resend(id, text === undefined ? {} : { text }),
    'outbox.discard': ({ id }) => actions.discard(id),
    'credentials.status': () => credentials.status(),
    'credentials.set': ({ carrier, account, secrets }) => credentials.set(carrier, account, secrets),
    'credentials.clear': ({ carrier, account }) => credentials.clear(carrier, account),
    'credentials.acceptPlainTextRisk': ({ accept }) => {
      o.settingsStore.set(PLAIN_TEXT_RISK_KEY, accept)
      o.logger.warn('credentials.plain_text_risk', { accepted: accept })
      return credentials.status()
    },
    'connectivity.state': () => connectivity.state()
  }

  return {
    handlers,
    actions,
    outbox,
    worker,
    kinds,
    connectivity,
    credentials,
    hasUnsent: () => store.inflight().length > 0 || store.due(o.clock.now(), 1).length > 0,
    close() {
      worker?.stop()
      connectivity.stop()
    }
  }
}
