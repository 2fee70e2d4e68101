import { createContext, useContext } from 'react'
import { useStore } from 'zustand'
import type { StoreApi } from 'zustand/vanilla'
import type { GuichetApi } from '@shared/contract'
import type { AppInfo, Settings } from '@shared/app'
import type { LookupState } from './stores/lookup'
import type { StatusState } from './stores/status'
import type { UiState } from './stores/ui'

interface AppContextValue {
  api: GuichetApi
  info: AppInfo
  settings: Settings
  lookup: StoreApi<LookupState>
  status: StoreApi<StatusState>
  ui: StoreApi<UiState>
}

export const AppContext = createContext<AppContextValue | null>(null)

export function useApp(): AppContextValue {
  const v = useContext(AppContext)
  if (!v) throw new Error('AppContext missing')
  return v
}

export function useLookup<T>(selector: (s: LookupState) => T): T {
  return useStore(useApp().lookup, selector)
}
