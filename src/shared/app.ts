import type { CarrierId } from './domain'
import type { LabelAddress } from './label'
import type { StoreWarning } from './startup'

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
  /** A problem found at start (a damaged database that was set aside); the renderer words it. */
  storeWarning: StoreWarning | null
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
  /**
   * This counter's or warehouse's return address, printed as "From" on the labels Guichet draws.
   * settings.get always gives it (null when unset); optional in the type only so that Settings
   * objects built by hand elsewhere (test fixtures) still compile.
   */
  sender: LabelAddress | null
  /**
   * The printer labels go to by default (a printers.list id, e.g. "cups:Zebra_ZD421"); null: none
   * chosen, the system default or "save as PDF". Optional in the type for hand-built fixtures.
   */
  labelPrinter?: string | null
}
