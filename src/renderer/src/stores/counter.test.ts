import { describe, expect, it } from 'vitest'
import type { CounterParcel, HandoverResult } from '@shared/contract'
import { fakeApi } from '../testing/fakeApi'
import { createCounterStore } from './counter'

const parcel = (id: number, over: Partial<CounterParcel> = {}): CounterParcel => ({
  id,
  trackingNumber: `ERMA26112400${id}`,
  shipmentId: id,
  carrier: 'express-relais',
  origin: 'driver',
  state: 'on_shelf',
  slot: 'ER28-Y',
  pickupCode: '123456',
  recipientName: 'Yasmine',
  recipientPhone: '+212612345678',
  arrivedAt: '2026-11-28T08:00:00.000Z',
  damaged: false,
  damageNote: null,
  hasPhoto: false,
  notForPoint: false,
  refusedReason: null,
  holdDays: 7,
  expiresAt: '2026-12-05T23:59:59.999Z',
  expired: false,
  ageDays: 0,
  carrierStatus: 'shipping_in_progress',
  carrierStatusKind: 'waiting_at_point',
  codAmount: null,
  currency: null,
  handedOverAt: null,
  ...over
})

describe('counter store', () => {
  it('hands over in two user actions (scan, then check + Enter) and shows the receipt', async () => {
    let release: () => void = () => {}
    const receipt: HandoverResult = {
      handoverId: 1,
      at: '2026-11-28T09:00:00.000Z',
      parcels: [],
      carrierSync: [],
      receipt: { title: 'Receipt #1', svg: '<svg/>', lines: ['ok'] }
    }
    const api = fakeApi({
      'counter.find': () => ({ ok: true, value: [parcel(1), parcel(2)] }),
      'counter.handover': () => new Promise((ok) => (release = () => ok({ ok: true, value: receipt })))
    })
    const store = createCounterStore(api)
    await store.getState().find('ERMA2611240042')
    expect(store.getState().found.map((p) => p.id)).toEqual([1, 2])
    const first = store.getState().handover({ pickupCode: '123456' })
    // A second Enter while the first is in flight does nothing.
    expect(await store.getState().handover({ pickupCode: '123456' })).toBe(false)
    release()
    expect(await first).toBe(true)
    expect(store.getState().actions).toBe(2)
    expect(store.getState().document?.title).toBe('Receipt #1')
    expect(store.getState().found).toEqual([])
    expect(api.calls.filter((c) => c.channel === 'counter.handover')).toHaveLength(1)
    expect(api.calls.find((c) => c.channel === 'counter.handover')!.input).toEqual({ parcelIds: [1, 2], pickupCode: '123456' })
  })

  it('keeps the error (with its field) for the screen, and Escape clears it', async () => {
    const api = fakeApi({
      'counter.find': () => ({ ok: true, value: [parcel(1)] }),
      'counter.handover': () => ({ ok: false, error: { code: 'invalid_input', message: 'check', retryable: false, field: 'idLast' } })
    })
    const store = createCounterStore(api)
    await store.getState().find('x')
    expect(await store.getState().handover({})).toBe(false)
    expect(store.getState().error?.field).toBe('idLast')
    expect(store.getState().found).toHaveLength(1)
    store.getState().cancel()
    expect(store.getState().error).toBeNull()
    expect(store.getState().found).toEqual([])
  })

  it('says nothing was found rather than showing an empty form', async () => {
    const store = createCounterStore(fakeApi({ 'counter.find': () => ({ ok: true, value: [] }) }))
    await store.getState().find('Nobody')
    expect(store.getState().error).toMatchObject({ code: 'not_found', message: 'Nobody' })
  })
})
