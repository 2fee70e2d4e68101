import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../platform/clock'
import { CarrierError, type CarrierAccount } from '../types'
import { captureError, captureLogger, findLeaks, simulatedSleep, TEST_SECRETS } from '../testing/capture.testkit'
import { createExpressRelaisAdapter, type ErOrderInput, type ExpressRelaisAdapter } from './client'
import { startExpressRelaisSimulator, type ExpressRelaisSim } from './sim/simulator'

const USER = TEST_SECRETS[2]
const PASS = TEST_SECRETS[1]
const PICKUP = {
  pickupCity: 'Casablanca',
  pickupAddress: '27 Rue Ibnou Mounir',
  pickupContact: 'Relais Maarif',
  pickupPhone: '0522000000',
  pickupEmail: 'maarif@example.ma'
}

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

describe('Express Relais adapter against its simulator', () => {
  const clock = new ManualClock()
  const logger = captureLogger()
  let sim: ExpressRelaisSim
  let er: ExpressRelaisAdapter
  const account = (
    options: Record<string, unknown> = {},
    credentials: Record<string, string> = { username: USER, password: PASS }
  ): CarrierAccount => ({
    carrier: 'express-relais',
    alias: 'default',
    baseUrl: sim.url,
    credentials,
    options: { enabled: true, ...PICKUP, ...options }
  })
  const make = (a: CarrierAccount) =>
    createExpressRelaisAdapter(a, { now: () => clock.now(), logger, sleep: simulatedSleep(clock), timeoutMs: 2000 })

  beforeAll(async () => {
    sim = await startExpressRelaisSimulator({ clock, username: USER, password: PASS })
    er = make(account())
  })
  afterAll(async () => {
    await sim.close()
    expect(findLeaks()).toEqual([])
  })

  it('checks credentials with Basic auth', async () => {
    expect(await er.checkCredentials()).toBe(true)
    expect(await make(account({}, { username: USER, password: 'wrong-password-1' })).checkCredentials()).toBe(false)
    const r = await make(account({}, { username: USER, password: 'wrong-password-1' })).track(['ERMA2611240042'])
    expect(r[0]!.ok === false && r[0]!.error.code).toBe('unauthorized')
  })

  it('tracks one parcel with its full status log, waybills and delivery point', async () => {
    const [r] = await er.track(['ERMA2611240042'])
    if (!r!.ok) throw r!.error
    expect(r!.events.map((e) => e.nativeStatus)).toEqual([
      'NEW_ORDER',
      'ORDER_CONFIRMED',
      'PARCEL_PICKEDUP',
      'PARCEL_IN_AGENCY',
      'PARCEL_IN_TRANSIT',
      'PARCEL_IN_FINAL_AGENCY',
      'PARCEL_IN_DELIVERY',
      'WAITING_IN_LOCKER'
    ])
    expect(r!.events[0]!.waybill).toBeNull()
    expect(r!.events[2]!.waybill).toBe('WB11240042')
    expect(r!.events.at(-1)!.description).toBe('The package waiting for pickup from the automated locker')
    expect(r!.point).toMatchObject({ id: 'ER-CAS-0142', name: 'Relais Maarif – Librairie Al Amal' })
    clock.advance(2 * 60_000)
    const [again] = await er.track(['ERMA2611240042'])
    expect(again!.ok && again!.current?.nativeStatus).toBe('WAITING_COD')
  })

  it('reads the status log alone (history), and not_found for an unknown parcel', async () => {
    const h = await er.history!('ERMA2611230031')
    expect(h[0]!.nativeStatus).toBe('NEW_ORDER')
    expect(h.filter((e) => e.waybill).every((e) => e.waybill === 'WB11230031')).toBe(true)
    await expectCarrierError(er.history!('ERMA0000000000'), 'not_found')
  })

  it('tracks many parcels in one call; unknown ones get not_found', async () => {
    const r = await er.track(['ERMA2611230031', 'ERMA2611180012', 'ERMA0000000000'])
    expect(r.map((x) => x.ok)).toEqual([true, true, false])
    expect(r[1]!.ok && r[1]!.current?.nativeStatus).toBe('PARCEL_RETRIEVED')
    expect(r[1]!.ok && r[1]!.point?.type).toBe('locker')
    expect(r[2]!.ok === false && r[2]!.error.code).toBe('not_found')
    expect((await er.status('ERMA2611230031')).status).toBeTruthy()
    await expectCarrierError(er.status('ERMA0000000000'), 'not_found')
  })

  it('lists lockers and relay points, by city', async () => {
    const all = await er.lockers()
    expect(all.length).toBeGreaterThanOrEqual(3)
    const rabat = await er.lockers('Rabat')
    expect(rabat.map((p) => p.id)).toEqual(['SL-RBA-003'])
  })

  it('searches points near a position (points_search) and gets one by id', async () => {
    expect(er.capabilities.has('points_search')).toBe(true)
    const near = await er.searchPoints!({ country: 'MA', position: { lat: 33.5855, lon: -7.6326 }, radiusM: 5000 })
    expect(near.map((p) => p.id)).toEqual(['SL-CAS-007', 'ER-CAS-0142'])
    expect(near[0]).toMatchObject({ carrier: 'express-relais', account: 'default', type: 'locker', country: 'MA', zip: '20100' })
    expect(near[0]!.distanceM).toBeLessThan(near[1]!.distanceM!)
    expect((await er.searchPoints!({ country: 'MA', types: ['locker'] })).every((p) => p.type === 'locker')).toBe(true)
    expect(await er.searchPoints!({ country: 'FR', city: 'Paris' })).toEqual([])
    expect((await er.getPoint!('ER-CAS-0142'))?.name).toBe('Relais Maarif – Librairie Al Amal')
    expect(await er.getPoint!('NOPE')).toBeNull()
  })

  const order: ErOrderInput = {
    idParcelClient: 'CMD-MA-20001',
    firstName: 'Salma',
    lastName: 'Tazi',
    mobile: '0612345678',
    delivery: { type: 'LOCKER', lockerId: 'SL-CAS-007' },
    cashOnDelivery: 199,
    weightKg: 2
  }

  it('creates to a locker and to an address, adding the mobile prefix', async () => {
    const a = await er.createShipment(order)
    expect(a.trackingNumber).toBe('CMD-MA-20001')
    expect(a.status.status).toBe('NEW_ORDER')
    expect(sim.log.at(-1)!.url).toBe('/createAioOrder')
    const b = await er.createShipment({
      ...order,
      idParcelClient: 'CMD-MA-20002',
      mobile: '+212 7 00 11 22 33',
      delivery: { type: 'ADDRESS', city: 'Rabat', address: '3 Avenue de France' }
    })
    expect(b.status.deliveryPoint).toBeNull()
    // A repeat of an existing id is refused by the carrier (409).
    await expectCarrierError(er.createShipment(order), 'carrier_refused')
    // Unknown locker: the carrier's 400 names the field.
    const e = await expectCarrierError(
      er.createShipment({ ...order, idParcelClient: 'CMD-MA-20003', delivery: { type: 'LOCKER', lockerId: 'NOPE' } }),
      'invalid_input'
    )
    expect(e.field).toBe('smartLocker')
    await expectCarrierError(er.createShipment({ ...order, idParcelClient: 'CMD-MA-20004', weightKg: 25 }), 'invalid_input')
  })

  it('offers delivery only to mobiles with an allowed prefix', async () => {
    expect(er.offersDeliveryTo('+2126123456789')).toBe(true)
    expect(er.offersDeliveryTo('0712345678')).toBe(true)
    expect(er.offersDeliveryTo('0522123456')).toBe(false)
    expect(er.offersDeliveryTo('+33612345678')).toBe(false)
    const e = await expectCarrierError(
      er.createShipment({ ...order, idParcelClient: 'CMD-MA-20005', mobile: '0522123456' }),
      'invalid_input'
    )
    expect(e.field).toBe('mobile')
    const custom = make(account({ allowedMobilePrefixes: '2125' }))
    expect(custom.offersDeliveryTo('0522123456')).toBe(true)
    expect(custom.offersDeliveryTo('0612345678')).toBe(false)
  })

  it('refuses creation, naming each missing pickup field, until they are filled', async () => {
    const before = sim.log.length
    const bare = make(account({ pickupCity: '', pickupAddress: '', pickupContact: '', pickupPhone: '', pickupEmail: '' }))
    const e = await expectCarrierError(bare.createShipment({ ...order, idParcelClient: 'CMD-MA-20006' }), 'invalid_input')
    for (const f of ['pickupCity', 'pickupAddress', 'pickupContact', 'pickupPhone', 'pickupEmail']) expect(e.message).toContain(f)
    const half = make(account({ pickupPhone: '', pickupEmail: '' }))
    const e2 = await expectCarrierError(half.createShipment({ ...order, idParcelClient: 'CMD-MA-20006' }), 'invalid_input')
    expect(e2.message).toMatch(/pickupPhone, pickupEmail$/)
    expect(sim.log.length).toBe(before)
    const full = make(account())
    expect((await full.createShipment({ ...order, idParcelClient: 'CMD-MA-20006' })).trackingNumber).toBe('CMD-MA-20006')
  })

  it('cancels before pickup only; requests returns once delivered or waiting', async () => {
    await er.cancel!('CMD-MA-20001', { idempotencyKey: 'c1' })
    expect(sim.statusOf('CMD-MA-20001')).toBe('ORDER_CANCELED')
    await expectCarrierError(er.cancel!('ERMA2611230031', { idempotencyKey: 'c2' }), 'carrier_refused')
    await expectCarrierError(er.cancel!('ERMA0000000000', { idempotencyKey: 'c3' }), 'not_found')
    expect(await er.requestReturn!('ERMA2611180012', { idempotencyKey: 'r1' })).toMatchObject({ accepted: true })
    expect(sim.statusOf('ERMA2611180012')).toBe('PARCEL_TO_RETURN')
    expect((await er.requestReturn!('ERMA2611270055', { idempotencyKey: 'r2' })).accepted).toBe(false)
  })

  it('does nothing while switched off', async () => {
    const off = make(account({ enabled: false }))
    const [r] = await off.track(['ERMA2611240042'])
    expect(r!.ok === false && r!.error.code).toBe('unsupported')
    await expectCarrierError(off.createShipment({ ...order, idParcelClient: 'CMD-MA-20009' }), 'unsupported')
  })

  it('bad settings are a typed error that never echoes the password', () => {
    try {
      make(account({ maxCheckDays: 0 }))
      throw new Error('expected an error')
    } catch (e) {
      captureError(e)
      expect(e).toBeInstanceOf(CarrierError)
      expect((e as CarrierError).field).toBe('maxCheckDays')
    }
  })
})
