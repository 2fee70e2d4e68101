import { describe, expect, it } from 'vitest'
import { GuichetError } from '../../shared/result'
import { EventBus } from './events'
import { createDispatch, type Handlers } from './ipc/dispatch'
import { sharedRedactor, silentLogger } from './logger'

// The paths a secret could take to the renderer besides the log: a handler's answer, its error,
// and a push event (IPC, WebSocket and SSE all forward the EventBus).
const TOKEN = '9|k"Z\\ <x>&y=%'

describe('no registered secret reaches the renderer', () => {
  sharedRedactor.add(TOKEN)

  it('in an answer or an error of any channel', async () => {
    const handlers = {
      'app.info': () => ({ version: `v ${TOKEN}`, nested: [{ url: `https://c.example/?api_token=${encodeURIComponent(TOKEN)}` }] }),
      'settings.get': () => {
        throw new GuichetError('carrier_error', `refused Bearer ${TOKEN}`)
      }
    } as unknown as Handlers
    const dispatch = createDispatch(handlers, silentLogger)
    const ok = JSON.stringify(await dispatch('app.info', {}))
    const failed = JSON.stringify(await dispatch('settings.get', {}))
    for (const text of [ok, failed]) {
      expect(text).toContain('[redacted]')
      expect(text).not.toContain('k\\"Z')
      expect(text).not.toContain(encodeURIComponent(TOKEN))
    }
  })

  it('in a push event', () => {
    const bus = new EventBus()
    const seen: unknown[] = []
    bus.onAny((_, p) => seen.push(p))
    bus.emit('shipment.updated' as never, { lastError: `HTTP 401 for token ${TOKEN}` } as never)
    expect(JSON.stringify(seen)).not.toContain('k\\"Z')
    expect(JSON.stringify(seen)).toContain('[redacted]')
  })
})
