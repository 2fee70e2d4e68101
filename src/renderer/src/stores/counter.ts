import { createStore, type StoreApi } from 'zustand/vanilla'
import type {
  CheckinResult,
  CollectionState,
  CounterDayReport,
  CounterDocument,
  CounterParcel,
  CounterSession,
  CounterStock,
  GuichetApi
} from '../../../shared/contract'
// Relative imports (types only): the bench runs this store in Node, outside Vite's aliases.
import type { AppError, Result } from '../../../shared/result'

// The counter screen's state. The API is injected (IPC, HTTP, or a fake in tests and the bench).
// Each method is one user action (a scan or an Enter); `actions` counts them, so the number of
// steps a hand-over takes is measured, not claimed.

export type CounterMode = 'checkin' | 'handover' | 'stock' | 'returns' | 'collection' | 'day'

export interface HandoverCheck {
  pickupCode?: string
  idType?: 'national_id' | 'passport' | 'driving_licence' | 'residence_permit' | 'other'
  idLast?: string
  cod?: { amount: number; method: 'cash' | 'card' }
  signature?: string
  overrideReason?: string
}

export interface CounterState {
  mode: CounterMode
  busy: boolean
  error: AppError | null
  /** The last receipt or manifest, shown on screen (and printable). */
  document: CounterDocument | null
  /** User actions so far (scans and confirmations). */
  actions: number
  session: CounterSession | null
  lastScan: CheckinResult | null
  scans: CheckinResult[]
  found: CounterParcel[]
  stock: CounterStock | null
  expired: CounterParcel[]
  collection: CollectionState | null
  report: CounterDayReport | null
  setMode(mode: CounterMode): void
  /** Escape: drop what is half done on this screen. */
  cancel(): void
  startCheckin(driver: string, announced?: number): Promise<boolean>
  scanIn(code: string, opts?: { damaged?: boolean; note?: string; photo?: string; refuse?: string }): Promise<boolean>
  closeCheckin(overrideReason?: string): Promise<boolean>
  setSlot(parcelId: number, slot: string): Promise<boolean>
  find(query: string): Promise<boolean>
  handover(check: HandoverCheck): Promise<boolean>
  loadStock(): Promise<void>
  prepareReturn(parcelIds: number[]): Promise<boolean>
  dropoff(code: string): Promise<boolean>
  startCollection(driver: string): Promise<boolean>
  collect(code: string): Promise<boolean>
  closeCollection(signature?: string, overrideReason?: string): Promise<boolean>
  endOfDay(): Promise<boolean>
}

export function createCounterStore(api: GuichetApi): StoreApi<CounterState> {
  return createStore<CounterState>((set, get) => {
    /** Runs one user action: counts it, shows progress, keeps the error for the screen to say. */
    async function act<T>(call: () => Promise<Result<T>>, done: (v: T) => Partial<CounterState>): Promise<boolean> {
      if (get().busy) return false // once per click/Enter
      set({ busy: true, error: null, actions: get().actions + 1 })
      const r = await call()
      if (!r.ok) {
        set({ busy: false, error: r.error })
        return false
      }
      set({ busy: false, ...done(r.value) })
      return true
    }
    return {
      mode: 'checkin',
      busy: false,
      error: null,
      document: null,
      actions: 0,
      session: null,
      lastScan: null,
      scans: [],
      found: [],
      stock: null,
      expired: [],
      collection: null,
      report: null,
      setMode(mode) {
        set({ mode, error: null, document: null })
        if (mode === 'stock' || mode === 'returns') void get().loadStock()
      },
      cancel() {
        set({ error: null, document: null, found: [], lastScan: null })
      },
      startCheckin: (driver, announced) =>
        act(
          () => api.counter.checkinStart(announced === undefined ? { driver } : { driver, announced }),
          (session) => ({ session, scans: [], lastScan: null })
        ),
      scanIn(code, opts = {}) {
        const session = get().session
        if (!session) return Promise.resolve(false)
        return act(
          () => api.counter.checkinScan({ sessionId: session.id, code, ...opts }),
          (r) => ({ lastScan: r, session: r.session, scans: [r, ...get().scans.filter((s) => s.parcel.id !== r.parcel.id)] })
        )
      },
      closeCheckin(overrideReason) {
        const session = get().session
        if (!session) return Promise.resolve(false)
        return act(
          () => api.counter.checkinClose(overrideReason ? { sessionId: session.id, overrideReason } : { sessionId: session.id }),
          () => ({ session: null })
        )
      },
      setSlot: (parcelId, slot) =>
        act(
          () => api.counter.setSlot({ parcelId, slot }),
          (p) => ({
            scans: get().scans.map((s) => (s.parcel.id === p.id ? { ...s, parcel: p } : s)),
            lastScan: get().lastScan?.parcel.id === p.id ? { ...get().lastScan!, parcel: p } : get().lastScan
          })
        ),
      find: (query) =>
        act(
          () => api.counter.find({ query }),
          (found) => ({
            found,
            document: null,
            ...(found.length === 0 ? { error: { code: 'not_found', message: query, retryable: false } as AppError } : {})
          })
        ),
      handover(check) {
        const ids = get().found.map((p) => p.id)
        if (ids.length === 0) return Promise.resolve(false)
        return act(
          () => api.counter.handover({ parcelIds: ids, ...check }),
          (h) => ({ document: h.receipt, found: [] })
        )
      },
      async loadStock() {
        const [s, e] = await Promise.all([api.counter.stock(), api.counter.expired()])
        set({ ...(s.ok ? { stock: s.value } : { error: s.error }), ...(e.ok ? { expired: e.value } : {}) })
      },
      prepareReturn: async (parcelIds) => {
        const ok = await act(
          () => api.counter.prepareReturn({ parcelIds }),
          (r) => ({ document: r.manifest })
        )
        await get().loadStock()
        return ok
      },
      dropoff: (code) =>
        act(
          () => api.counter.dropoff({ code }),
          (r) => ({ document: r.receipt })
        ),
      startCollection: (driver) =>
        act(
          () => api.counter.collectionStart({ driver }),
          (collection) => ({ collection, document: null })
        ),
      collect(code) {
        const c = get().collection
        if (!c) return Promise.resolve(false)
        return act(
          () => api.counter.collectionScan({ sessionId: c.session.id, code }),
          (collection) => ({ collection })
        )
      },
      closeCollection(signature, overrideReason) {
        const c = get().collection
        if (!c) return Promise.resolve(false)
        return act(
          () =>
            api.counter.collectionClose({
              sessionId: c.session.id,
              ...(signature ? { signature } : {}),
              ...(overrideReason ? { overrideReason } : {})
            }),
          (r) => ({ collection: null, document: r.manifest })
        )
      },
      endOfDay: () =>
        act(
          () => api.counter.endOfDay({}),
          (report) => ({ report, document: report.document })
        )
    }
  })
}
