import { createStore } from 'zustand/vanilla'

// 'counter' comes after the existing screens so their Alt+N keys stay (counter: Alt+6).
export const SECTIONS = ['find', 'parcels', 'outbox', 'settings', 'points', 'counter', 'warehouse', 'about'] as const
type Section = (typeof SECTIONS)[number]

export interface UiState {
  section: Section
  go(section: Section): void
}

/** Which screen is showing. Alt+1..5 switch screens (points: Alt+5); the search field is always one key away. */
export const createUiStore = () =>
  createStore<UiState>((set) => ({
    section: 'find',
    go: (section) => set({ section })
  }))
