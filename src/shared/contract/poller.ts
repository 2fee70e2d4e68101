import { z } from 'zod'
import { noInput, shipmentId } from './schemas'
import { out } from './types'
import type { PollerState } from './events'
import type { CarrierId } from '../domain'

/** Why a refresh could not go out yet; it is first in line and goes out when the reason clears. */
export interface RefreshWaiting {
  ids: number[]
  carrier: CarrierId
  account: string
  reason: 'rate_limit' | 'offline'
  /** When the carrier's budget is the reason: milliseconds until it allows the call. */
  retryAfterMs?: number
}

/** The update button's answer, for one shipment or a selection. */
export interface RefreshResult {
  /** Checked just now, successfully. */
  refreshed: number[]
  /** Of those, the ones whose status moved. */
  changed: number[]
  failed: Array<{ id: number; code: string; message: string }>
  waiting: RefreshWaiting[]
  notFound: number[]
}

export const pollerChannels = {
  /** Check now, at any age (even past the max check period); ahead of the queue, within the rate budget. */
  'shipments.refresh': {
    input: z.lazy(() => z.strictObject({ ids: z.array(shipmentId).min(1, 'at least one shipment').max(500, 'at most 500 shipments') })),
    output: out<RefreshResult>()
  },
  /** Running / paused / offline, next run, calls and budget per carrier account, last errors. */
  'poller.state': { input: noInput, output: out<PollerState>() }
}
