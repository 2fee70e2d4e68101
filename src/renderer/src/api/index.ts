import type { GuichetApi } from '@shared/contract'
import { createBrowserApi, takeToken } from './browser'

/** The desktop preload's API when present; otherwise browser mode's WebSocket client. */
export function resolveApi(): GuichetApi | null {
  if (window.guichet) return window.guichet
  const token = takeToken()
  return token ? createBrowserApi(token) : null
}
