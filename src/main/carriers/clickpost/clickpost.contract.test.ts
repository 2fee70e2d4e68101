import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sampleWarehouseOrder, startWarehouseSlice, DEMO_WAREHOUSE, type WarehouseSlice } from '../../demo/warehouse-slice'
import { openAggregatorDatabase } from '../../features/warehouse/warehouse.testkit'
import { warehouseOptions } from '../../features/warehouse/accounts'
import type { Database } from '../../platform/db/database'
import { HOUR, ManualClock } from '../../platform/clock'
import { captureError, captureLogger, findLeaks, simulatedSleep } from '../testing/capture.testkit'
import { CarrierError, type WebhookRequest } from '../types'
import { createClickpostAdapter, type ClickpostAdapter } from './client'
import { startClickpostSimulator, type ClickpostSim } from './sim/simulator'
import { clickpostWebhook } from './webhook'

const KEY = 'cp-key-7d1e0a99'
// 32 bytes or more: the desk's receiver refuses shorter webhook secrets (features/webhooks).
const HOOK = 'cp-webhook-key-c3-5b0e9d2a41f7c8e6b3a0'

async function expectCarrierError(p: Promise<unknown>, code: string, carrierCode?: number): Promise<CarrierError> {
  try {
    await p
  } catch (e) {
    captureError(e)
    expect(e).toBeInstanceOf(CarrierError)
    expect((e as CarrierError).code).toBe(code)
    if (carrierCode !== undefined) expect((e as CarrierError).carrierCode).toBe(carrierCode)
    return e as CarrierError
  }
  throw new Error(`expected a CarrierError ${code}`)
}

const body = (reference: string, over: Record<string, unknown> = {}) => ({
  pickup_info: {
    pickup_name: 'WH',
    pickup_phone: '8012345678',
    pickup_pincode: '560058',
    pickup_address: 'Peenya',
    pickup_time: '2026-11-28T09:00:00Z',
    pickup_city: 'Bengaluru',
    pickup_state: 'Karnataka',
    pickup_country: 'India'
  },
  drop_info: {
    drop_name: 'Priya',
    drop_address: '12 Anna Salai',
    drop_phone: '9876543210',
    drop_pincode: '600002',
    drop_city: 'Chennai',
    drop_state: 'Tamil Nadu',
    drop_country: 'India'
  },
  shipment_details: {
    items: [{ price: 899, description: 'Kurta', sku: 'KUR', quantity: 1 }],
    invoice_value: 899,
    invoice_number: reference,
    reference_number: reference,
    length: 30,
    breadth: 20,
    height: 5,
    weight: 500,
    order_type: 'PREPAID',
    cod_value: 0,
    courier_partner: 1
  },
  additional: { label: true, delivery_type: 'FORWARD' },
  ...over
})

