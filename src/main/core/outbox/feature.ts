// The outbox slice: offline-first writes to carriers. Every write is a durable row first
// (SQLite, the same transaction as the local change), then the worker sends it when the
// account and the network allow; features register their kinds and enqueue through `service`.
import type { Database } from 'better-sqlite3'
import type { actionChannels } from '../../../shared/contract/actions'
import type { Handlers } from '../../platform/ipc/dispatch'
import type { Clock } from '../../platform/clock'
import type { EventBus } from '../../platform/events'
import type { Logger } from '../../platform/logger'
import type { ConnectivityMonitor } from '../connectivity/monitor'
import { ActionService } from './actions'
import { BUILTIN_KINDS } from './kinds'
import { Outbox } from './outbox'
import { OutboxStore } from './store'
import type { OutboxRow } from './types'
import { OutboxKinds, OutboxWorker, type AdapterFor } from './worker'

type OutboxChannel = Exclude<keyof typeof actionChannels, `credentials.${string}` | 'connectivity.state'>

export interface OutboxFeature {
  /** The outbox API (enqueue, rowFor...): the only way other modules reach outbox rows. */
  service: Outbox
  handlers: Pick<Handlers, OutboxChannel>
  /** Remarks and return requests, and the outbox screen's list, resend and discard. */
  actions: ActionService
  worker: OutboxWorker
  kinds: OutboxKinds
  /**
   * A write is being sent, or is due to be sent now: the updater waits. Rows waiting out a backoff
   * or an account do not block an update: the outbox is durable, a restart loses none of them; what
   * matters is not to cut a send in the middle (that would leave it to reconcile).
   */
  hasUnsent(): boolean
  close(): void
}

export function createOutboxFeature(o: {
  db: Database
  clock: Clock
  logger: Logger
  events: EventBus
  connectivity: ConnectivityMonitor
  /** The carrier layer's adapter for an account; null while not configured (the row waits). */
  adapterFor: AdapterFor
  /** Start the background worker (default true); tests drive `worker.runOnce()` instead. */
  autoStart?: boolean
  random?: () => number
}): OutboxFeature {
  const store = new OutboxStore(o.db)
  const kinds = new OutboxKinds([...BUILTIN_KINDS])
  const changed = (rows: OutboxRow[]) => {
    worker.kick()
    const ids = [...new Set(rows.map((r) => r.shipmentId).filter((id): id is number => id !== null))]
    o.events.emit('outbox.changed', { ...store.counts(), shipmentIds: ids })
    // Remark states live on the shipment's detail: it changed too.
    if (ids.length > 0) o.events.emit('shipment.changed', { ids, reason: 'local' })
  }
  const worker = new OutboxWorker({
    store,
    kinds,
    clock: o.clock,
    logger: o.logger,
    adapterFor: o.adapterFor,
    connectivity: o.connectivity,
    onChange: changed,
    ...(o.random ? { random: o.random } : {})
  })
  const service = new Outbox(o.db, store, kinds, changed, worker)
  const actions = new ActionService(o.db, service, store, o.clock)
  if (o.autoStart !== false) worker.start()

  const handlers: Pick<Handlers, OutboxChannel> = {
    'remarks.add': ({ shipmentId, text }) => actions.addRemark(shipmentId, text),
    'returns.request': ({ shipmentId }) => actions.requestReturn(shipmentId),
    'outbox.list': (f) => actions.list(f),
    'outbox.pending': () => actions.counts(),
    'outbox.resend': ({ id, text }) => actions.resend(id, text === undefined ? {} : { text }),
    'outbox.discard': ({ id }) => actions.discard(id)
  }
  return {
    service,
    handlers,
    actions,
    worker,
    kinds,
    hasUnsent: () => store.inflight().length > 0 || store.due(o.clock.now(), 1).length > 0,
    close: () => worker.stop()
  }
}
