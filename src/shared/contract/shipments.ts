import { z } from 'zod'
import { carrierId, queryText, shipmentId, unifiedStatus } from './schemas'
import { out } from './types'
import type { ShipmentDetail, ShipmentSummary } from '../domain'
import { COUNTER_STEPS } from '../counter'

export type FindResult = { kind: 'shipment'; detail: ShipmentDetail } | { kind: 'results'; query: string; items: ShipmentSummary[] }

export interface ShipmentPage {
  items: ShipmentSummary[]
  total: number
}

export const shipmentChannels = {
  /** A scan or a typed number: opens the shipment on an exact match, else a result list. */
  'shipments.find': { input: z.lazy(() => z.strictObject({ query: queryText })), output: out<FindResult>() },
  /** Prefix search on reference, name, phone and tracking number. */
  'shipments.search': {
    input: z.lazy(() => z.strictObject({ text: queryText, limit: z.number().int().min(1).max(200).default(50) })),
    output: out<ShipmentSummary[]>()
  },
  'shipments.list': {
    input: z.lazy(() =>
      z.strictObject({
        status: unifiedStatus.optional(),
        /** Parcels whose latest step at this desk is this one (checked in, handed over...). */
        counterStep: z.enum(COUNTER_STEPS).optional(),
        carrier: carrierId.optional(),
        olderThanDays: z.number().int().min(0).max(3650).optional(),
        account: z.string().trim().max(64).optional(),
        pointId: z.string().trim().max(64).optional(),
        limit: z.number().int().min(1).max(500).default(100),
        offset: z.number().int().min(0).default(0)
      })
    ),
    output: out<ShipmentPage>()
  },
  'shipments.get': { input: z.lazy(() => z.strictObject({ id: shipmentId })), output: out<ShipmentDetail>() }
}
