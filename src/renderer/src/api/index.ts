import type { GuichetApi } from '@shared/contract'
import { createHttpApi, takeToken } from './http'

/** The desktop preload's API when present; otherwise browser mode's HTTP client. */
export function resolveApi(): GuichetApi | null {
  if (window.guichet) return window.guichet
  const token = takeToken()
  return token ? createHttpApi(token) : null
}
