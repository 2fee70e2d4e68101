import type { UnifiedStatus } from '../domain'
import type { PrintBatchInfo } from './labels'
import type { UpdateStatus } from './updater'

/** Push events, main -> renderer. Typed the same way as channel outputs. */
export interface EventPayloads {
  'shipment.changed': {
    ids: number[]
    reason: 'poll' | 'manual' | 'webhook' | 'import' | 'demo' | 'counter' | 'local'
    statuses?: Record<number, UnifiedStatus>
  }
  'poller.state': PollerState
  connectivity: { online: boolean; lastGoodSyncAt: string | null }
  /** The outbox moved (a write recorded, sent, refused...): totals for the badge, and the shipments concerned. */
  'outbox.changed': {
    pending: number
    failed: number
    byShipment: Array<{ shipmentId: number; pending: number; failed: number }>
    shipmentIds: number[]
  }
  /** A print batch moved: counts and state, for the progress bar. */
  'print.progress': PrintBatchInfo
  /** The updater's status moved (checking, downloading, ready to restart, a quiet failure). */
  'updater.changed': UpdateStatus
  /** The desktop's backend process died and main started it again (its attempt in a row); nothing was lost. */
  'backend.restarted': { at: string; attempt: number }
}

export interface PollerAccountState {
  carrier: string
  account: string
  callsMade: number
  budgetLeft: number | null
  budgetResetsAt: string | null
  lastError: string | null
  backoffUntil: string | null
}

export interface PollerState {
  state: 'running' | 'paused' | 'offline' | 'stopped'
  nextRunAt: string | null
  due: number
  accounts: PollerAccountState[]
}
