import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sampleWarehouseOrder, startWarehouseSlice, DEMO_WAREHOUSE, type WarehouseSlice } from '../../demo/warehouse-slice'
import { openAggregatorDatabase } from '../../features/warehouse/warehouse.testkit'
import { warehouseOptions } from '../../features/warehouse/accounts'
import type { Database } from '../../platform/db/database'
import { HOUR, ManualClock } from '../../platform/clock'
import { captureLogger, findLeaks, simulatedSleep } from '../testing/capture.testkit'
import type { WebhookRequest } from '../types'
import { createShipwayAdapter, type ShipwayAdapter } from './client'
import { startShipwaySimulator, type ShipwaySim } from './sim/simulator'
import { shipwayWebhook } from './webhook'

const USER = 'warehouse@guichet.test'
const LICENCE = 'sw-licence-5f0c2e'
// 32 bytes or more: the desk's receiver refuses shorter webhook secrets (features/webhooks).
const SECRET = 'sw-shared-secret-88-9f1c4e7a2d6b0c3e'

describe('Shipway adapter against its simulator', () => {
  const clock = new ManualClock()
  const logger = captureLogger()
  let sim: ShipwaySim
  let sw: ShipwayAdapter
  beforeAll(async () => {
    sim = await startShipwaySimulator({ clock, username: USER, password: LICENCE })
    sw = createShipwayAdapter(
      { carrier: 'shipway', alias: 'sw-main', baseUrl: sim.url, credentials: { username: USER, password: LICENCE } },
      { now: () => clock.now(), logger, sleep: simulatedSleep(clock) }
    )
  })
  afterAll(async () => {
    await sim.close()
    expect(findLeaks([LICENCE, SECRET])).toEqual([])
  })

  const push = (id: string) => ({
    order_id: id,
    products: [{ product: 'Kurta', price: '899', product_code: 'KUR', product_quantity: '1' }],
    payment_type: 'P',
    shipping_zipcode: '600002',
    shipping_phone: '9876543210',
    shipping_country: 'India'
  })

  it('pushes an order (an upsert: a repeat is not a second order), then reads its AWB and label', async () => {
    await sw.pushOrder(push('SW-1'))
    await sw.pushOrder(push('SW-1'))
    expect(sim.orders.filter((o) => o.orderId === 'SW-1')).toEqual([expect.objectContaining({ pushes: 2 })])
    const s = await sw.orderShipment('SW-1')
    expect(s).toMatchObject({ orderId: 'SW-1', carrier: 'Delhivery', currentStatusCode: 'SCH' })
    const pdf = await sw.fetchLabel(s!.labelUrl!)
    expect(Buffer.from(pdf.data).subarray(0, 5).toString()).toBe('%PDF-')
    expect(await sw.orderShipment('SW-none')).toBeNull()
  })

  it('errors: bad licence is unauthorized, a missing field is carrier_refused, unknown AWB not_found', async () => {
    const bad = createShipwayAdapter(
      { carrier: 'shipway', alias: 'x', baseUrl: sim.url, credentials: { username: USER, password: 'nope-123' } },
      { now: () => clock.now(), logger }
    )
    await expect(bad.pushOrder(push('SW-2'))).rejects.toMatchObject({ code: 'unauthorized' })
    await expect(sw.pushOrder({ order_id: 'SW-3' })).rejects.toMatchObject({ code: 'carrier_refused' })
    const [t] = await sw.track(['SWX'])
    expect(!t!.ok && t!.error.code).toBe('not_found')
    await expect(sw.cancel!('SWX', { idempotencyKey: 'k' })).rejects.toMatchObject({ code: 'not_found' })
  })

  it('so far, every request the client made went to a newer-generation path with the expected method', () => {
    const seen = sim.log.map((r) => `${r.method} ${new URL(r.url, sim.url).pathname}`)
    expect(seen.length).toBeGreaterThan(0)
    for (const r of seen)
      expect(r).toMatch(/^(POST \/api\/v2orders|GET \/api\/getorders|POST \/api\/Cancel|GET \/shipping_labels\/SW\d+\.pdf)$/)
  })

  it('the simulator speaks the newer generation only: Basic auth, no body credentials, no legacy slugs', async () => {
    const basic = `Basic ${Buffer.from(`${USER}:${LICENCE}`).toString('base64')}`
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${sim.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body)
      })
    // A client that puts the credentials in the body (legacy style) on the new path is refused.
    const legacyStyle = await post('/api/v2orders', { username: USER, password: LICENCE, ...push('SW-L') })
    expect(legacyStyle.status).toBe(401)
    expect(await legacyStyle.json()).toMatchObject({ success: false })
    // The legacy slugs do not exist on this host, even with the right auth.
    for (const path of ['/api/pushOrderData', '/api/getOrderShipmentDetails', '/api/getShipmentDetails'])
      expect((await post(path, push('SW-L'), { authorization: basic })).status).toBe(404)
    expect((await post('/api/v2orders', push('SW-L'), { authorization: 'Basic eDp5' })).status).toBe(401)
    expect((await post('/api/v2orders', { ...push('SW-L'), payment_type: 'X' }, { authorization: basic })).status).toBe(200)
    expect(sim.orders.some((o) => o.orderId === 'SW-L')).toBe(false)
    expect((await post('/api/v2orders', push('SW-L'), { authorization: basic })).status).toBe(200)
    expect(sim.orders.some((o) => o.orderId === 'SW-L')).toBe(true)
  })

  it('tracks and cancels', async () => {
    await sw.pushOrder(push('SW-4'))
    const { awb } = (await sw.orderShipment('SW-4'))!
    clock.advance(HOUR)
    await sim.advance(awb!, 'PKP', { notify: false })
    const [t] = await sw.track([awb!])
    expect(t!.ok && t!.events.map((e) => e.nativeStatus)).toEqual(['SCH', 'PKP'])
    await sw.cancel!(awb!, { idempotencyKey: 'k' })
    expect(sim.orders.find((o) => o.awb === awb)!.cancelled).toBe(true)
  })
})

