// Wiring for the hub link: a background round every `intervalMs` while a hub is linked, the
// poller's lease question, and the two views the network adds: a point's expected arrivals (what
// the warehouse sent it) and, at the warehouse, the points' counter steps (check-in, hand-over).
// A desk joins with GUICHET_HUB_URL + GUICHET_HUB_CODE at start, or hubSync.service.enrol().
import type { Database } from 'better-sqlite3'
import type { Clock } from '../../platform/clock'
import type { Logger } from '../../platform/logger'
import type { Handlers } from '../../platform/ipc/dispatch'
import type { ExpectedArrival, HubLinkState, PointStep, hubChannels } from '../../../shared/contract/hub'
import type { HubRefusalCode } from '../../../shared/hub/contract'
import { HubSync, type AccountBudget } from './sync'
import { vaultHubSecrets, type OwnSecretsVault } from './secrets'
import { expectedArrivals, pointSteps } from './views'

interface HubSyncOptions {
  db: Database
  clock: Clock
  logger: Logger
  /** The credentials vault (core/credentials): the desk's hub credential is kept there. */
  vault: OwnSecretsVault
  accountsInUse(): string[]
  budgetFor?(account: string): AccountBudget | undefined
  onApplied?(kinds: Set<string>): void
  /** When a parcel checked in here must be collected by (counter hold days), sent with counter steps. */
  expiresAt?(carrier: string | null, arrivedAt: number): number | null
  /** Between rounds (default 0.5 s: an event reaches another desk within about a second on a LAN). */
  intervalMs?: number
  leaseTtlMs?: number
  /** Enrol at start when not linked yet (GUICHET_HUB_URL, GUICHET_HUB_CODE, GUICHET_HUB_DESK_NAME). */
  env?: NodeJS.ProcessEnv
  /** This desk's point when the hub link names none (settings.point). */
  pointId?: () => string | null
}

export type { ExpectedArrival, PointStep } from '../../../shared/contract/hub'

type HubChannel = keyof typeof hubChannels

/** Refusals that stop the link until someone acts (a new enrolment code, a newer hub): the clerk is told. */
const STOPPING = new Set<HubRefusalCode>(['hub.revoked', 'hub.unauthorized', 'hub.protocol_newer', 'hub.insecure_url'])

export interface HubSyncFeature {
  service: HubSync
  /** The poller's hook: may this desk poll the account now? */
  mayPoll(account: { carrier: string; account: string }): boolean
  start(): void
  expectedArrivals(pointId: string): ExpectedArrival[]
  pointSteps(limit?: number): PointStep[]
  /** The link as the clerk sees it: a stopping refusal (revoked...) is typed, not a sentence. */
  linkState(): HubLinkState
  handlers: Pick<Handlers, HubChannel>
  close(): Promise<void>
}

export function createHubSyncFeature(opts: HubSyncOptions): HubSyncFeature {
  const service = new HubSync({ ...opts, secrets: vaultHubSecrets(opts.vault) })
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

  function linkState(): HubLinkState {
    const l = service.link()
    const refusal = l?.lastRefusal as HubRefusalCode | null | undefined
    return {
      linked: l !== null,
      role: l?.role ?? null,
      pointId: l?.pointId ?? null,
      lastOkAt: l?.lastOkAt ? new Date(l.lastOkAt).toISOString() : null,
      // Linked without a credential in this desk's vault: to the clerk, the hub does not know this desk.
      refusal: refusal && STOPPING.has(refusal) ? refusal : l && l.credential === null ? 'hub.unauthorized' : null
    }
  }

  return {
    service,
    mayPoll: (a) => service.mayPoll(a),
    start() {
      if (!timer && !running) tick()
    },
    expectedArrivals: (pointId) => expectedArrivals(opts.db, pointId, opts.clock.now()),
    pointSteps: (limit = 500) => pointSteps(opts.db, limit),
    linkState,
    handlers: {
      'hub.expectedArrivals': () => {
        const link = linkState()
        const pointId = link.pointId ?? opts.pointId?.() ?? null
        return { link, pointId, arrivals: pointId ? expectedArrivals(opts.db, pointId, opts.clock.now()) : [] }
      },
      'hub.pointSteps': ({ limit }) => pointSteps(opts.db, limit ?? 500)
    },
    async close() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
      await service.releaseLeases().catch(() => undefined)
    }
  }
}
