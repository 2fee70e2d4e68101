import { createStore, type StoreApi } from 'zustand/vanilla'
import type { OfficeEnrolRequest, OfficeNetwork, OfficePointStock, OfficeUser } from '../../../shared/hub/office'
// Relative imports (types only), as the other stores: tests run this store in Node.
import type { OfficeApi, OfficeFailure } from '../api/office'

// Head office's state. The API is injected (the hub over fetch, or a fake in tests). A refusal
// that says the session is gone (expired, logged out elsewhere, user disabled) returns to the
// login screen, whatever the screen was.

export const OFFICE_SECTIONS = ['points', 'writes', 'accounts', 'desks'] as const
type OfficeSection = (typeof OFFICE_SECTIONS)[number]

export interface HeadOfficeState {
  user: OfficeUser | null
  section: OfficeSection
  busy: boolean
  /** The last refusal of a login (wrong password, throttled...). */
  loginError: OfficeFailure | null
  /** The last refusal of anything else (the hub unreachable...). */
  error: OfficeFailure | null
  network: OfficeNetwork | null
  /** The point whose parcels are open, and them once loaded. */
  point: string | null
  stock: OfficePointStock | null
  /** The enrolment code just made (shown once). */
  code: string | null
  login(name: string, password: string): Promise<boolean>
  logout(): Promise<void>
  refresh(): Promise<void>
  go(section: OfficeSection): void
  openPoint(pointId: string): Promise<void>
  closePoint(): void
  createCode(req: OfficeEnrolRequest): Promise<void>
  revoke(deskId: string): Promise<void>
}

export function createHeadOfficeStore(api: OfficeApi, user: OfficeUser | null): StoreApi<HeadOfficeState> {
  return createStore<HeadOfficeState>((set, get) => {
    /** Ends the session on the screen when the hub says it has ended; other refusals show as errors. */
    const failed = (refusal: OfficeFailure) => {
      if (refusal.refused === 'office.signed_out') set({ user: null, network: null, stock: null, point: null, code: null, error: null })
      else set({ error: refusal })
    }
    return {
      user,
      section: 'points',
      busy: false,
      loginError: null,
      error: null,
      network: null,
      point: null,
      stock: null,
      code: null,

      async login(name, password) {
        set({ busy: true, loginError: null })
        const r = await api.login(name, password)
        if (!r.ok) {
          set({ busy: false, loginError: r.refusal })
          return false
        }
        set({ busy: false, user: r.value.user, error: null, section: 'points' })
        await get().refresh()
        return true
      },

      async logout() {
        await api.logout()
        set({ user: null, network: null, stock: null, point: null, code: null, error: null, loginError: null })
      },

      async refresh() {
        const r = await api.network()
        if (!r.ok) return failed(r.refusal)
        set({ network: r.value, error: null })
        const open = get().point
        if (open) await get().openPoint(open)
      },

      go: (section) => set({ section, point: null, stock: null }),

      async openPoint(pointId) {
        set({ section: 'points', point: pointId, stock: get().stock?.pointId === pointId ? get().stock : null })
        const r = await api.pointStock(pointId)
        if (!r.ok) return failed(r.refusal)
        // A slower answer for a point since closed or changed is dropped.
        if (get().point === pointId) set({ stock: r.value, error: null })
      },

      closePoint: () => set({ point: null, stock: null }),

      async createCode(req) {
        set({ busy: true, code: null })
        const r = await api.createEnrolmentCode(req)
        set({ busy: false })
        if (!r.ok) return failed(r.refusal)
        set({ code: r.value.code, error: null })
      },

      async revoke(deskId) {
        const r = await api.revokeDesk(deskId)
        if (!r.ok) return failed(r.refusal)
        await get().refresh()
      }
    }
  })
}
