import type { GuichetApi } from '../shared/contract'

declare global {
  interface Window {
    /** Present in the desktop app (preload); absent in browser mode, where the HTTP client stands in. */
    guichet?: GuichetApi
  }
}
export {}
