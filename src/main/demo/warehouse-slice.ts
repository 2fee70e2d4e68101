// A whole warehouse slice on one store, for tests and demo wiring: Shiprocket simulator, accounts
// by alias, the warehouse service, the webhook receiver and forwarding through the outbox.
import type { WarehouseOrder } from '../../shared/contract/aggregators'
import type { CarrierAccount } from '../carriers/types'
import type { Database } from '../platform/db/database'
import { ShipmentRepository } from '../core/shipments/shipments.repo'
import { StatusPipeline } from '../core/pipeline/pipeline'
import { PrintStore } from '../features/printing/store'
import type { Clock } from '../platform/clock'
import { EventBus } from '../platform/events'
import type { Logger } from '../platform/logger'
import { enqueueForward, forwardKind } from '../features/webhooks/forwarding'
import { outboxOn, type Outbox } from '../core/outbox/outbox'
import { startWebhookReceiver, type WebhookReceiver } from '../features/webhooks/receiver'
import { aggregatorAccounts, staticAccounts, warehouseOptions, type AggregatorAccounts } from '../features/warehouse/accounts'
import { aggregatorModule } from '../features/warehouse/modules'
import { WarehouseService } from '../features/warehouse/service'
import type { WarehouseAddress } from '../carriers/aggregator'

export const DEMO_SHIPROCKET = {
  alias: 'warehouse-north',
  email: 'api@warehouse-north.in',
  password: 'sr-demo-pass-0b7c',
  webhookToken: 'sr-demo-hook-5e21-demo-only-0c4f9a7d2b6e'
} as const

export const DEMO_WAREHOUSE: WarehouseAddress = {
  name: 'Guichet Warehouse North',
  phone: '8012345678',
  address: 'Plot 7, Peenya Industrial Area',
  city: 'Bengaluru',
  state: 'Karnataka',
  pincode: '560058',
  country: 'India'
}

export function demoShiprocketAccount(baseUrl: string, over: Partial<CarrierAccount> = {}): CarrierAccount {
  return {
    carrier: 'shiprocket',
    alias: DEMO_SHIPROCKET.alias,
    baseUrl,
    credentials: { email: DEMO_SHIPROCKET.email, password: DEMO_SHIPROCKET.password, webhookToken: DEMO_SHIPROCKET.webhookToken },
    options: { pickupLocation: 'Primary', ...warehouseOptions(DEMO_WAREHOUSE) },
    ...over
  }
}

export function sampleWarehouseOrder(reference: string, over: Partial<WarehouseOrder> = {}): WarehouseOrder {
  return {
    reference,
    recipient: {
      name: 'Priya Raman',
      phone: '9876543210',
      email: 'priya@example.in',
      address: '12 Anna Salai',
      city: 'Chennai',
      state: 'Tamil Nadu',
      pincode: '600002',
      country: 'India'
    },
    items: [{ name: 'Cotton kurta', sku: 'KUR-42-M', units: 1, price: 899 }],
    payment: 'prepaid',
    weightGrams: 500,
    lengthCm: 30,
    breadthCm: 20,
    heightCm: 5,
    ...over
  }
}

export interface WarehouseSlice {
  repo: ShipmentRepository
  pipeline: StatusPipeline
  events: EventBus
  accounts: AggregatorAccounts
  list: CarrierAccount[]
  service: WarehouseService
  receiver: WebhookReceiver
  /** Where forwards are queued (the forwarding kind only). */
  outbox: Outbox
  close(): Promise<void>
}

/** Builds the slice on a store that has the v4 and v6 tables. */
export async function startWarehouseSlice(o: {
  db: Database
  clock: Clock
  logger: Logger
  accounts: CarrierAccount[]
  host?: string
  afterCreateCall?: () => Promise<void> | void
  timeoutMs?: number
}): Promise<WarehouseSlice> {
  const repo = new ShipmentRepository(o.db)
  const outbox = outboxOn(o.db, [forwardKind()])
  const events = new EventBus()
  const pipeline = new StatusPipeline({
    db: o.db,
    clock: o.clock,
    events,
    logger: o.logger,
    mappingFor: (c) => aggregatorModule(c)?.mapping
  })
  const src = staticAccounts(o.accounts)
  // Retries wait no real time here: tests and the demo run on the simulators.
  const accounts = aggregatorAccounts(src, {
    now: () => o.clock.now(),
    logger: o.logger,
    timeoutMs: o.timeoutMs ?? 5000,
    maxRetries: 1,
    sleep: async () => undefined
  })
  const prints = new PrintStore(o.db)
  const service = new WarehouseService({
    db: o.db,
    repo,
    pipeline,
    clock: o.clock,
    logger: o.logger,
    opsFor: accounts.opsFor,
    warehouseFor: accounts.warehouseFor,
    saveLabel: (shipmentId, _ct, data) => {
      const s = repo.get(shipmentId)
      return prints.saveLabel(
        {
          shipmentId,
          carrier: s?.carrier ?? null,
          trackingNumber: s?.trackingNumber ?? null,
          source: 'carrier',
          format: 'pdf',
          size: null,
          dpi: null,
          content: data,
          warnings: []
        },
        o.clock.now()
      ).id
    },
    afterCreateCall: o.afterCreateCall
  })
  const receiver = await startWebhookReceiver({
    host: o.host,
    db: o.db,
    pipeline,
    logger: o.logger,
    moduleFor: aggregatorModule,
    accountFor: (c, a) => src.get(c as never, a),
    onAccepted: (n) => {
      const url = accounts.forwardUrlFor(n.carrier as never, n.account)
      if (url) enqueueForward(outbox, n, url, o.clock.now())
    }
  })
  return { repo, pipeline, events, accounts, list: src.list, service, receiver, outbox, close: () => receiver.close() }
}
