import { describe, expect, it } from 'vitest'
import { GuichetError } from '../../../shared/result'
import { EventBus } from '../events'
import type { Dispatch } from '../ipc/dispatch'
import { connectBackend, connectHost, serveBackend, type BridgeMessage, type PortLike } from './bridge'

/** Two ends of one channel, delivering asynchronously and in order, as a MessagePort does. */
function portPair(): [PortLike, PortLike] {
  const listeners: [Array<(m: BridgeMessage) => void>, Array<(m: BridgeMessage) => void>] = [[], []]
  const end = (me: 0 | 1): PortLike => ({
    postMessage: (m) => void setImmediate(() => listeners[me === 0 ? 1 : 0].forEach((fn) => fn(structuredClone(m)))),
    onMessage: (fn) => void listeners[me].push(fn)
  })
  return [end(0), end(1)]
}

describe('the backend process bridge', () => {
  it('carries calls, events, shell controls, asks to main and its signals, each way', async () => {
    const [mainSide, backendSide] = portPair()
    const mainEvents = new EventBus()
    const told: unknown[] = []
    const client = connectBackend(mainSide, mainEvents, {
      'vault.set': (carrier: string, secrets: Record<string, string>) => void told.push([carrier, secrets]),
      'labels.htmlToPdf': async (html: string) => new Uint8Array(Buffer.from(`%PDF ${html}`)),
      refuses: () => {
        throw new GuichetError('forbidden', 'no key ring', { field: 'vault' })
      }
    })
    const host = connectHost(backendSide)
    const backendEvents = new EventBus()
    const dispatch: Dispatch = async (channel, input) => ({ ok: true, value: { channel, input } })
    serveBackend(backendSide, dispatch, backendEvents, () => undefined, { quitting: () => 'installing' })
    await client.ready

    expect(await client.dispatch('shipments.find', { query: 'X1' })).toEqual({
      ok: true,
      value: { channel: 'shipments.find', input: { query: 'X1' } }
    })
    expect(await client.control('quitting')).toEqual({ ok: true, value: 'installing' })

    const seen: unknown[] = []
    mainEvents.on('outbox.changed', (p) => seen.push(p))
    backendEvents.emit('outbox.changed', { pending: 1, failed: 0, byShipment: [], shipmentIds: [] })

    const pdf = await host.ask<Uint8Array>('labels.htmlToPdf', '<svg/>')
    expect(Buffer.from(pdf).toString()).toBe('%PDF <svg/>')
    await expect(host.ask('refuses')).rejects.toMatchObject({ code: 'forbidden', message: 'no key ring', field: 'vault' })
    await expect(host.ask('nothing.here')).rejects.toMatchObject({ code: 'unsupported' })
    // A tell is handled by main before anything the backend sends after it.
    host.tell('vault.set', 'ecotrack', { api_token: 't' })
    expect(await client.dispatch('shipments.get', { id: 1 })).toMatchObject({ ok: true })
    expect(told).toEqual([['ecotrack', { api_token: 't' }]])
    expect(seen).toEqual([{ pending: 1, failed: 0, byShipment: [], shipmentIds: [] }])

    const signals: unknown[] = []
    host.onSignal('os.online', (v) => signals.push(v))
    client.signal('os.online', false)
    await new Promise((r) => setImmediate(r))
    expect(signals).toEqual([false])
  })

  it('a backend gone mid-call answers a retryable error instead of hanging', async () => {
    const [mainSide] = portPair()
    const client = connectBackend(mainSide)
    const pending = client.dispatch('shipments.find', { query: 'X1' })
    client.disconnected()
    expect(await pending).toEqual({ ok: false, error: { code: 'internal', message: 'backend_restarting', retryable: true } })
    await expect(client.ready).rejects.toEqual({ code: 'startup_failed' })
  })
})
