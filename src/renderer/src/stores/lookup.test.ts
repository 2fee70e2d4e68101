import { describe, expect, it } from 'vitest'
import type { ShipmentDetail } from '@shared/domain'
import { fakeApi } from '../testing/fakeApi'
import { createLookupStore } from './lookup'

const detail = (id: number, tracking: string): ShipmentDetail => ({
  shipment: {
    id,
    carrier: 'ecotrack',
    account: 'demo',
    trackingNumber: tracking,
    reference: null,
    recipientName: `Client ${id}`,
    recipientPhone: null,
    point: null,
    unifiedStatus: 'shipped',
    statusKind: 'status',
    nativeStatus: 'picked',
    nativeStatusLabel: null,
    statusAt: null,
    direction: 'forward',
    parentId: null,
    codAmount: null,
    currency: null,
    weightGrams: null,
    createdAt: '2026-11-27T10:00:00.000Z',
    updatedAt: '2026-11-27T10:00:00.000Z',
    lastCheckedAt: null,
    lastGoodCheckAt: null,
    nextCheckAt: null,
    lastError: null
  },
  events: [],
  remarks: []
})

describe('lookup store', () => {
  it('opens the shipment on an exact match and remembers it', async () => {
    const api = fakeApi({ 'shipments.find': () => ({ ok: true, value: { kind: 'shipment', detail: detail(1, 'EC1') } }) })
    const store = createLookupStore(api)
    await store.getState().find('EC1')
    expect(store.getState()).toMatchObject({ view: 'shipment', busy: false, error: null })
    expect(store.getState().recent).toEqual([{ id: 1, trackingNumber: 'EC1', recipientName: 'Client 1' }])
    expect(api.calls).toEqual([{ channel: 'shipments.find', input: { query: 'EC1' } }])
  })

  it('shows a list for several matches', async () => {
    const api = fakeApi({
      'shipments.find': () => ({
        ok: true,
        value: { kind: 'results', query: 'a', items: [detail(1, 'A').shipment, detail(2, 'B').shipment] }
      })
    })
    const store = createLookupStore(api)
    await store.getState().find('a')
    expect(store.getState().view).toBe('results')
    expect(store.getState().results).toHaveLength(2)
  })

  it('keeps the error and the current view when a call fails', async () => {
    const api = fakeApi({ 'shipments.find': () => ({ ok: false, error: { code: 'offline', message: 'down', retryable: true } }) })
    const store = createLookupStore(api)
    await store.getState().find('x')
    expect(store.getState()).toMatchObject({ view: 'idle', busy: false, error: { code: 'offline' } })
  })

  it('lets only the newest request write its answer', async () => {
    let release: (v: unknown) => void = () => {}
    const slow = new Promise((r) => (release = r))
    const api = fakeApi({
      'shipments.find': async (input) => {
        if ((input as { query: string }).query === 'slow') await slow
        return {
          ok: true,
          value: {
            kind: 'shipment',
            detail: detail((input as { query: string }).query === 'slow' ? 1 : 2, String((input as { query: string }).query))
          }
        }
      }
    })
    const store = createLookupStore(api)
    const first = store.getState().find('slow')
    await store.getState().find('fast')
    release(null)
    await first
    expect(store.getState().detail?.shipment.trackingNumber).toBe('fast')
    // Only the answer that was shown counts as settled: the field clears once, with it.
    expect(store.getState().settled).toBe(1)
  })

  it('counts every lookup that ends, answered, failed or cleared', async () => {
    let ok = true
    const api = fakeApi({
      'shipments.find': () =>
        ok
          ? { ok: true, value: { kind: 'results', query: 'a', items: [] } }
          : { ok: false, error: { code: 'offline', message: 'down', retryable: true } }
    })
    const store = createLookupStore(api)
    await store.getState().find('a')
    ok = false
    await store.getState().find('b')
    store.getState().clear()
    expect(store.getState().settled).toBe(3)
  })

  it('keeps at most eight recent lookups, newest first, without duplicates', async () => {
    let n = 0
    const api = fakeApi({ 'shipments.get': (input) => ({ ok: true, value: detail((input as { id: number }).id, `T${++n}`) }) })
    const store = createLookupStore(api)
    for (const id of [1, 2, 3, 4, 5, 6, 7, 8, 9, 3]) await store.getState().open(id)
    const ids = store.getState().recent.map((r) => r.id)
    expect(ids).toEqual([3, 9, 8, 7, 6, 5, 4, 2])
  })
})
