import { z } from 'zod'
import { noInput } from './schemas'
import { out } from './types'
import type { CarrierId, EventKind, UnifiedStatus } from '../domain'
import type { HubRefusalCode } from '../hub/contract'

// The desk's view of its hub link (features/hub-sync): what the warehouse sent this point, the
// points' counter steps as the warehouse sees them, and the link's state for the clerk.

/** When a parcel is expected at the point: registered today and not moving yet means tomorrow. */
export type ExpectedOn = 'today' | 'tomorrow'

export interface ExpectedArrival {
  shipmentId: number
  trackingNumber: string
  carrier: CarrierId
  recipientName: string
  /** The desk that registered it (the warehouse), by its name at the hub; null when registered here. */
  sender: string | null
  status: UnifiedStatus
  statusKind: EventKind
  /** ISO-8601. */
  createdAt: string
  expectedOn: ExpectedOn
}

/** The link as the clerk needs it: a refusal the hub gave for good (revoked...) is shown. */
export interface HubLinkState {
  linked: boolean
  role: 'point' | 'warehouse' | null
  pointId: string | null
  /** ISO-8601, the last answer from the hub. */
  lastOkAt: string | null
  /** A typed refusal that stops the link (hub.revoked, hub.unauthorized, hub.protocol_newer), else null. */
  refusal: HubRefusalCode | null
}

export interface ExpectedArrivals {
  link: HubLinkState
  /** The point they are expected at (the hub link's point, else settings.point); null: none set. */
  pointId: string | null
  arrivals: ExpectedArrival[]
}

/** A point's counter step (check-in, hand-over, return) as it reached the warehouse. */
export interface PointStep {
  deskId: string
  /** The sending desk's name at the hub, when it told it. */
  deskName: string | null
  pointId: string | null
  trackingKey: string | null
  trackingNumber: string | null
  action: string
  state: string | null
  /** ISO-8601. */
  at: string
}

export const hubChannels = {
  /** Parcels sent to this point (by the warehouse, through the hub) that are not on its shelf yet. */
  'hub.expectedArrivals': { input: noInput, output: out<ExpectedArrivals>() },
  /** At the warehouse: the points' counter steps, newest first. */
  'hub.pointSteps': {
    input: z.lazy(() => z.strictObject({ limit: z.number().int().min(1).max(2_000).optional() })),
    output: out<PointStep[]>()
  }
}
