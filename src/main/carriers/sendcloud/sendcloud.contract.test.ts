import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../platform/clock'
import { EventBus } from '../../platform/events'
import { silentLogger } from '../../platform/logger'
import { StatusPipeline } from '../../core/pipeline/pipeline'
import { memoryStore } from '../../core/pipeline/pipeline.testkit'
import { CarrierError, mapStatus, type CarrierAccount, type WebhookRequest } from '../types'
import { captureError, captureLogger, findLeaks, simulatedSleep } from '../testing/capture.testkit'
import { createSendcloudAdapter, type SendcloudAdapter } from './client'
import { sendcloudMapping } from './mapping'
import { startSendcloudSimulator, type SendcloudSim } from './sim/simulator'
import { sendcloudWebhook, signSendcloud } from './webhook'

const PUBLIC = 'sc-public-5e1d0a'
const SECRET = 'sc-secret-Hq7!x2Lm9vB4'

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

describe('Sendcloud adapter against its simulator', () => {
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 9, 0, 0)) // a Friday
  const logger = captureLogger()
  let sim: SendcloudSim
  let sc: SendcloudAdapter
  let account: CarrierAccount

  beforeAll(async () => {
    sim = await startSendcloudSimulator({ clock, keys: [{ publicKey: PUBLIC, secretKey: SECRET }] })
    account = { carrier: 'sendcloud', alias: 'default', baseUrl: sim.url, credentials: { public_key: PUBLIC, secret_key: SECRET } }
    sc = createSendcloudAdapter(account, { now: () => clock.now(), logger, sleep: simulatedSleep(clock), timeoutMs: 2000, maxRetries: 1 })
  })
  afterAll(async () => {
    await sim.close()
    expect(findLeaks([SECRET, Buffer.from(`${PUBLIC}:${SECRET}`).toString('base64')])).toEqual([])
  })

  it('searches service points by postal code across the integration carriers, nearest first, with hours and flags', async () => {
    const pts = await sc.searchPoints({ country: 'NL', postalCode: '5611', radiusM: 3000 })
    expect(pts.map((p) => p.id)).toEqual(expect.arrayContaining(['10001', '10002', '10003', '10004']))
    const d = pts.map((p) => p.distanceM!)
    expect([...d].sort((a, b) => a - b)).toEqual(d)
    const locker = pts.find((p) => p.id === '10002')!
    expect(locker).toMatchObject({
      carrier: 'sendcloud',
      type: 'locker',
      street: 'Stationsplein',
      houseNo: '17',
      zip: '5611 AC',
      city: 'Eindhoven',
      country: 'NL',
      carrierPointCode: 'postnl:PL-5611-01'
    })
    const shop = pts.find((p) => p.id === '10001')!
    expect(shop.type).toBe('counter')
    expect(shop.openingTimes!.sunday).toEqual([])
    expect(shop.openingTimes!.friday).toEqual([{ from: '09:00', to: '21:00' }])
    expect(shop.openTomorrow).toBe(true) // Saturday 10-17
    expect(shop.openThisWeek).toBe(true)
    const lockers = await sc.searchPoints({ country: 'NL', postalCode: '5611', types: ['locker'] })
    expect(lockers.every((p) => p.type === 'locker')).toBe(true)
    const byPos = await sc.searchPoints({ country: 'FR', position: { lat: 48.8634, lon: 2.3622 }, radiusM: 200 })
    expect(byPos[0]).toMatchObject({ id: '20001', distanceM: 0 })
  })

  it('says what is wrong with a search: no place, bad country, carrier not enabled, address unknown', async () => {
    await expectCarrierError(sc.searchPoints({ country: 'NL' }), 'invalid_input')
    await expectCarrierError(sc.searchPoints({ country: 'Netherlands', postalCode: '5611' }), 'invalid_input')
    const only = createSendcloudAdapter(
      { ...account, options: { servicePointCarriers: ['colissimo'] } },
      { now: () => clock.now(), logger }
    )
    const e = await expectCarrierError(only.searchPoints({ country: 'FR', postalCode: '75003' }), 'invalid_input')
    expect(e.message).toContain('colissimo')
    await expectCarrierError(sc.searchPoints({ country: 'NL', postalCode: '9999 ZZ' }), 'not_found')
  })

  it('reads one point and its availability; an unknown point is null', async () => {
    expect(await sc.getPoint('20002')).toMatchObject({ id: '20002', type: 'locker', city: 'Paris', distanceM: null })
    expect(await sc.getPoint('424242')).toBeNull()
    expect(await sc.checkAvailability('10001')).toBe(true)
    expect(await sc.checkAvailability('10004')).toBe(false)
    await expectCarrierError(sc.checkAvailability('424242'), 'not_found')
  })

  it('creates a parcel to a service point, idempotent on external_reference', async () => {
    const input = {
      externalReference: 'GCH-0001',
      orderNumber: 'CMD-1',
      name: 'Sanne de Vries',
      address: 'Kerkstraat',
      houseNumber: '3',
      city: 'Eindhoven',
      postalCode: '5611 GH',
      country: 'NL',
      email: 'sanne@example.nl',
      servicePointId: 10001,
      shippingMethodId: 1318,
      weightKg: 1.2
    }
    const p = await sc.createParcel(input)
    expect(p).toMatchObject({
      carrier: 'postnl',
      statusId: 1000,
      statusMessage: 'Ready to send',
      servicePointId: '10001',
      externalReference: 'GCH-0001'
    })
    const again = await sc.createParcel(input)
    expect(again.id).toBe(p.id)
    expect(sim.parcels.size).toBe(1)
  })

  it('needs to_post_number for a locker, and refuses a method that does not serve the point', async () => {
    const base = {
      externalReference: 'GCH-0002',
      name: 'Jan Jansen',
      address: 'Markt',
      houseNumber: '1',
      city: 'Eindhoven',
      postalCode: '5611 EB',
      country: 'NL',
      servicePointId: 10002,
      shippingMethodId: 1318
    }
    const e = await expectCarrierError(sc.createParcel(base), 'invalid_input')
    expect(e.field).toBe('to_post_number')
    const ok = await sc.createParcel({ ...base, postNumber: '12345678' })
    expect(ok.servicePointId).toBe('10002')
    await expectCarrierError(
      sc.createParcel({ ...base, externalReference: 'GCH-0003', servicePointId: 10003, shippingMethodId: 1318 }),
      'invalid_input'
    )
    await expectCarrierError(sc.createParcel({ ...base, externalReference: 'GCH-0004', servicePointId: 99 }), 'invalid_input')
    await expectCarrierError(sc.createParcel({ ...base, externalReference: ' ' }), 'invalid_input')
  })

  it('fetches the label as PDF and as ZPL at the chosen dpi; refuses an odd dpi', async () => {
    const p = await sc.createParcel({
      externalReference: 'GCH-0010',
      name: 'Piet',
      address: 'Markt',
      houseNumber: '2',
      city: 'Eindhoven',
      postalCode: '5611 EB',
      country: 'NL',
      servicePointId: 10003,
      shippingMethodId: 1442
    })
    const pdf = await sc.labelDocument(p.id, { format: 'pdf' })
    expect(pdf.data.subarray(0, 5).toString()).toBe('%PDF-')
    const zpl = await sc.labelDocument(p.id, { format: 'zpl', dpi: 300 })
    expect(zpl.contentType).toBe('application/zpl')
    expect(zpl.data.toString()).toContain(`^FD${p.trackingNumber}^FS`)
    await expectCarrierError(sc.labelDocument(p.id, { format: 'pdf', dpi: 99 as never }), 'invalid_input')
    await expectCarrierError(sc.labelDocument(1, { format: 'pdf' }), 'not_found')
    const byTracking = await sc.label!(p.trackingNumber)
    expect(Buffer.from(byTracking.data).subarray(0, 4).toString()).toBe('%PDF')
  })

  it('tracks by tracking number: 12 is waiting at the point, 93 collected', async () => {
    const p = await sc.createParcel({
      externalReference: 'GCH-0020',
      name: 'Eva',
      address: 'Markt',
      houseNumber: '4',
      city: 'Eindhoven',
      postalCode: '5611 EB',
      country: 'NL',
      servicePointId: 10001,
      shippingMethodId: 1318
    })
    await sim.setStatus(p.id, 12)
    const [r] = await sc.track([p.trackingNumber])
    if (!r!.ok) throw new Error('unreachable')
    expect(r!.current).toMatchObject({ nativeStatus: '12', label: 'Awaiting customer pickup' })
    expect(mapStatus(sendcloudMapping, r!.current!.nativeStatus)).toMatchObject({
      unified: 'shipping_in_progress',
      kind: 'waiting_at_point',
      known: true
    })
    expect(mapStatus(sendcloudMapping, '93')).toMatchObject({ unified: 'delivered', known: true })
    const [u] = await sc.track(['NOPE123'])
    expect(u!.ok).toBe(false)
  })

  it('refuses wrong keys with unauthorized, and diagnostics say why the point map stays empty', async () => {
    const bad = createSendcloudAdapter(
      { ...account, credentials: { public_key: PUBLIC, secret_key: 'wrong-secret-xyz' } },
      { now: () => clock.now(), logger }
    )
    await expectCarrierError(bad.searchPoints({ country: 'NL', postalCode: '5611' }), 'unauthorized')
    const d = await bad.diagnose()
    expect(d.credentialsValid).toBe(false)
    expect(d.problems.join(' ')).toMatch(/keys are refused/)
    expect(d.lastErrors[0]!.code).toBe('unauthorized')
    expect(JSON.stringify(d)).not.toContain('wrong-secret-xyz')

    expect(await sc.diagnose()).toMatchObject({ credentialsValid: true, servicePointsEnabled: true, problems: [] })
    sim.configure({ servicePointEnabled: false })
    const off = await sc.diagnose()
    expect(off.servicePointsEnabled).toBe(false)
    expect(off.problems.join(' ')).toMatch(/service points/)
    await expectCarrierError(sc.searchPoints({ country: 'NL', postalCode: '5611' }), 'invalid_input')
    sim.configure({ servicePointEnabled: true, carriers: [] })
    expect((await sc.diagnose()).problems.join(' ')).toMatch(/No carrier/)
    sim.configure({ carriers: ['postnl', 'dhl', 'mondial_relay', 'bpost'] })
  })

  it('keeps within the write budget: the 16th write in a second waits (limiter), the simulator answers 429 past the burst', async () => {
    const fast = createSendcloudAdapter(account, { now: () => clock.now(), logger, sleep: simulatedSleep(clock), maxQueueWaitMs: 0 })
    const results = await Promise.allSettled(Array.from({ length: 16 }, (_, i) => fast.checkAvailability(String(10001 + (i % 3)))))
    const refused = results.filter((r) => r.status === 'rejected')
    expect(refused.length).toBeGreaterThanOrEqual(1)
    refused.forEach((r) => captureError((r as PromiseRejectedResult).reason))
    expect(((refused[0] as PromiseRejectedResult).reason as CarrierError).code).toBe('rate_limited')
    clock.advance(2000)
    // Raw calls past the burst: the simulator itself refuses with 429 and Retry-After.
    const auth = `Basic ${Buffer.from(`${PUBLIC}:${SECRET}`).toString('base64')}`
    const codes: number[] = []
    for (let i = 0; i < 16; i++)
      codes.push(
        (await fetch(`${sim.url}/api/v3/service-points/10001/check-availability`, { method: 'POST', headers: { authorization: auth } }))
          .status
      )
    expect(codes.filter((c) => c === 429).length).toBe(1)
    clock.advance(2000)
  })

  it('turns server faults into typed errors', async () => {
    sim.inject({ kind: 'wrong_content_type', match: '/api/v3/service-points' })
    sim.inject({ kind: 'wrong_content_type', match: '/api/v3/service-points' })
    const e = await expectCarrierError(sc.searchPoints({ country: 'NL', postalCode: '5611' }), 'carrier_error')
    expect(e.retryable).toBe(true)
    sim.clearFaults()
  })
})

