import { createStore, type StoreApi } from 'zustand/vanilla'
import type {
  CarrierNote,
  CarrierSync,
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
// steps a hand-over takes is measured, not claimed. The step on screen and a check-in in progress
// are kept in the given storage (the window's localStorage), so a reload reopens where the clerk was.

export const COUNTER_MODES = ['checkin', 'handover', 'stock', 'returns', 'collection', 'day'] as const
type CounterMode = (typeof COUNTER_MODES)[number]

/** Where the draft is kept: the window's localStorage, or nothing (tests, the bench). */
export type DraftStorage = Pick<Storage, 'getItem' | 'setItem'>
const DRAFT_KEY = 'guichet.counter.draft'

interface Draft {
  mode: CounterMode
  session: CounterSession | null
  scans: CheckinResult[]
}

function readDraft(storage: DraftStorage | undefined): Partial<Draft> {
  try {
    const raw = storage?.getItem(DRAFT_KEY)
    if (!raw) return {}
    const d = JSON.parse(raw) as Partial<Draft>
    return {
      ...((COUNTER_MODES as readonly string[]).includes(d.mode ?? '') ? { mode: d.mode } : {}),
      ...(d.session && typeof d.session.id === 'number' && d.session.closedAt === null ? { session: d.session } : {}),
      ...(Array.isArray(d.scans) && d.session ? { scans: d.scans.slice(0, 500) } : {})
    }
  } catch {
    // A draft that cannot be read is dropped: the backend still holds every scan.
    return {}
  }
}

/** The note of a carrier sync; an older main sent `message` (a sentence) instead. */
function noteOf(c: CarrierSync): CarrierNote | string {
  return c.note ?? (c as { message?: string }).message ?? ''
}

interface HandoverCheck {
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
  /**
   * What the carriers were told about the last hand-over or return, for the clerk (never on the
   * customer's paper): codes the view words. An older main's bare sentence is kept as is and worded
   * as a generic note.
   */
  carrierNotes: Array<CarrierNote | string>
  /** User actions so far (scans and confirmations). */
  actions: number
  session: CounterSession | null
  lastScan: CheckinResult | null
  scans: CheckinResult[]
  found: CounterParcel[]
  /** The parcels ticked for the hand-over: what was asked for; the same customer's others are proposed unticked. */
  selected: number[]
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
  /** Ticks or unticks a parcel of the hand-over (not a user action toward the receipt: not counted). */
  toggle(parcelId: number): void
  handover(check: HandoverCheck): Promise<boolean>
  loadStock(): Promise<void>
  prepareReturn(parcelIds: number[]): Promise<boolean>
  dropoff(code: string): Promise<boolean>
  startCollection(driver: string): Promise<boolean>
  collect(code: string): Promise<boolean>
  closeCollection(signature?: string, overrideReason?: string): Promise<boolean>
  endOfDay(): Promise<boolean>
}

export function createCounterStore(api: GuichetApi, storage?: DraftStorage): StoreApi<CounterState> {
  const draft = readDraft(storage)
  const store = createStore<CounterState>((set, get) => {
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
      mode: draft.mode ?? 'checkin',
      busy: false,
      error: null,
      document: null,
      carrierNotes: [],
      actions: 0,
      session: draft.session ?? null,
      lastScan: null,
      scans: draft.scans ?? [],
      found: [],
      selected: [],
      stock: null,
      expired: [],
      collection: null,
      report: null,
      setMode(mode) {
        set({ mode, error: null, document: null, carrierNotes: [] })
        if (mode === 'stock' || mode === 'returns') void get().loadStock()
      },
      cancel() {
        set({ error: null, document: null, carrierNotes: [], found: [], selected: [], lastScan: null })
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
        ).then((ok) => {
          // A check-in kept from before a reload was closed meanwhile: start afresh, the error says why.
          if (!ok && get().error?.field === 'sessionId') set({ session: null, scans: [], lastScan: null })
          return ok
        })
      },
      closeCheckin(overrideReason) {
        const session = get().session
        if (!session) return Promise.resolve(false)
        return act(
          () => api.counter.checkinClose(overrideReason ? { sessionId: session.id, overrideReason } : { sessionId: session.id }),
          () => ({ session: null, scans: [], lastScan: null })
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
            selected: found.filter((p) => p.match === null || p.match === 'asked').map((p) => p.id),
            document: null,
            carrierNotes: [],
            ...(found.length === 0 ? { error: { code: 'not_found', message: query, params: { query }, retryable: false } as AppError } : {})
          })
        ),
      toggle(parcelId) {
        const sel = get().selected
        set({ selected: sel.includes(parcelId) ? sel.filter((id) => id !== parcelId) : [...sel, parcelId] })
      },
      handover(check) {
        // Only what is ticked leaves, in the order it was found.
        const sel = get().selected
        const ids = get()
          .found.map((p) => p.id)
          .filter((id) => sel.includes(id))
        if (ids.length === 0) return Promise.resolve(false)
        return act(
          () => api.counter.handover({ parcelIds: ids, ...check }),
          (h) => ({ document: h.receipt, carrierNotes: h.carrierSync.map(noteOf), found: [], selected: [] })
        )
      },
      async loadStock() {
        const [s, e] = await Promise.all([api.counter.stock(), api.counter.expired()])
        set({ ...(s.ok ? { stock: s.value } : { error: s.error }), ...(e.ok ? { expired: e.value } : {}) })
      },
      prepareReturn: async (parcelIds) => {
        const ok = await act(
          () => api.counter.prepareReturn({ parcelIds }),
          (r) => ({ document: r.manifest, carrierNotes: r.carrierSync.map(noteOf) })
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
  if (storage) {
    store.subscribe((st, prev) => {
      if (st.mode === prev.mode && st.session === prev.session && st.scans === prev.scans) return
      try {
        storage.setItem(DRAFT_KEY, JSON.stringify({ mode: st.mode, session: st.session, scans: st.scans.slice(0, 500) } satisfies Draft))
      } catch {
        // Storage full or refused: the counter works on, only a reload would lose the screen's place.
      }
    })
  }
  return store
}
