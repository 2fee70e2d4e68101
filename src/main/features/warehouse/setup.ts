// Builds the warehouse slice for the backend: the service over the backend's accounts (sharing
// the poller's adapters), the forwarding outbox kind, the webhook receiver (off unless the user
// turned it on; its place is remembered in settings) and the aggregator IPC handlers.
import type { AggregatorId, WebhookReceiverStatus } from '../../../shared/contract/aggregators'
import type { aggregatorChannels } from '../../../shared/contract/aggregators'
import type { CarrierId } from '../../../shared/domain'
import { GuichetError, type AppError } from '../../../shared/result'
import type { CarrierAccount, CarrierAdapter } from '../../carriers/types'
import type { Database } from '../../platform/db/database'
import type { ShipmentRepository } from '../../core/shipments/shipments.repo'
import type { Handlers } from '../../platform/ipc/dispatch'
import type { OutboxFeature } from '../../core/outbox/feature'
import type { StatusPipeline } from '../../core/pipeline/pipeline'
import type { Clock } from '../../platform/clock'
import type { Logger } from '../../platform/logger'
import type { KeyValueStore } from '../../core/settings/settings'
import { enqueueForward, forwardingLog, forwardKind, FORWARD_KIND } from '../webhooks/forwarding'
import { startWebhookReceiver, validateBindHost, type WebhookReceiver } from '../webhooks/receiver'
import { aggregatorAccounts } from './accounts'
import { aggregatorModule } from './modules'
import { WarehouseService } from './service'

const RECEIVER_SETTINGS_KEY = 'webhookReceiver'

type AggregatorChannel = keyof typeof aggregatorChannels

interface WarehouseSetupOptions {
  db: Database
  clock: Clock
  logger: Logger
  repo: ShipmentRepository
  pipeline: StatusPipeline
  settingsStore: KeyValueStore
  /** Forwarded notifications leave through the outbox (its forwarding kind is registered here). */
  outbox: Pick<OutboxFeature, 'service' | 'kinds'>
  /** The backend's accounts (configured + demo), secrets included; main process only. */
  accounts: {
    account(carrier: CarrierId, alias: string): CarrierAccount | null
    adapter(carrier: CarrierId, alias: string): CarrierAdapter | null
  }
  /** Stores a carrier label file for labels.print; returns its id. */
  saveLabel(shipmentId: number, data: Buffer): number | null
}

export interface WarehouseFeature {
  service: WarehouseService
  handlers: Pick<Handlers, AggregatorChannel>
  /** Starts the receiver when the settings say it is on. */
  start(): Promise<void>
  /** Turns the receiver on or off; `persist: false` (demo mode) leaves the user's setting alone. */
  configureReceiver(c: { enabled: boolean; host?: string; port?: number }, persist?: boolean): Promise<WebhookReceiverStatus>
  receiverStatus(): WebhookReceiverStatus
  close(): Promise<void>
}

interface ReceiverSettings {
  enabled: boolean
  host: string
  port: number
}

export function createWarehouseFeature(o: WarehouseSetupOptions): WarehouseFeature {
  if (!o.outbox.kinds.get(FORWARD_KIND)) o.outbox.kinds.register(forwardKind())
  const src = { get: (c: AggregatorId, a: string) => o.accounts.account(c, a) }
  const accounts = aggregatorAccounts(src, { now: () => o.clock.now(), logger: o.logger }, (c, a) => o.accounts.adapter(c, a))
  const service = new WarehouseService({
    db: o.db,
    repo: o.repo,
    pipeline: o.pipeline,
    clock: o.clock,
    logger: o.logger,
    opsFor: accounts.opsFor,
    warehouseFor: accounts.warehouseFor,
    saveLabel: (id, _ct, data) => o.saveLabel(id, data)
  })

  let receiver: WebhookReceiver | null = null
  let problem: AppError | null = null
  const settings = (): ReceiverSettings => {
    const raw = o.settingsStore.get(RECEIVER_SETTINGS_KEY) as Partial<ReceiverSettings> | undefined
    return {
      enabled: raw?.enabled === true,
      host: typeof raw?.host === 'string' ? raw.host : '127.0.0.1',
      port: Number.isInteger(raw?.port) ? raw!.port! : 0
    }
  }
  const status = (): WebhookReceiverStatus => {
    const s = settings()
    return {
      enabled: s.enabled || receiver !== null,
      host: receiver?.host ?? s.host,
      port: receiver?.port ?? s.port,
      baseUrl: receiver ? `${receiver.url}/webhooks` : null,
      listening: receiver !== null,
      problem
    }
  }
  const listen = async (s: ReceiverSettings) => {
    if (receiver) await receiver.close()
    receiver = null
    problem = null
    if (!s.enabled) return
    try {
      receiver = await startWebhookReceiver({
        host: s.host,
        port: s.port,
        db: o.db,
        pipeline: o.pipeline,
        logger: o.logger,
        moduleFor: aggregatorModule,
        accountFor: (c, a) => o.accounts.account(c, a),
        onAccepted: (n) => {
          const url = accounts.forwardUrlFor(n.carrier as AggregatorId, n.account)
          if (url) {
            enqueueForward(o.outbox.service, n, url, o.clock.now())
          }
        }
      })
    } catch (e) {
      problem = (e instanceof GuichetError ? e : new GuichetError('internal', 'The webhook receiver could not start.')).toAppError()
      o.logger.warn('webhook.receiver_failed', { problem: problem.message })
    }
  }
  const configureReceiver = async (c: { enabled: boolean; host?: string; port?: number }, persist = true) => {
    const prev = settings()
    const next: ReceiverSettings = {
      enabled: c.enabled,
      host: c.host !== undefined ? validateBindHost(c.host) : prev.host,
      port: c.port ?? prev.port
    }
    if (persist) o.settingsStore.set(RECEIVER_SETTINGS_KEY, next)
    await listen(next)
    if (next.enabled && !receiver)
      throw new GuichetError(problem?.code ?? 'conflict', problem?.message ?? 'The webhook receiver could not start.', {
        field: 'port',
        ...(problem?.params ? { params: problem.params } : {})
      })
    return status()
  }

  const handlers: Pick<Handlers, AggregatorChannel> = {
    'orders.create': ({ carrier, account, order }) => service.createOrder(carrier, account, order),
    'orders.assignAwb': ({ shipmentId, courierId }) => service.assignAwb(shipmentId, courierId),
    'orders.label': ({ shipmentId }) => service.label(shipmentId),
    'orders.cancel': ({ shipmentId }) => service.cancel(shipmentId),
    'orders.list': ({ limit }) => service.list(limit),
    'returns.createAwb': ({ shipmentId }) => service.createReturn(shipmentId),
    'returns.getAwb': ({ shipmentId }) => service.getReturn(shipmentId),
    'webhooks.status': () => status(),
    'webhooks.configure': (c) => configureReceiver(c),
    'forwarding.log': ({ limit }) => forwardingLog(o.outbox.service, limit)
  }

  return {
    service,
    handlers,
    async start() {
      await listen(settings())
    },
    configureReceiver,
    receiverStatus: status,
    async close() {
      await receiver?.close()
      receiver = null
    }
  }
}
