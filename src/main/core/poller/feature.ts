// The poller slice: the background tracking poller, the update button (shipments.refresh) and
// its state. It follows connectivity (pauses offline, catches up when back) and, on the desktop,
// sleep and wake.
import type { Database } from 'better-sqlite3'
import type { Handlers } from '../../platform/ipc/dispatch'
import type { Clock } from '../../platform/clock'
import type { EventBus } from '../../platform/events'
import type { Logger } from '../../platform/logger'
import type { ConnectivityMonitor } from '../connectivity/monitor'
import type { StatusPipeline } from '../pipeline/pipeline'
import { Poller, type PollerAccount, type PollerOptions } from './poller'
import { bindPollerToSystem, type PowerSource } from './power'

interface PollerFeature {
  service: Poller
  handlers: Pick<Handlers, 'shipments.refresh' | 'poller.state'>
  /**
   * Who else decides whether this desk polls an account now (the hub's leases). The hub link is
   * built after the poller because it reports the poller's budgets; it hands its answer in here.
   */
  pollOnlyWhen(mayPoll: (account: { carrier: string; account: string }) => boolean): void
  close(): void
}

export function createPollerFeature(o: {
  db: Database
  pipeline: StatusPipeline
  clock: Clock
  events: EventBus
  logger: Logger
  accounts: () => readonly PollerAccount[]
  options?: Partial<PollerOptions>
  connectivity: ConnectivityMonitor
  /** Sleep pauses the poller and wake catches up (Electron's powerMonitor); null: no such signal. */
  power: PowerSource | null
  start: boolean
}): PollerFeature {
  let mayPoll: (account: { carrier: string; account: string }) => boolean = () => true
  const service = new Poller({
    db: o.db,
    pipeline: o.pipeline,
    clock: o.clock,
    events: o.events,
    logger: o.logger,
    accounts: o.accounts,
    options: o.options,
    mayPoll: (a) => mayPoll(a)
  })
  // One view of online/offline: the poller pauses and catches up with the connectivity monitor.
  const offConnectivity = o.connectivity.onChange((c) => service.setOnline(c.online))
  const offPower = bindPollerToSystem(service, o.power, null)
  if (o.start) service.start()
  return {
    service,
    handlers: {
      'shipments.refresh': ({ ids }) => service.refresh(ids),
      'poller.state': () => service.state()
    },
    pollOnlyWhen(fn) {
      mayPoll = fn
    },
    close() {
      offPower()
      offConnectivity()
      service.stop()
    }
  }
}
