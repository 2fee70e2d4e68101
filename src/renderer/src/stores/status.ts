import { createStore, type StoreApi } from 'zustand/vanilla'
import type { GuichetApi, PollerState } from '@shared/contract'
import type { ConnectivityState, OutboxCounts } from '@shared/contract/actions'

export interface StatusState {
  poller: PollerState | null
  connectivity: ConnectivityState | null
  outbox: OutboxCounts | null
  /** Loads everything once, then follows main's push events. Returns the unsubscribe. */
  start(): () => void
  refreshOutbox(): Promise<void>
}

/** What the status bar and the offline banner show; fed by push events, not by polling. */
export function createStatusStore(api: GuichetApi): StoreApi<StatusState> {
  return createStore<StatusState>((set) => {
    const refreshOutbox = async () => {
      const r = await api.outbox.pending()
      if (r.ok) set({ outbox: r.value })
    }
    return {
      poller: null,
      connectivity: null,
      outbox: null,
      refreshOutbox,
      start() {
        void api.poller.state().then((r) => r.ok && set({ poller: r.value }))
        void api.connectivity.state().then((r) => r.ok && set({ connectivity: r.value }))
        void refreshOutbox()
        const offs = [
          api.on('poller.state', (p) => set({ poller: p })),
          api.on('connectivity', (c) =>
            set((s) => ({
              connectivity: {
                online: c.online,
                lastGoodSyncAt: c.lastGoodSyncAt,
                since: s.connectivity?.online === c.online ? s.connectivity.since : new Date().toISOString(),
                reason: c.online ? null : (s.connectivity?.reason ?? null)
              }
            }))
          ),
          api.on('outbox.changed', (o) => set({ outbox: { pending: o.pending, failed: o.failed, byShipment: o.byShipment } }))
        ]
        return () => offs.forEach((off) => off())
      }
    }
  })
}
