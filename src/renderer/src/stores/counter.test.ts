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
  match: 'asked',
  ...over
})

describe('counter store', () => {
  it('hands over in two user actions (scan, then check + Enter) and shows the receipt', async () => {
    let release: () => void = () => {}
    const receipt: HandoverResult = {
      handoverId: 1,
      number: 'R-20261128-001',
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

  it("keeps the carriers' notes as codes, and an older main's sentence as it came (the view words it generically)", async () => {
    const result = (carrierSync: unknown[]): HandoverResult =>
      ({ handoverId: 1, number: 'R-1', at: '', parcels: [], carrierSync, receipt: { title: 'R', svg: '', lines: [] } }) as HandoverResult
    const note = { code: 'handover_local_only', params: { tracking: 'ERMA2611240042', carrier: 'express-relais' } }
    let answer = result([{ parcelId: 1, mode: 'local_only', note, outbox: null }])
    const api = fakeApi({
      'counter.find': () => ({ ok: true, value: [parcel(1)] }),
      'counter.handover': () => ({ ok: true, value: answer })
    })
    const store = createCounterStore(api)
    await store.getState().find('ERMA2611240042')
    await store.getState().handover({ pickupCode: '123456' })
    expect(store.getState().carrierNotes).toEqual([note])
    answer = result([{ parcelId: 1, mode: 'local_only', message: 'ERMA2611240042: recorded here only.', outbox: null }])
    await store.getState().find('ERMA2611240042')
    await store.getState().handover({ pickupCode: '123456' })
    expect(store.getState().carrierNotes).toEqual(['ERMA2611240042: recorded here only.'])
  })

  it('hands over only what is ticked: the same customer’s other parcels are proposed, not assumed', async () => {
    const api = fakeApi({
      'counter.find': () => ({ ok: true, value: [parcel(1), parcel(2, { match: 'same_phone' }), parcel(3, { match: 'same_name' })] }),
      'counter.handover': () => ({ ok: false, error: { code: 'invalid_input', message: 'check', retryable: false, field: 'idLast' } })
    })
    const store = createCounterStore(api)
    await store.getState().find('ERMA2611240042')
    expect(store.getState().selected).toEqual([1])
    store.getState().toggle(2)
    await store.getState().handover({ pickupCode: '123456' })
    expect(api.calls.find((c) => c.channel === 'counter.handover')!.input).toEqual({ parcelIds: [1, 2], pickupCode: '123456' })
    // The clerk can leave out even the parcel asked for.
    store.getState().toggle(1)
    store.getState().toggle(2)
    expect(await store.getState().handover({ pickupCode: '123456' })).toBe(false)
  })

  it('reopens on the step left and keeps a check-in in progress across a reload', async () => {
    const mem = new Map<string, string>()
    const storage = { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => void mem.set(k, v) }
    const session = {
      id: 7,
      kind: 'checkin' as const,
      driver: 'Youssef',
      announced: 12,
      clerk: 'Fatima',
      openedAt: '',
      closedAt: null,
      scanned: 1
    }
    const api = fakeApi({
      'counter.checkinStart': () => ({ ok: true, value: { ...session, scanned: 0 } }),
      'counter.checkinScan': () => ({ ok: true, value: { parcel: parcel(1), warnings: [], session } })
    })
    const before = createCounterStore(api, storage)
    before.getState().setMode('handover')
    before.getState().setMode('checkin')
    await before.getState().startCheckin('Youssef', 12)
    await before.getState().scanIn('ERMA2611240042')
    const after = createCounterStore(api, storage)
    expect(after.getState().mode).toBe('checkin')
    expect(after.getState().session).toMatchObject({ id: 7, scanned: 1 })
    expect(after.getState().scans.map((s) => s.parcel.id)).toEqual([1])
    after.getState().setMode('day')
    expect(createCounterStore(api, storage).getState().mode).toBe('day')
    // A draft that is not ours is dropped, not trusted.
    mem.set('guichet.counter.draft', '{"mode":"nope","session":{"id":"x"}}')
    expect(createCounterStore(api, storage).getState()).toMatchObject({ mode: 'checkin', session: null })
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