describe('Sendcloud parcel_status_changed webhook', () => {
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 9, 0, 0))
  const account: CarrierAccount = {
    carrier: 'sendcloud',
    alias: 'default',
    baseUrl: 'http://127.0.0.1:1',
    credentials: { public_key: PUBLIC, secret_key: SECRET }
  }
  const body = (statusId: number, ts = 1764230400000) =>
    JSON.stringify({
      action: 'parcel_status_changed',
      timestamp: ts,
      carrier_status_change_timestamp: ts - 60_000,
      parcel: {
        id: 4000001,
        tracking_number: '3SPOST0004000001',
        status: { id: statusId, message: statusId === 12 ? 'Awaiting customer pickup' : 'Shipment collected by customer' }
      }
    })
  const req = (raw: string, sig?: string): WebhookRequest => ({
    headers: { 'content-type': 'application/json', ...(sig !== undefined ? { 'sendcloud-signature': sig } : {}) },
    rawBody: Buffer.from(raw),
    query: new URLSearchParams()
  })

  function setup() {
    const { db, repo } = memoryStore()
    const pipeline = new StatusPipeline({ db, clock, events: new EventBus(), logger: silentLogger, mappingFor: () => sendcloudMapping })
    const id = repo.insert({
      carrier: 'sendcloud',
      trackingNumber: '3SPOST0004000001',
      recipientName: 'Eva',
      createdAt: clock.now() - 86_400_000
    })
    /** What the local receiver does: verify, parse, feed the pipeline. */
    const receive = (r: WebhookRequest) => {
      sendcloudWebhook.verify(r, account)
      const updates = sendcloudWebhook.parse(r)
      return pipeline.apply({ source: 'webhook', updates: updates.map((u) => ({ shipmentId: id, events: u.events })) })
    }
    const events = () => (db.prepare('SELECT COUNT(*) AS n FROM tracking_events WHERE shipment_id = ?').get(id) as { n: number }).n
    const status = () =>
      db.prepare('SELECT unified_status, status_kind, native_status FROM shipments WHERE id = ?').get(id) as {
        unified_status: string
        status_kind: string
        native_status: string
      }
    return { db, receive, events, status }
  }

  it('accepts a signed payload through the status pipeline: 12 waiting at the point, then 93 collected; a retry is a duplicate', () => {
    const s = setup()
    const raw = body(12)
    expect(s.receive(req(raw, signSendcloud(raw, SECRET))).added).toBe(1)
    expect(s.status()).toMatchObject({ unified_status: 'shipping_in_progress', status_kind: 'waiting_at_point', native_status: '12' })
    expect(s.receive(req(raw, signSendcloud(raw, SECRET))).duplicates).toBe(1)
    const raw2 = body(93, 1764240400000)
    s.receive(req(raw2, signSendcloud(raw2, SECRET).toUpperCase()))
    expect(s.status().unified_status).toBe('delivered')
    s.db.close()
  })

  it('refuses a wrong, missing or tampered signature and changes nothing', () => {
    const s = setup()
    const raw = body(12)
    const before = s.status()
    for (const bad of [
      req(raw, signSendcloud(raw, 'not-the-secret')),
      req(raw),
      req(raw, 'zz'),
      req(raw.replace('"id":12', '"id":93'), signSendcloud(raw, SECRET))
    ]) {
      try {
        s.receive(bad)
        throw new Error('should have been refused')
      } catch (e) {
        expect(e).toBeInstanceOf(CarrierError)
        expect((e as CarrierError).code).toBe('unauthorized')
        expect((e as Error).message).not.toContain(SECRET)
      }
    }
    expect(s.events()).toBe(0)
    expect(s.status()).toEqual(before)
    s.db.close()
  })

  it('uses the webhook signature key when one is set, ignores other actions, refuses malformed bodies', () => {
    const acc = { ...account, credentials: { ...account.credentials, webhook_secret: 'whsk-0000' } }
    const raw = body(12)
    expect(() => sendcloudWebhook.verify(req(raw, signSendcloud(raw, SECRET)), acc)).toThrow(CarrierError)
    expect(() => sendcloudWebhook.verify(req(raw, signSendcloud(raw, 'whsk-0000')), acc)).not.toThrow()
    expect(sendcloudWebhook.parse(req(JSON.stringify({ action: 'integration_updated', timestamp: 1 })))).toEqual([])
    expect(() => sendcloudWebhook.parse(req('{nope'))).toThrow(/not JSON/)
    expect(() =>
      sendcloudWebhook.parse(req(JSON.stringify({ action: 'parcel_status_changed', timestamp: 1, parcel: { status: { id: 12 } } })))
    ).toThrow(/tracking number/)
    const [u] = sendcloudWebhook.parse(
      req(
        JSON.stringify({
          action: 'parcel_status_changed',
          timestamp: 1764230400,
          carrier_status_change_timestamp: null,
          parcel: { id: 1, tracking_number: 'X1', status: { id: 93, message: 'Shipment collected by customer' } }
        })
      )
    )
    expect(u!.events[0]!.at).toBe(1764230400000)
  })

  it('the simulator signs its webhooks the way the handler checks them', async () => {
    const sim = await startSendcloudSimulator({ clock, keys: [{ publicKey: PUBLIC, secretKey: SECRET }] })
    try {
      const sc = createSendcloudAdapter({ ...account, baseUrl: sim.url }, { now: () => clock.now(), logger: silentLogger })
      const p = await sc.createParcel({
        externalReference: 'W-1',
        name: 'Eva',
        address: 'Markt',
        houseNumber: '4',
        city: 'Eindhoven',
        postalCode: '5611 EB',
        country: 'NL',
        servicePointId: 10001,
        shippingMethodId: 1318
      })
      await sim.setStatus(p.id, 12)
      const { body: raw, signature } = sim.webhookFor(p.id)
      const r = req(raw, signature)
      sendcloudWebhook.verify(r, account)
      expect(sendcloudWebhook.parse(r)[0]).toMatchObject({ trackingNumber: p.trackingNumber, events: [{ nativeStatus: '12' }] })
    } finally {
      await sim.close()
    }
  })
})
