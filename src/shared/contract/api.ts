import { CHANNELS, EVENTS, type Channel, type EventName } from './channels'
import type { EventPayloads, GuichetApi } from './index'
import type { Result } from '../result'

type Invoke = (channel: Channel, input: unknown) => Promise<Result<unknown>>
type Subscribe = (name: EventName, listener: (payload: unknown) => void) => () => void

/**
 * Builds the narrow typed API from the channel list. The preload builds it over ipcRenderer;
 * browser mode builds the same object over HTTP. Nothing else is ever exposed.
 */
export function buildApi(invoke: Invoke, subscribe: Subscribe): GuichetApi {
  const api: Record<string, unknown> = {}
  for (const channel of CHANNELS) {
    const [ns, method] = channel.split('.') as [string, string]
    const group = (api[ns] ??= {}) as Record<string, unknown>
    group[method] = (input?: unknown) => invoke(channel, input ?? {})
  }
  api.on = <E extends EventName>(name: E, listener: (payload: EventPayloads[E]) => void) => {
    if (!(EVENTS as readonly string[]).includes(name)) throw new Error(`Unknown event: ${String(name)}`)
    return subscribe(name, listener as (payload: unknown) => void)
  }
  return api as GuichetApi
}
