import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DAY, ManualClock } from '../../platform/clock'
import { captureError, captureLogger, findLeaks, simulatedSleep } from '../testing/capture.testkit'
import { CarrierError, type WebhookRequest } from '../types'
import { createShiprocketAdapter, SHIPROCKET_BASE_URL, type ShiprocketAdapter } from './client'
import { shiprocketTime } from './wire'
import { sampleShiprocketOrder, sampleShiprocketReturn } from './samples.testkit'
import { startShiprocketSimulator, type ShiprocketSim } from './sim/simulator'
import { shiprocketWebhook } from './webhook'

const PASSWORD = 'sr-pass-Q7!x9LmZ'
const EMAIL = 'api@warehouse-north.in'
const HOOK_TOKEN = 'sr-hook-tok-51aa0c'

async function expectCarrierError(p: Promise<unknown>, code: string): Promise<CarrierError> {
  try {
    await p
  } catch (e) {
    captureError(e)
    expect(e).toBeInstanceOf(CarrierError)
    expect((e as CarrierError).code).toBe(code)
    return e as CarrierError
  }
  throw new Error(`expected a CarrierError ${code}`)
}

const hook = (body: unknown, key?: string): WebhookRequest => ({
  headers: key ? { 'x-api-key': key } : {},
  rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  query: new URLSearchParams()
})

