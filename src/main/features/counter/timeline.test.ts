// What happens at the desk shows wherever the parcel shows: each counter step is an event of the
// shipment's one timeline (beside the carrier's), moves the status Find, Parcels and search show,
// can be filtered in Parcels, and takes "request return" off a parcel already handed over.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Channel, Input, Output } from '../../../shared/contract'
import { counterStatusOf, returnRefusal } from '../../../shared/counter'
import { createBackend } from '../../backend'
import { ManualClock } from '../../platform/clock'
import { silentLogger } from '../../platform/logger'
import { MemoryStore } from '../../core/settings/settings'

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c()
})

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-counter-timeline-'))
  const clock = new ManualClock(Date.UTC(2026, 10, 28, 8, 0))
  const settingsStore = new MemoryStore()
  settingsStore.set('language', 'en')
  const backend = createBackend({
    dataDir: dir,
    version: '0',
    settingsStore,
    clock,
    logger: silentLogger,
    demo: true,
    demoSimulators: false,
    outboxAutoStart: false,
    adapterFor: () => null
  })
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  cleanups.push(() => backend.close())
  const call = async <C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> => {
    const r = await backend.dispatch(channel, input)
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`)
    return r.value as Output<C>
  }
  return { call, clock }
}

describe('counter steps in the shipment timeline', () => {
  it('check-in then hand-over: Find shows the slot, then the hand-over and its receipt number', async () => {
    const { call, clock } = setup()
    const s = await call('counter.checkinStart', { driver: 'Youssef' })
    const { parcel } = await call('counter.checkinScan', { sessionId: s.id, code: 'ERMA2611240042' })
    expect(parcel.slot).toBe('ER28-Y')

    let found = await call('shipments.find', { query: 'ERMA2611240042' })
    if (found.kind !== 'shipment') throw new Error('not opened')
    const carrierEvents = found.detail.events.filter((e) => e.source !== 'counter').length
    expect(found.detail.events.find((e) => e.source === 'counter')).toMatchObject({
      nativeStatus: 'GUICHET_CHECKIN',
      location: 'ER28-Y',
      kind: 'waiting_at_point'
    })
    expect(counterStatusOf(found.detail.events)).toMatchObject({ step: 'checkin', slot: 'ER28-Y' })
    expect(found.detail.shipment.statusKind).toBe('waiting_at_point')
    expect(returnRefusal(counterStatusOf(found.detail.events))).toBeNull()
    // Parcels: "at the counter" lists it.
    const shelved = await call('shipments.list', { counterStep: 'checkin', limit: 100, offset: 0 })
    expect(shelved.items.map((i) => i.trackingNumber)).toContain('ERMA2611240042')

    clock.advance(60 * 60_000)
    const h = await call('counter.handover', {
      parcelIds: [parcel.id],
      pickupCode: parcel.pickupCode!,
      cod: { amount: 349, method: 'cash' }
    })
    expect(h.number).toBe('R-20261128-001')
    found = await call('shipments.find', { query: 'ERMA2611240042' })
    if (found.kind !== 'shipment') throw new Error('not opened')
    // One timeline: the carrier's events are all still there, plus the two counter steps.
    expect(found.detail.events.filter((e) => e.source !== 'counter')).toHaveLength(carrierEvents)
    expect(found.detail.events.filter((e) => e.source === 'counter').map((e) => e.nativeStatus)).toEqual([
      'GUICHET_HANDOVER',
      'GUICHET_CHECKIN'
    ])
    expect(counterStatusOf(found.detail.events)).toMatchObject({ step: 'handover', document: 'R-20261128-001' })
    expect(found.detail.shipment.unifiedStatus).toBe('delivered')
    expect(returnRefusal(counterStatusOf(found.detail.events))).toBe('handed_over')
    const handed = await call('shipments.list', { counterStep: 'handover', limit: 100, offset: 0 })
    expect(handed.items.map((i) => i.trackingNumber)).toEqual(['ERMA2611240042'])
    expect(
      (await call('shipments.list', { counterStep: 'checkin', limit: 100, offset: 0 })).items.map((i) => i.trackingNumber)
    ).not.toContain('ERMA2611240042')
    // Search results carry the counter's status too.
    const results = await call('shipments.search', { text: 'Yasmine', limit: 10 })
    expect(results.find((r) => r.trackingNumber === 'ERMA2611240042')?.unifiedStatus).toBe('delivered')
  })

  it('the stock still compares the shelf with what the carrier itself says', async () => {
    const { call } = setup()
    const s = await call('counter.checkinStart', { driver: 'Youssef' })
    await call('counter.checkinScan', { sessionId: s.id, code: '3SYZXG132912361' })
    const stock = await call('counter.stock', {})
    // Sendcloud still says in transit: our own check-in event does not hide that.
    expect(stock.onShelfCarrierInTransit.map((p) => p.trackingNumber)).toContain('3SYZXG132912361')
  })

  it('a hand-over proposes the same phone unticked and never a stranger of the same name', async () => {
    const { call } = setup()
    const s = await call('counter.checkinStart', { driver: 'Youssef' })
    for (const code of ['3SYZXG132912361', 'ERMA2611270055']) await call('counter.checkinScan', { sessionId: s.id, code })
    const found = await call('counter.find', { query: '3SYZXG132912361' })
    expect(found.map((p) => [p.trackingNumber, p.match])).toEqual([
      ['3SYZXG132912361', 'asked'],
      ['ERMA2611270055', 'same_phone']
    ])
  })
})
