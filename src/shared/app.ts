import type { CarrierId } from './domain'

export type Language = 'fr' | 'en' | 'ar' | 'de'

export interface AppInfo {
  name: 'Guichet'
  version: string
  /** electron: the desktop app; browser: `npm run serve`. */
  mode: 'electron' | 'browser'
  demo: boolean
  /** True when no carrier account is configured: the UI offers demo mode. */
  firstRun: boolean
  carriersConfigured: CarrierId[]
  shipments: number
  /** A problem found at start (a damaged database that was set aside), said plainly. */
  storeWarning: string | null
}

/** This counter's identity: parcels for another point get a warning. */
export interface PointIdentity {
  id: string
  name: string
  carriers?: string[]
}

export interface Settings {
  language: Language | null
  point: PointIdentity | null
}
