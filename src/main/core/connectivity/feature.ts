// The connectivity slice: one view of online/offline for the whole desk, learned from carrier
// answers (the accounts' call stream), a TCP probe of the carriers' hosts while offline, and the
// OS's own signal when the platform has one.
import type { Database } from 'better-sqlite3'
import type { Handlers } from '../../platform/ipc/dispatch'
import type { Clock } from '../../platform/clock'
import type { EventBus } from '../../platform/events'
import type { Logger } from '../../platform/logger'
import type { AccountsFeature } from '../accounts/feature'
import type { PowerSource } from '../poller/power'
import { ShipmentRefs } from '../shipments/refs'
import { ConnectivityMonitor } from './monitor'
import { watchOsSignal } from './os-signal'
import { tcpProbe } from './probe'

interface ConnectivityFeature {
  service: ConnectivityMonitor
  handlers: Pick<Handlers, 'connectivity.state'>
  close(): void
}

export function createConnectivityFeature(o: {
  db: Database
  clock: Clock
  logger: Logger
  events: EventBus
  accounts: Pick<AccountsFeature, 'onCall' | 'enabledHosts'>
  /** The OS's online flag and sleep/wake; null: carrier answers and the probe alone. */
  system: { isOnline(): boolean; power: PowerSource } | null
}): ConnectivityFeature {
  const service = new ConnectivityMonitor({
    clock: o.clock,
    logger: o.logger,
    lastGoodSyncAt: new ShipmentRefs(o.db).lastGoodCheckAt(),
    // While offline: can any enabled account's host be reached again? (a TCP connect, nothing sent)
    probe: tcpProbe(() => o.accounts.enabledHosts())
  })
  service.onChange((s) => o.events.emit('connectivity', s))
  const offCalls = o.accounts.onCall(service)
  const system = o.system
  const stopOs = system
    ? watchOsSignal(service, () => system.isOnline(), {
        onWake: (listener) => {
          system.power.on('resume', listener)
          return () => void system.power.removeListener('resume', listener)
        }
      })
    : () => undefined
  return {
    service,
    handlers: { 'connectivity.state': () => service.state() },
    close() {
      stopOs()
      offCalls()
      service.stop()
    }
  }
}
