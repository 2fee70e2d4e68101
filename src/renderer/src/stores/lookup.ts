import { createStore, type StoreApi } from 'zustand/vanilla'
import type { GuichetApi } from '@shared/contract'
import type { ShipmentDetail, ShipmentSummary } from '@shared/domain'
import type { AppError } from '@shared/result'

type LookupView = 'idle' | 'shipment' | 'results'

export interface RecentLookup {
  id: number
  trackingNumber: string
  recipientName: string
}

export interface LookupState {
  view: LookupView
  busy: boolean
  query: string
  detail: ShipmentDetail | null
  results: ShipmentSummary[]
  error: AppError | null
  recent: RecentLookup[]
  /** Counts the lookups that have come back (answer or error), so the field knows when to clear. */
  settled: number
  /** What the search field sends on Enter or a scan. */
  find(query: string): Promise<void>
  open(id: number): Promise<void>
  /** Reloads the open shipment (after an event from main). */
  reload(): Promise<void>
  clear(): void
}

const RECENT_MAX = 8

/** The lookup store takes the API by injection: tested with a fake, run with IPC or HTTP. */
export function createLookupStore(api: GuichetApi, initialRecent: RecentLookup[] = []): StoreApi<LookupState> {
  // Only the newest request may write its answer: a slow search must not overwrite a newer scan.
  let seq = 0
  return createStore<LookupState>((set, get) => {
    const remember = (d: ShipmentDetail) => {
      const r: RecentLookup = { id: d.shipment.id, trackingNumber: d.shipment.trackingNumber, recipientName: d.shipment.recipientName }
      set({ recent: [r, ...get().recent.filter((x) => x.id !== r.id)].slice(0, RECENT_MAX) })
    }
    return {
      view: 'idle',
      busy: false,
      query: '',
      detail: null,
      results: [],
      error: null,
      recent: initialRecent,
      settled: 0,
      async find(query) {
        const mine = ++seq
        set({ busy: true, query, error: null })
        const r = await api.shipments.find({ query })
        if (mine !== seq) return
        const settled = get().settled + 1
        if (!r.ok) return set({ busy: false, settled, error: r.error })
        if (r.value.kind === 'shipment') {
          set({ busy: false, settled, view: 'shipment', detail: r.value.detail, results: [] })
          remember(r.value.detail)
        } else if (r.value.items.length === 1) {
          // One match is the parcel: open it rather than ask the clerk to pick it from a list of one.
          set({ busy: false, query })
          await get().open(r.value.items[0]!.id)
        } else {
          set({ busy: false, settled, view: 'results', results: r.value.items, detail: null })
        }
      },
      async open(id) {
        const mine = ++seq
        set({ busy: true, error: null })
        const r = await api.shipments.get({ id })
        if (mine !== seq) return
        const settled = get().settled + 1
        if (!r.ok) return set({ busy: false, settled, error: r.error })
        set({ busy: false, settled, view: 'shipment', detail: r.value })
        remember(r.value)
      },
      async reload() {
        const d = get().detail
        if (!d) return
        const r = await api.shipments.get({ id: d.shipment.id })
        if (r.ok && get().detail?.shipment.id === d.shipment.id) set({ detail: r.value })
      },
      clear() {
        seq++
        set({ view: 'idle', detail: null, results: [], error: null, query: '', busy: false, settled: get().settled + 1 })
      }
    }
  })
}
