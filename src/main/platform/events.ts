import type { EventName, EventPayloads } from '../../shared/contract'
import { sharedRedactor } from './logger'

type Listener<E extends EventName> = (payload: EventPayloads[E]) => void

/** The typed push-event bus. Transports subscribe to everything and forward it to the UI. */
export class EventBus {
  private readonly listeners = new Set<(name: EventName, payload: unknown) => void>()

  emit<E extends EventName>(name: E, raw: EventPayloads[E]): void {
    // Events reach the renderer over IPC, the WebSocket and SSE: no registered secret rides along.
    const payload = sharedRedactor.strings(raw)
    for (const l of this.listeners) {
      try {
        l(name, payload)
      } catch {
        // One broken subscriber (a closed window) must not stop the others.
      }
    }
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  onAny(listener: (name: EventName, payload: unknown) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  on<E extends EventName>(name: E, listener: Listener<E>): () => void {
    return this.onAny((n, p) => {
      if (n === name) listener(p as EventPayloads[E])
    })
  }
}