describe('Shipway webhook', () => {
  const account = { carrier: 'shipway' as const, alias: 'a', baseUrl: '', credentials: { webhookSecret: SECRET } }
  const req = (b: unknown, q = ''): WebhookRequest => ({
    headers: {},
    rawBody: Buffer.from(JSON.stringify(b)),
    query: new URLSearchParams(q)
  })
  const sample = {
    awbno: 'SW5100000001',
    current_status_code: 'ood',
    current_status: 'Out for delivery',
    status_time: '2026-11-28 09:15:00'
  }
  it('checks the shared secret from the callback URL', () => {
    expect(() => shipwayWebhook.verify(req(sample, `token=${SECRET}`), account)).not.toThrow()
    expect(() => shipwayWebhook.verify(req(sample, 'token=x'), account)).toThrow(expect.objectContaining({ code: 'unauthorized' }))
    expect(() => shipwayWebhook.verify(req(sample), { ...account, credentials: {} })).toThrow(
      expect.objectContaining({ code: 'unauthorized' })
    )
  })
  it('parses codes (upper-cased) and India time', () => {
    expect(shipwayWebhook.parse(req(sample))[0]!.events[0]).toMatchObject({ nativeStatus: 'OOD', at: Date.parse('2026-11-28T03:45:00Z') })
  })
  it.each([
    ['no awb', { ...sample, awbno: '' }, 'awbno'],
    ['no code', { ...sample, current_status_code: '' }, 'current_status_code'],
    ['no time', { ...sample, status_time: 'x' }, 'status_time']
  ])('rejects %s', (_n, b, field) => {
    expect(() => shipwayWebhook.parse(req(b))).toThrow(expect.objectContaining({ code: 'invalid_input', field }))
  })
})

describe('Shipway warehouse workflow', () => {
  const clock = new ManualClock()
  const logger = captureLogger()
  let sim: ShipwaySim
  let slice: WarehouseSlice
  let db: Database
  beforeAll(async () => {
    sim = await startShipwaySimulator({ clock, username: USER, password: LICENCE })
    db = openAggregatorDatabase()
    slice = await startWarehouseSlice({
      db,
      clock,
      logger,
      accounts: [
        {
          carrier: 'shipway',
          alias: 'sw-main',
          baseUrl: sim.url,
          credentials: { username: USER, password: LICENCE, webhookSecret: SECRET },
          options: { ...warehouseOptions(DEMO_WAREHOUSE) }
        }
      ]
    })
    sim.setWebhook(`${slice.receiver.url}/webhooks/shipway/sw-main?token=${SECRET}`)
  })
  afterAll(async () => {
    await slice.close()
    await sim.close()
    db.close()
  })

  it('push, AWB, label, webhooks to DEL, then the return (reverse pickup) on the same timeline', async () => {
    const o = await slice.service.createOrder('shipway', 'sw-main', sampleWarehouseOrder('GCH-SW-1'))
    expect(o.awb).toBeNull()
    const a = await slice.service.assignAwb(o.shipmentId!)
    expect(a.awb).toMatch(/^SW\d+$/)
    expect((await slice.service.label(o.shipmentId!)).bytes).toBeGreaterThan(100)
    clock.advance(HOUR)
    await sim.advance(a.awb!, 'OOD')
    clock.advance(HOUR)
    await sim.advance(a.awb!, 'DEL')
    expect(slice.repo.get(o.shipmentId!)).toMatchObject({ unifiedStatus: 'delivered', nativeStatus: 'DEL' })
    const r = await slice.service.createReturn(o.shipmentId!)
    expect(r.awb).toMatch(/^SW\d+$/)
    clock.advance(HOUR)
    await sim.advance(r.awb!, 'RPKP')
    expect(slice.repo.get(r.shipmentId!)).toMatchObject({ unifiedStatus: 'return', nativeStatus: 'RPKP' })
    expect(slice.repo.get(o.shipmentId!)).toMatchObject({ unifiedStatus: 'return', nativeStatus: 'RPKP' })
  })

  it('after a crash, a pending push is reconciled by order id (Shipway upserts anyway)', async () => {
    db.prepare(
      `INSERT INTO aggregator_orders (carrier, account, direction, reference, state, request, attempts, created_at, updated_at) VALUES ('shipway','sw-main','forward','GCH-SW-2','pending',?,1,0,0)`
    ).run(JSON.stringify(sampleWarehouseOrder('GCH-SW-2')))
    const o = await slice.service.createOrder('shipway', 'sw-main', sampleWarehouseOrder('GCH-SW-2'))
    expect(o.state).toBe('created')
    expect(sim.orders.filter((x) => x.orderId === 'GCH-SW-2')).toHaveLength(1)
  })
})