describe('Clickpost adapter against its simulator', () => {
  const clock = new ManualClock()
  const logger = captureLogger()
  let sim: ClickpostSim
  let cp: ClickpostAdapter
  beforeAll(async () => {
    sim = await startClickpostSimulator({ clock, username: 'guichet', key: KEY })
    cp = createClickpostAdapter(
      { carrier: 'clickpost', alias: 'cp-main', baseUrl: sim.url, credentials: { username: 'guichet', key: KEY }, options: { cpId: 1 } },
      { now: () => clock.now(), logger, sleep: simulatedSleep(clock), timeoutMs: 2000 }
    )
  })
  afterAll(async () => {
    await sim.close()
    expect(findLeaks([KEY, HOOK])).toEqual([])
  })

  it('creates an order: waybill and label URL at once; a repeat is service code 323', async () => {
    const r = await cp.createOrder(body('CP-1'))
    expect(r).toMatchObject({ referenceNumber: 'CP-1', courierName: 'Fedex' })
    expect(r.waybill).toMatch(/^\d{12}$/)
    expect(r.label).toContain(`${r.waybill}.pdf`)
    const dup = await expectCarrierError(cp.createOrder(body('CP-1')), 'carrier_refused', 323)
    expect(dup.message).toContain('Already placed')
    expect(sim.orders.filter((o) => o.reference === 'CP-1')).toHaveLength(1)
  })

  it('maps the service errors: 312 items missing, 315 COD value, 328 bad data (invalid_input); 301 auth', async () => {
    await expectCarrierError(
      cp.createOrder(body('CP-2', { shipment_details: { ...body('CP-2').shipment_details, items: [] } })),
      'invalid_input',
      312
    )
    await expectCarrierError(
      cp.createOrder(body('CP-3', { shipment_details: { ...body('CP-3').shipment_details, order_type: 'COD', cod_value: 0 } })),
      'invalid_input',
      315
    )
    await expectCarrierError(cp.createOrder({ drop_info: {} }), 'invalid_input', 328)
    const bad = createClickpostAdapter(
      { carrier: 'clickpost', alias: 'x', baseUrl: sim.url, credentials: { username: 'guichet', key: 'wrong-key-1' } },
      { now: () => clock.now(), logger }
    )
    await expectCarrierError(bad.createOrder(body('CP-4')), 'unauthorized')
  })

  it('tracks many waybills in one call; unknown ones are not_found; NDR reasons become comments', async () => {
    const a = await cp.createOrder(body('CP-10'))
    clock.advance(HOUR)
    await sim.advance(a.waybill, 9, { ndr: 6, notify: false })
    const calls = sim.log.length
    const [one, unknown] = await cp.track([a.waybill, '000000000000'])
    expect(sim.log.length).toBe(calls + 1)
    expect(one!.ok && one!.events.map((e) => e.nativeStatus)).toEqual(['1', '9'])
    expect(one!.ok && one!.events[1]!.comment).toBe('NDR 6: Address Issue')
    expect(one!.ok && one!.current?.nativeStatus).toBe('9')
    expect(!unknown!.ok && unknown!.error.code).toBe('not_found')
  })

  it('fetches the label PDF; cancels; unknown waybill is 330 not_found', async () => {
    const a = await cp.createOrder(body('CP-20'))
    const pdf = await cp.label!(a.waybill)
    expect(Buffer.from(pdf.data).subarray(0, 5).toString()).toBe('%PDF-')
    await cp.cancel!(a.waybill, { idempotencyKey: 'k' })
    expect(sim.orders.find((o) => o.waybill === a.waybill)!.cancelled).toBe(true)
    await expectCarrierError(cp.cancel!('999', { idempotencyKey: 'k' }), 'not_found', 330)
    await expectCarrierError(cp.labelUrl('999'), 'not_found', 330)
  })

  it('a server error page is a typed carrier_error, and the key never shows in the message', async () => {
    sim.inject({ kind: 'http_503', match: 'track-order' })
    const [r] = await createClickpostAdapter(
      { carrier: 'clickpost', alias: 'y', baseUrl: sim.url, credentials: { username: 'guichet', key: KEY } },
      { now: () => clock.now(), logger, maxRetries: 0 }
    ).track(['1'])
    expect(!r!.ok && r!.error.code).toBe('carrier_error')
    expect(!r!.ok && r!.error.message).not.toContain(KEY)
  })
})