describe('Shiprocket adapter against its simulator', () => {
  const clock = new ManualClock()
  const logger = captureLogger()
  let sim: ShiprocketSim
  let sr: ShiprocketAdapter
  const account = () => ({
    carrier: 'shiprocket' as const,
    alias: 'warehouse-north',
    baseUrl: sim.apiBase,
    credentials: { email: EMAIL, password: PASSWORD, webhookToken: HOOK_TOKEN }
  })

  beforeAll(async () => {
    sim = await startShiprocketSimulator({ clock, users: { [EMAIL]: PASSWORD } })
    sr = createShiprocketAdapter(account(), { now: () => clock.now(), logger, sleep: simulatedSleep(clock), timeoutMs: 2000 })
  })
  afterAll(async () => {
    await sim.close()
    expect(findLeaks([PASSWORD, HOOK_TOKEN])).toEqual([])
  })

  it('logs in once, reuses the token, and logs in again as the 10-day validity ends', async () => {
    await sr.track(['0000'])
    await sr.track(['0001'])
    expect(sim.logins).toBe(1)
    clock.advance(9 * DAY + 1)
    await sr.track(['0002'])
    expect(sim.logins).toBe(2)
  })

  it('speaks under the documented base /v1/external: a base without it is the 404 the real server gives', async () => {
    expect(SHIPROCKET_BASE_URL).toBe('https://apiv2.shiprocket.in/v1/external')
    expect(sim.log.at(-1)!.url.startsWith('/v1/external/')).toBe(true)
    const bare = createShiprocketAdapter({ ...account(), baseUrl: sim.url }, { now: () => clock.now(), logger, timeoutMs: 2000 })
    const e = await expectCarrierError(bare.createOrder(sampleShiprocketOrder('X-404')), 'not_found')
    expect(e.message).not.toContain(PASSWORD)
    expect((await fetch(`${sim.url}/auth/login`, { method: 'POST' })).status).toBe(404)
  })

  it('refuses a wrong password as unauthorized, without the password in the message', async () => {
    const bad = createShiprocketAdapter(
      { ...account(), credentials: { email: EMAIL, password: 'wrong-pass-123' } },
      { now: () => clock.now(), logger }
    )
    const e = await expectCarrierError(bad.createOrder(sampleShiprocketOrder('X-1')), 'unauthorized')
    expect(e.message).not.toContain('wrong-pass-123')
  })

  it('creates an order (Shiprocket ids back), and a repeat makes a second order: no idempotency upstream', async () => {
    const a = await sr.createOrder(sampleShiprocketOrder('GCH-1001'))
    expect(a).toMatchObject({ status: 'NEW', statusCode: 1 })
    expect(a.orderId).toBeGreaterThan(0)
    const b = await sr.createOrder(sampleShiprocketOrder('GCH-1001'))
    expect(b.orderId).not.toBe(a.orderId)
    expect(sim.orders.filter((o) => o.channelOrderId === 'GCH-1001')).toHaveLength(2)
    expect(await sr.findOrder('GCH-1001')).toMatchObject({ orderId: a.orderId, shipmentId: a.shipmentId, awb: null })
    expect(await sr.findOrder('GCH-none')).toBeNull()
  })

  it('checks the order before spending a call (sub_total is not computed, dimensions > 0.5)', async () => {
    const before = sim.log.length
    expect((await expectCarrierError(sr.createOrder(sampleShiprocketOrder('GCH-1002', { sub_total: 0 })), 'invalid_input')).field).toBe(
      'sub_total'
    )
    expect((await expectCarrierError(sr.createOrder(sampleShiprocketOrder('GCH-1002', { height: 0.4 })), 'invalid_input')).field).toBe(
      'height'
    )
    expect((await expectCarrierError(sr.createOrder(sampleShiprocketOrder('x'.repeat(51))), 'invalid_input')).field).toBe('order_id')
    expect(sim.log.length).toBe(before)
  })

  it('reads the 422 shape (field errors) and the 400 shape (message)', async () => {
    const { billing_email: _drop, ...noEmail } = sampleShiprocketOrder('GCH-1003')
    const res = await fetch(`${sim.apiBase}/orders/create/adhoc`, { method: 'POST' })
    expect(res.status).toBe(401)
    // Bypass the local check to see the carrier's answer.
    const e422 = await expectCarrierError(sr.createReturn({ ...sampleShiprocketReturn('R-1'), pickup_city: '' }), 'invalid_input')
    expect(e422.field).toBe('pickup_city')
    expect(e422.message).toContain('pickup_city')
    const e400 = await expectCarrierError(
      sr.createOrder({ ...sampleShiprocketOrder('GCH-1003'), pickup_location: 'Nowhere' }),
      'carrier_refused'
    )
    expect(e400.message).toContain('Wrong Pickup location')
    expect(noEmail).not.toHaveProperty('billing_email')
  })

  it('assigns an AWB (the same one on a repeat), generates the label URL and downloads a real PDF', async () => {
    const o = await sr.createOrder(sampleShiprocketOrder('GCH-2001'))
    const awb = await sr.assignAwb(o.shipmentId)
    expect(awb.awb).toMatch(/^\d{14}$/)
    expect(awb.courierName).toBe('Delhivery Surface')
    expect((await sr.assignAwb(o.shipmentId)).awb).toBe(awb.awb)
    const lbl = await sr.generateLabel([o.shipmentId])
    expect(lbl.url).toContain(`${awb.awb}.pdf`)
    const pdf = await sr.fetchLabel(lbl.url)
    expect(pdf.contentType).toBe('application/pdf')
    expect(Buffer.from(pdf.data).subarray(0, 5).toString()).toBe('%PDF-')
    const byAwb = await sr.label!(awb.awb)
    expect(byAwb.data.length).toBe(pdf.data.length)
  })

  it('errors: assign AWB without shipment id (422), unknown shipment (400), label before AWB', async () => {
    await expectCarrierError(sr.assignAwb(0), 'invalid_input')
    await expectCarrierError(sr.assignAwb(999), 'carrier_refused')
    const o = await sr.createOrder(sampleShiprocketOrder('GCH-2002'))
    await expectCarrierError(sr.generateLabel([o.shipmentId]), 'carrier_refused')
  })

  it('tracks one AWB and up to 50 in one call, in shipment-status ids; unknown AWBs are not_found', async () => {
    const o = await sr.createOrder(sampleShiprocketOrder('GCH-3001'))
    const { awb } = await sr.assignAwb(o.shipmentId)
    clock.advance(3_600_000)
    await sim.advance(awb, 42, { notify: false })
    clock.advance(3_600_000)
    await sim.advance(awb, 18, { notify: false })
    const [one] = await sr.track([awb])
    if (!one!.ok) throw new Error(`tracking failed: ${one!.error.message}`)
    expect(one!.events.map((e) => e.nativeStatus)).toEqual(['shipment:18', 'shipment:42', 'shipment:5'])
    expect(one!.current?.nativeStatus).toBe('shipment:18')
    const calls = sim.log.length
    const many = await sr.track([awb, '12345678901234'])
    expect(sim.log.length).toBe(calls + 1)
    expect(many.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ok', 'not_found'])
    const sixty = Array.from({ length: 60 }, (_, i) => String(1e13 + i))
    const before = sim.log.length
    const r = await sr.track(sixty)
    expect(r).toHaveLength(60)
    expect(sim.log.length).toBe(before + 2)
  })

  it('cancels by AWB', async () => {
    const o = await sr.createOrder(sampleShiprocketOrder('GCH-4001'))
    const { awb } = await sr.assignAwb(o.shipmentId)
    await sr.cancel!(awb, { idempotencyKey: 'k' })
    expect(sim.orders.find((x) => x.awb === awb)!.cancelled).toBe(true)
    await expectCarrierError(sr.cancelAwbs([]), 'invalid_input')
  })

  it('creates a return and its return AWB; a reused return order id is a 422', async () => {
    const r = await sr.createReturn(sampleShiprocketReturn('RET-GCH-2001'))
    expect(r).toMatchObject({ status: 'RETURN PENDING', statusCode: 21 })
    const awb = await sr.assignAwb(r.shipmentId, { isReturn: true })
    expect(awb.awb).toMatch(/^\d+$/)
    const e = await expectCarrierError(sr.createReturn(sampleShiprocketReturn('RET-GCH-2001')), 'invalid_input')
    expect(e.message).toContain('already been taken')
  })

  it('maps a 429 to rate_limited after the core retries', async () => {
    const limited = createShiprocketAdapter(account(), { now: () => clock.now(), logger, sleep: simulatedSleep(clock), maxRetries: 0 })
    await limited.login()
    sim.inject({ kind: 'http_429', match: '/courier/track', times: 1 })
    const [r] = await limited.track(['19041424751540'])
    expect(r!.ok ? 'ok' : r!.error.code).toBe('rate_limited')
  })

  it('turns a server error page and malformed JSON into typed carrier errors', async () => {
    sim.inject({ kind: 'wrong_content_type', match: '/orders/create/adhoc' })
    await expectCarrierError(sr.createOrder(sampleShiprocketOrder('GCH-5001')), 'carrier_error')
    sim.inject({ kind: 'malformed_json', match: '/orders/create/adhoc' })
    await expectCarrierError(sr.createOrder(sampleShiprocketOrder('GCH-5002')), 'carrier_error')
  })
})

describe('Shiprocket webhook', () => {
  const account = { carrier: 'shiprocket' as const, alias: 'a', baseUrl: 'http://127.0.0.1:1', credentials: { webhookToken: HOOK_TOKEN } }
  const sample = {
    awb: '19041424751540',
    courier_name: 'Delhivery Surface',
    current_status: 'IN TRANSIT',
    current_status_id: 20,
    shipment_status: 'IN TRANSIT',
    shipment_status_id: 18,
    current_timestamp: '23 05 2023 11:43:52',
    order_id: '1373900_150876814',
    sr_order_id: 348456385,
    is_return: 0,
    scans: [
      {
        date: '2023-05-19 11:59:16',
        status: 'X-UCI',
        activity: 'Manifested - Manifest uploaded',
        location: 'Chomu_SamodRd_D (Rajasthan)',
        'sr-status': '5',
        'sr-status-label': 'MANIFEST GENERATED'
      }
    ]
  }

  it('checks x-api-key in constant time; a missing or wrong key, or no configured token, is unauthorized', () => {
    expect(() => shiprocketWebhook.verify(hook(sample, HOOK_TOKEN), account)).not.toThrow()
    for (const k of [undefined, 'nope', HOOK_TOKEN + 'x']) {
      const e = (() => {
        try {
          shiprocketWebhook.verify(hook(sample, k), account)
        } catch (x) {
          return x as CarrierError
        }
        return null
      })()
      expect(e?.code).toBe('unauthorized')
    }
    expect(() => shiprocketWebhook.verify(hook(sample, HOOK_TOKEN), { ...account, credentials: {} })).toThrow(/No webhook token/)
    expect(() =>
      shiprocketWebhook.verify(hook(sample, HOOK_TOKEN), { ...account, credentials: { webhook_token: HOOK_TOKEN } })
    ).not.toThrow()
  })

  it('parses the official sample: shipment_status_id in the shipment scheme, IST time, one event', () => {
    const [u] = shiprocketWebhook.parse(hook(sample))
    expect(u!.trackingNumber).toBe('19041424751540')
    expect(u!.events).toHaveLength(1)
    expect(u!.events[0]).toMatchObject({
      nativeStatus: 'shipment:18',
      label: 'IN TRANSIT',
      at: Date.parse('2023-05-23T11:43:52+05:30'),
      waybill: '19041424751540'
    })
    expect(shiprocketTime('23 05 2023 11:43:52')).toBe(Date.parse('2023-05-23T06:13:52Z'))
  })

  it('return notifications (is_return 1) become return:<id> (RETURN_PICKED_UP)', () => {
    const [u] = shiprocketWebhook.parse(hook({ ...sample, is_return: 1, shipment_status_id: 42, shipment_status: 'PICKED UP' }))
    expect(u!.events[0]).toMatchObject({ nativeStatus: 'return:42', label: 'RETURN_PICKED_UP' })
  })

  it.each([
    ['not JSON', '{oops', undefined],
    ['an array', '[]', undefined],
    ['no awb', { ...sample, awb: '' }, 'awb'],
    ['no time', { ...sample, current_timestamp: 'yesterday' }, 'current_timestamp'],
    ['no status', { ...sample, shipment_status_id: null, current_status_id: null }, 'shipment_status_id']
  ])('rejects %s with a typed invalid_input', (_n, body, field) => {
    try {
      shiprocketWebhook.parse(hook(body))
      throw new Error('accepted')
    } catch (e) {
      expect(e).toBeInstanceOf(CarrierError)
      expect((e as CarrierError).code).toBe('invalid_input')
      expect((e as CarrierError).field).toBe(field)
    }
  })
})
