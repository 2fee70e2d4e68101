import { z } from 'zod'
import { noInput, shipmentId } from './schemas'
import { out } from './types'
import type { OutboxItem } from './actions'
import type { AppError } from '../result'

// The warehouse side (seed 002): orders sent to a logistics aggregator (Shiprocket, Clickpost,
// Shipway) under one of several account aliases, AWB and label, cancel, returns, the local
// webhook receiver and the forwarding of notifications to an external URL.

export const AGGREGATORS = ['shiprocket', 'clickpost', 'shipway'] as const
export type AggregatorId = (typeof AGGREGATORS)[number]

const aggregator = z.lazy(() => z.enum(AGGREGATORS))
const alias = z.lazy(() =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash or underscore (at most 64)')
)
const text = (max: number) => z.string().trim().min(1, 'required').max(max, `at most ${max} characters`)
const pincode = z.lazy(() =>
  z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'a 6-digit PIN code')
)
const phone = z.lazy(() =>
  z
    .string()
    .trim()
    .regex(/^\+?\d{10,13}$/, '10 to 13 digits')
)

/** One order, in Guichet's words; each aggregator's module turns it into its own wire format. */
const warehouseOrder = z.lazy(() =>
  z.strictObject({
    /** Our order id: the idempotency key of the create (never two orders for one reference). */
    reference: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,49}$/, 'letters, digits, . _ / - (at most 50)'),
    recipient: z.strictObject({
      name: text(100),
      phone,
      email: z.email().optional(),
      address: text(500),
      city: text(30),
      state: text(100),
      pincode,
      country: text(100).default('India')
    }),
    items: z
      .array(
        z.strictObject({
          name: text(200),
          sku: text(50),
          units: z.number().int().positive().max(999),
          price: z.number().nonnegative().max(10_000_000)
        })
      )
      .min(1, 'at least one item')
      .max(100),
    payment: z.enum(['prepaid', 'cod']),
    weightGrams: z.number().int().positive().max(100_000),
    lengthCm: z.number().positive().min(0.6).max(300),
    breadthCm: z.number().positive().min(0.6).max(300),
    heightCm: z.number().positive().min(0.6).max(300)
  })
)
export type WarehouseOrder = z.output<typeof warehouseOrder>

/** An aggregator order as the warehouse sees it (no secrets). */
export interface AggregatorOrderInfo {
  id: number
  carrier: AggregatorId
  account: string
  direction: 'forward' | 'return'
  reference: string
  state: 'pending' | 'created' | 'failed'
  carrierOrderId: string | null
  carrierShipmentId: string | null
  awb: string | null
  courier: string | null
  shipmentId: number | null
  parentShipmentId: number | null
  lastError: { code: string; message: string } | null
  createdAt: string
}

export interface LabelFetched {
  shipmentId: number
  awb: string
  /** The stored carrier file (printed as is by labels.print). */
  labelId: number | null
  bytes: number
  contentType: string
}

export interface WebhookReceiverStatus {
  enabled: boolean
  host: string
  port: number
  /** Where aggregators must post, per account: http://<host>:<port>/webhooks/<carrier>/<alias>. */
  baseUrl: string | null
  listening: boolean
  /** Why it is not listening, as a code the renderer words (never main's English). */
  problem: AppError | null
}

export interface ForwardingEntry extends OutboxItem {
  url: string
  trackingNumber: string | null
}

export const aggregatorChannels = {
  /** Creates the order at the aggregator under an alias; a repeat with the same reference returns the first. */
  'orders.create': {
    input: z.lazy(() => z.strictObject({ carrier: aggregator, account: alias, order: warehouseOrder })),
    output: out<AggregatorOrderInfo>()
  },
  /** Asks the aggregator to pick a courier and give the AWB (Clickpost gives it at create). */
  'orders.assignAwb': {
    input: z.lazy(() => z.strictObject({ shipmentId, courierId: z.number().int().positive().optional() })),
    output: out<AggregatorOrderInfo>()
  },
  /** Fetches the carrier's label file and stores it for printing. */
  'orders.label': { input: z.lazy(() => z.strictObject({ shipmentId })), output: out<LabelFetched>() },
  'orders.cancel': { input: z.lazy(() => z.strictObject({ shipmentId })), output: out<AggregatorOrderInfo>() },
  'orders.list': {
    input: z.lazy(() => z.strictObject({ limit: z.number().int().min(1).max(500).default(100) })),
    output: out<AggregatorOrderInfo[]>()
  },
  /** Creates the return order and its return AWB, linked to the forward shipment. */
  'returns.createAwb': { input: z.lazy(() => z.strictObject({ shipmentId })), output: out<AggregatorOrderInfo>() },
  /** The return created for a forward shipment, with its AWB. */
  'returns.getAwb': { input: z.lazy(() => z.strictObject({ shipmentId })), output: out<AggregatorOrderInfo | null>() },
  'webhooks.status': { input: noInput, output: out<WebhookReceiverStatus>() },
  /** Turns the receiver on or off and sets where it binds (an IP address; default 127.0.0.1). */
  'webhooks.configure': {
    input: z.lazy(() =>
      z.strictObject({
        enabled: z.boolean(),
        host: z.string().trim().max(64).optional(),
        port: z.number().int().min(0).max(65535).optional()
      })
    ),
    output: out<WebhookReceiverStatus>()
  },
  /** Forwarded notifications: URL, state, attempts, last error. */
  'forwarding.log': {
    input: z.lazy(() => z.strictObject({ limit: z.number().int().min(1).max(500).default(100) })),
    output: out<ForwardingEntry[]>()
  }
}
