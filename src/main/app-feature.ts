// The app slice: what the desk is (app.info) and the demo switch. Demo mode runs the demo
// accounts on the carriers' simulators, started on loopback when the store holds the demo.
import type { AppInfo } from '../shared/app'
import type { Handlers } from './platform/ipc/dispatch'
import type { Database } from './platform/db/database'
import type { Clock } from './platform/clock'
import type { EventBus } from './platform/events'
import type { Logger } from './platform/logger'
import type { ShipmentRepository } from './core/shipments/shipments.repo'
import type { CarrierAccounts } from './core/accounts/accounts'
import type { WarehouseFeature } from './features/warehouse/setup'
import { isDemoSeeded, seedDemo } from './demo/shipments'
import { startDemoCarriers, type DemoCarriers } from './demo/carriers'
import { startAggregatorDemo, type AggregatorDemo } from './demo/warehouse'

interface AppFeature {
  service: { startDemo(): Promise<void> }
  handlers: Pick<Handlers, 'app.info' | 'demo.enable'>
  /** Starts the demo simulators when the store holds the demo. */
  start(): Promise<void>
  close(): void
}

export function createAppFeature(o: {
  db: Database
  repo: ShipmentRepository
  accounts: CarrierAccounts
  warehouse: Pick<WarehouseFeature, 'receiverStatus' | 'configureReceiver'>
  clock: Clock
  logger: Logger
  events: EventBus
  mode: AppInfo['mode']
  version: string
  storeWarning: AppInfo['storeWarning']
  /** Run demo accounts on in-process simulators (default true). */
  demoSimulators?: boolean
}): AppFeature {
  let demoCarriers: DemoCarriers | null = null
  let demoAggregators: AggregatorDemo | null = null
  const startDemo = async () => {
    if (demoCarriers || o.demoSimulators === false) return
    demoCarriers = await startDemoCarriers(o.clock)
    // The aggregators' simulators notify this desk: the receiver listens on loopback for the demo.
    demoAggregators = await startAggregatorDemo(o.clock)
    o.accounts.setDemoAccounts([...demoCarriers.accounts, ...demoAggregators.accounts])
    const receiver = o.warehouse.receiverStatus().listening
      ? o.warehouse.receiverStatus()
      : await o.warehouse.configureReceiver({ enabled: true, host: '127.0.0.1', port: 0 }, false)
    if (receiver.baseUrl) demoAggregators.connect(receiver.baseUrl)
    o.logger.info('demo.simulators_started', { carriers: demoCarriers.accounts.map((a) => a.carrier) })
  }
  return {
    service: { startDemo },
    handlers: {
      'app.info': () => ({
        name: 'Guichet',
        version: o.version,
        mode: o.mode,
        demo: isDemoSeeded(o.db),
        firstRun: o.accounts.configuredCarriers().length === 0 && !isDemoSeeded(o.db) && o.repo.count() === 0,
        carriersConfigured: o.accounts.configuredCarriers(),
        shipments: o.repo.count(),
        storeWarning: o.storeWarning
      }),
      'demo.enable': async () => {
        const created = seedDemo(o.db, o.repo, o.clock.now())
        await startDemo()
        if (created > 0) o.events.emit('shipment.changed', { ids: [], reason: 'demo' })
        return { shipments: o.repo.count() }
      }
    },
    async start() {
      if (isDemoSeeded(o.db)) await startDemo()
    },
    close() {
      void demoCarriers?.close()
      void demoAggregators?.close()
    }
  }
}