describe('Clickpost webhook', () => {
  const account = { carrier: 'clickpost' as const, alias: 'a', baseUrl: '', credentials: { webhookKey: HOOK } }
  const req = (b: unknown, key?: string): WebhookRequest => ({
    headers: key ? { webhook_key: key } : {},
    rawBody: Buffer.from(typeof b === 'string' ? b : JSON.stringify(b)),
    query: new URLSearchParams()
  })
  const sample = {
    waybill: '785578015860',
    cp_id: 1,
    clickpost_status_code: 6,
    clickpost_status_description: 'OutForDelivery',
    status: 'Out for delivery',
    location: 'Pune',
    timestamp: '2026-11-28T08:00:00+05:30',
    remark: '',
    additional: {
      latest_status: { clickpost_status_code: 6, clickpost_status_description: 'OutForDelivery', timestamp: '2026-11-28T08:00:00+05:30' }
    }
  }
  it('checks webhook_key', () => {
    expect(() => clickpostWebhook.verify(req(sample, HOOK), account)).not.toThrow()
    expect(() => clickpostWebhook.verify(req(sample, 'x'), account)).toThrow(expect.objectContaining({ code: 'unauthorized' }))
    expect(() => clickpostWebhook.verify(req(sample), account)).toThrow(expect.objectContaining({ code: 'unauthorized' }))
  })
  it('maps on the code, not the CamelCase text; latest_status with the same code and time is one event', () => {
    const [u] = clickpostWebhook.parse(req(sample))
    expect(u!.events).toHaveLength(1)
    expect(u!.events[0]).toMatchObject({ nativeStatus: '6', label: 'OutForDelivery', at: Date.parse('2026-11-28T02:30:00Z') })
  })
  it.each([
    ['no waybill', { ...sample, waybill: '' }, 'waybill'],
    ['no code', { ...sample, clickpost_status_code: 'x' }, 'clickpost_status_code'],
    ['no time', { ...sample, timestamp: '' }, 'timestamp']
  ])('rejects %s', (_n, b, field) => {
    expect(() => clickpostWebhook.parse(req(b))).toThrow(expect.objectContaining({ code: 'invalid_input', field }))
  })
})

describe('Clickpost warehouse workflow', () => {
  const clock = new ManualClock()
  const logger = captureLogger()
  let sim: ClickpostSim
  let slice: WarehouseSlice
  let db: Database
  beforeAll(async () => {
    sim = await startClickpostSimulator({ clock, username: 'guichet', key: KEY })
    db = openAggregatorDatabase()
    slice = await startWarehouseSlice({
      db,
      clock,
      logger,
      accounts: [
        {
          carrier: 'clickpost',
          alias: 'cp-main',
          baseUrl: sim.url,
          credentials: { username: 'guichet', key: KEY, webhookKey: HOOK },
          options: { cpId: 1, ...warehouseOptions(DEMO_WAREHOUSE) }
        }
      ]
    })
    sim.setWebhook(`${slice.receiver.url}/webhooks/clickpost/cp-main`, HOOK)
  })
  afterAll(async () => {
    await slice.close()
    await sim.close()
    db.close()
  })

  it('create gives the AWB at once; label; webhooks; return (RVP) linked to the forward shipment', async () => {
    const o = await slice.service.createOrder('clickpost', 'cp-main', sampleWarehouseOrder('GCH-CP-1'))
    expect(o.awb).toMatch(/^\d{12}$/)
    expect((await slice.service.assignAwb(o.shipmentId!)).awb).toBe(o.awb)
    expect((await slice.service.label(o.shipmentId!)).contentType).toBe('application/pdf')
    clock.advance(HOUR)
    await sim.advance(o.awb!, 6)
    clock.advance(HOUR)
    await sim.advance(o.awb!, 8)
    expect(slice.repo.get(o.shipmentId!)).toMatchObject({ unifiedStatus: 'delivered', nativeStatus: '8' })
    const r = await slice.service.createReturn(o.shipmentId!)
    expect(r).toMatchObject({ direction: 'return', parentShipmentId: o.shipmentId })
    expect(sim.orders.find((x) => x.waybill === r.awb)!.rvp).toBe(true)
    expect(slice.repo.get(o.shipmentId!)!.unifiedStatus).toBe('return')
  })

  it('after a crash a pending Clickpost create stops for the clerk instead of risking a twin (no lookup by reference)', async () => {
    db.prepare(
      `INSERT INTO aggregator_orders (carrier, account, direction, reference, state, request, attempts, created_at, updated_at) VALUES ('clickpost','cp-main','forward','GCH-CP-2','pending',?,1,0,0)`
    ).run(JSON.stringify(sampleWarehouseOrder('GCH-CP-2')))
    await expect(slice.service.createOrder('clickpost', 'cp-main', sampleWarehouseOrder('GCH-CP-2'))).rejects.toMatchObject({
      code: 'conflict'
    })
    expect(sim.orders.some((x) => x.reference === 'GCH-CP-2')).toBe(false)
  })
})
