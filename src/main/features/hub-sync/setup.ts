// Wiring for the hub link: a background round every `intervalMs` while a hub is linked, the
// poller's lease question, and the two views the network adds: a point's expected arrivals (what
// the warehouse sent it) and, at the warehouse, the points' counter steps (check-in, hand-over).
// A desk joins with GUICHET_HUB_URL + GUICHET_HUB_CODE at start, or hubSync.service.enrol().
import type { Database } from 'better-sqlite3'
import type { Clock } from '../../platform/clock'
import type { Logger } from '../../platform/logger'
import { HubSync, type AccountBudget } from './sync'

export interface HubSyncOptions {
  db: Database
  clock: Clock
  logger: Logger
  accountsInUse(): string[]
  budgetFor?(account: string): AccountBudget | undefined
  onApplied?(kinds: Set<string>): void
  /** Between rounds (default 0.5 s: an event reaches another desk within about a second on a LAN). */
  intervalMs?: number
  leaseTtlMs?: number
  /** Enrol at start when not linked yet (GUICHET_HUB_URL, GUICHET_HUB_CODE, GUICHET_HUB_DESK_NAME). */
  env?: NodeJS.ProcessEnv
}

export interface ExpectedArrival {
  trackingNumber: string
  carrier: string
  recipientName: string
  status: string
  createdAt: number
}

export interface PointStep {
  deskId: string
  pointId: string | null
  trackingKey: string | null
  action: string
  state: string | null
  at: number
}

export interface HubSyncFeature {
  service: HubSync
  /** No channel of its own yet: the network's views reach the UI through the counter and lookups. */
  handlers: Record<string, never>
  /** The poller's hook: may this desk poll the account now? */
  mayPoll(account: { carrier: string; account: string }): boolean
  start(): void
  expectedArrivals(pointId: string): ExpectedArrival[]
  pointSteps(limit?: number): PointStep[]
  close(): Promise<void>
}

export function createHubSyncFeature(opts: HubSyncOptions): HubSyncFeature {
  const service = new HubSync(opts)
  const interval = opts.intervalMs ?? 500
  let timer: NodeJS.Timeout | null = null
  let running: Promise<unknown> | null = null
  let stopped = false

  const tick = () => {
    if (stopped) return
    running = (async () => {
      const env = opts.env ?? {}
      if (!service.link() && env.GUICHET_HUB_URL && env.GUICHET_HUB_CODE) {
        const r = await service.enrol(env.GUICHET_HUB_URL, env.GUICHET_HUB_CODE, env.GUICHET_HUB_DESK_NAME ?? 'Guichet')
        if (!r.ok) opts.logger.warn('hub.enrol_failed', { reason: 'refusal' in r ? r.refusal.refused : r.unreachable })
      }
      await service.round()
    })()
      .catch((e: unknown) => opts.logger.error('hub.round_failed', { error: e }))
      .finally(() => {
        running = null
        if (!stopped) timer = setTimeout(tick, interval)
      })
  }

  return {
    service,
    handlers: {},
    mayPoll: (a) => service.mayPoll(a),
    start() {
      if (!timer && !running) tick()
    },
    expectedArrivals(pointId) {
      // Sent to this point and not on its shelf yet.
      return opts.db
        .prepare(
          `SELECT s.tracking_number AS trackingNumber, s.carrier, s.recipient_name AS recipientName, s.unified_status AS status,
                  s.created_at AS createdAt
             FROM shipments s
            WHERE s.point_id = ? AND s.direction = 'forward' AND s.unified_status NOT IN ('delivered','cancelled','return')
              AND NOT EXISTS (SELECT 1 FROM counter_parcels p WHERE p.tracking_key = s.tracking_key)
            ORDER BY s.created_at`
        )
        .all(pointId) as ExpectedArrival[]
    },
    pointSteps(limit = 500) {
      const rows = opts.db
        .prepare(
          `SELECT desk_id AS deskId, point_id AS pointId, tracking_key AS trackingKey, body, at FROM hub_inbox
            WHERE kind = 'counter' ORDER BY at DESC LIMIT ?`
        )
        .all(limit) as Array<{ deskId: string; pointId: string | null; trackingKey: string | null; body: string; at: number }>
      return rows.map((r) => {
        const b = JSON.parse(r.body) as { action?: string; state?: string | null }
        return {
          deskId: r.deskId,
          pointId: r.pointId,
          trackingKey: r.trackingKey,
          action: b.action ?? '',
          state: b.state ?? null,
          at: r.at
        }
      })
    },
    async close() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
      await service.releaseLeases().catch(() => undefined)
    }
  }
}
