import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../platform/clock'
import { CarrierError } from '../types'
import { captureError, captureLogger, CAPTURED, findLeaks, simulatedSleep, TEST_SECRETS } from '../testing/capture.testkit'
import { createEcotrackAdapter, type EcotrackAdapter } from './client'
import { startEcotrackSimulator, type EcotrackSim } from './sim/simulator'

const TOKEN = TEST_SECRETS[0]

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

describe('ECOTRACK adapter against its simulator', () => {
  const clock = new ManualClock()
  let sim: EcotrackSim
  let eco: EcotrackAdapter
  const logger = captureLogger()

  beforeAll(async () => {
    sim = await startEcotrackSimulator({ clock, tokens: [TOKEN], disabledTokens: ['disabled-token-0001'] })
    eco = createEcotrackAdapter(
      { carrier: 'ecotrack', alias: 'default', baseUrl: sim.url, credentials: { token: TOKEN } },
      { now: () => clock.now(), logger, sleep: simulatedSleep(clock), timeoutMs: 2000 }
    )
  })
  afterAll(async () => {
    await sim.close()
    expect(findLeaks()).toEqual([])
  })

  it('checks the token (api_token required), and says when it is invalid or disabled', async () => {
    expect(await eco.checkToken()).toEqual({ valid: true, message: 'VALID_TOKEN' })
    const bad = createEcotrackAdapter(
      { carrier: 'ecotrack', alias: 'x', baseUrl: sim.url, credentials: { token: 'not-a-valid-token-123' } },
      { now: () => clock.now(), logger, sleep: simulatedSleep(clock) }
    )
    expect(await bad.checkToken()).toEqual({ valid: false, message: 'INVALID_TOKEN' })
    const off = createEcotrackAdapter(
      { carrier: 'ecotrack', alias: 'x', baseUrl: sim.url, credentials: { token: 'disabled-token-0001' } },
      { now: () => clock.now(), logger, sleep: simulatedSleep(clock) }
    )
    expect(await off.checkToken()).toEqual({ valid: false, message: 'TOKEN_NOT_ALLOWED' })
    const r = await bad.track(['ECQFLD2611240017'])
    expect(r[0]!.ok ? 'ok' : r[0]!.error.code).toBe('unauthorized')
  })

  it('accepts the token as Bearer or api_token, but requires api_token on get/orders/status', async () => {
    const base = `${sim.url}/api/v1/get/wilayas`
    expect((await fetch(base, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200)
    expect((await fetch(`${base}?api_token=${TOKEN}`)).status).toBe(200)
    expect((await fetch(base)).status).toBe(401)
    const st = `${sim.url}/api/v1/get/orders/status?trackings=ECQFLD2611240017&status=all`
    expect((await fetch(st, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(401)
    expect((await fetch(`${st}&api_token=${TOKEN}`)).status).toBe(200)
    const vt = await fetch(`${sim.url}/api/v1/validate/token`, { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(await vt.json()).toEqual({ success: false, message: 'INVALID_TOKEN' })
  })

  it('tracks many parcels in one status call, with the native status and attempt reasons', async () => {
    const before = sim.log.length
    const r = await eco.track(['ECQFLD2611240017', 'ECQFLD2611220009', 'ECQFLD9999999999'])
    expect(r.map((x) => x.ok)).toEqual([true, true, false])
    const first = r[0]!
    if (!first.ok) throw new Error('unreachable')
    expect(first.current?.nativeStatus).toBe('en_livraison')
    expect(first.point?.type).toBe('stop_desk')
    expect(first.carrierData?.driver_phone).toBeTruthy()
    const unknown = r[2]!
    if (unknown.ok) throw new Error('unreachable')
    expect(unknown.error.code).toBe('not_found')
    expect(sim.log.length - before).toBe(1)
  })

  it('parcels advance on the simulator clock: a minute later the next step shows', async () => {
    clock.advance(2 * 60_000)
    const [r] = await eco.track(['ECQFLD2611240017'])
    if (!r!.ok) throw new Error('unreachable')
    expect(r!.current?.nativeStatus).toBe('en_livraison')
    expect(r!.events.map((e) => e.nativeStatus)).toContain('attempt_delivery')
    const h = await eco.history('ECQFLD2611240017')
    expect(h.map((e) => e.nativeStatus)).toEqual([
      'order_information_received_by_carrier',
      'picked',
      'accepted_by_carrier',
      'dispatched_to_driver',
      'attempt_delivery'
    ])
    expect(h.every((e, i) => i === 0 || e.at >= h[i - 1]!.at)).toBe(true)
    // Wall times in Algiers (UTC+1) on the wire come back as the exact instants: a minute after start.
    expect(h.at(-1)!.at).toBe(Date.UTC(2026, 10, 28, 9, 1, 0))
  })

  it('refuses more than 100 trackings per status call (adapter splits, simulator 422s)', async () => {
    const many = Array.from({ length: 101 }, (_, i) => `ECQFLD26112400${String(i).padStart(2, '0')}`)
    const res = await fetch(`${sim.url}/api/v1/get/orders/status?api_token=${TOKEN}&trackings=${many.join(',')}&status=all`)
    expect(res.status).toBe(422)
    expect(((await res.json()) as { errors: Record<string, string[]> }).errors.trackings).toBeTruthy()
    const before = sim.log.length
    const r = await eco.track(many)
    expect(r.length).toBe(101)
    expect(sim.log.length - before).toBe(2)
  })

  it('filters up to 100 trackings by order status (get/orders/status)', async () => {
    const all = await eco.filterByStatus(['ECQFLD2611240017', 'ECQFLD2611260021'], 'all')
    expect(Object.keys(all).sort()).toEqual(['ECQFLD2611240017', 'ECQFLD2611260021'])
    const some = await eco.filterByStatus(['ECQFLD2611240017', 'ECQFLD2611260021'], ['en_livraison'])
    expect(some).toEqual({ ECQFLD2611240017: 'en_livraison' })
    await expectCarrierError(eco.filterByStatus(['ECQFLD2611240017'], ['pas_un_statut']), 'invalid_input')
    await expectCarrierError(
      eco.filterByStatus(
        Array.from({ length: 101 }, (_, i) => `T${i}`),
        'all'
      ),
      'invalid_input'
    )
  })

  it('history of an unknown tracking is not_found (422 errors.tracking)', async () => {
    await expectCarrierError(eco.history('ECQFLD0000000000'), 'not_found')
  })

  it('adds and lists remarks; refuses content over 255 characters and empty content', async () => {
    await eco.addRemark!('ECQFLD2611240017', 'Livraison avant 17:00 h', { idempotencyKey: 'k1' })
    const list = await eco.listRemarks('ECQFLD2611240017')
    expect(list.at(-1)!.text).toBe('Boutique Demo : Livraison avant 17:00 h')
    await expectCarrierError(eco.addRemark!('ECQFLD2611240017', 'x'.repeat(256), { idempotencyKey: 'k2' }), 'invalid_input')
    await expectCarrierError(eco.addRemark!('ECQFLD2611240017', '  ', { idempotencyKey: 'k3' }), 'invalid_input')
    // The simulator enforces it too, for clients that do not check.
    const res = await fetch(`${sim.url}/api/v1/add/maj?api_token=${TOKEN}&tracking=ECQFLD2611240017&content=${'y'.repeat(256)}`, {
      method: 'POST'
    })
    expect(res.status).toBe(422)
    expect(((await res.json()) as { errors: Record<string, string[]> }).errors.content![0]).toMatch(/255/)
    await expectCarrierError(eco.addRemark!('ECQFLD0000000000', 'hello', { idempotencyKey: 'k4' }), 'not_found')
  })

  it('requests a return only while out for delivery (10003 otherwise)', async () => {
    expect(await eco.requestReturn!('ECQFLD2611260021', { idempotencyKey: 'r1' })).toMatchObject({ accepted: false })
    expect(await eco.requestReturn!('ECQFLD2611240017', { idempotencyKey: 'r2' })).toEqual({
      accepted: true,
      message: 'Retour demandé avec succès'
    })
    clock.advance(2 * 60_000)
    const h = await eco.history('ECQFLD2611240017')
    expect(h.at(-1)!.nativeStatus).toBe('return_asked')
  })

  it('creates, updates, validates, labels and deletes orders with every documented error', async () => {
    const base = {
      nom_client: 'Mohamed Tahar',
      telephone: '0560000000',
      adresse: 'rue med slimani',
      commune: 'Kouba',
      code_wilaya: 16,
      montant: 2900,
      type: 1 as const,
      reference: 'EC2909'
    }
    const { trackingNumber } = await eco.createOrder(base)
    expect(trackingNumber).toMatch(/^ECQFLD\d{10}$/)
    // Client-side rules, before any call: phones 9-10 digits, wilaya 1-58, 255 chars.
    await expectCarrierError(eco.createOrder({ ...base, telephone: '05600' }), 'invalid_input')
    await expectCarrierError(eco.createOrder({ ...base, code_wilaya: 59 }), 'invalid_input')
    await expectCarrierError(eco.createOrder({ ...base, adresse: 'a'.repeat(256) }), 'invalid_input')
    // Server-side: commune not in the reference data, wilaya not served (10002).
    const e1 = await expectCarrierError(eco.createOrder({ ...base, commune: 'Atlantis' }), 'invalid_input')
    expect(e1.field).toBe('commune')
    expect(e1.message).toMatch(/Commune mal écrite/)
    await expectCarrierError(eco.createOrder({ ...base, code_wilaya: 12, commune: 'Tebessa' }), 'carrier_refused', 10002)
    // The simulator's own 422 for bad phones and wilaya, as the API answers raw clients.
    const raw = await fetch(
      `${sim.url}/api/v1/create/order?api_token=${TOKEN}&nom_client=A&telephone=12&adresse=B&commune=Kouba&code_wilaya=77&montant=1&type=1`,
      { method: 'POST' }
    )
    expect(raw.status).toBe(422)
    expect(Object.keys(((await raw.json()) as { errors: Record<string, string[]> }).errors).sort()).toEqual([
      'code_wilaya',
      'commune',
      'telephone'
    ])

    await eco.updateOrder(trackingNumber, { montant: 7000 })
    const label = await eco.label!(trackingNumber)
    expect(Buffer.from(label.data).subarray(0, 5).toString()).toBe('%PDF-')
    await expectCarrierError(eco.label!('ECQFLD0000000000'), 'not_found')
    await eco.validateOrder(trackingNumber)
    await expectCarrierError(eco.updateOrder(trackingNumber, { montant: 1 }), 'carrier_refused', 10001)
    await expectCarrierError(eco.cancel!(trackingNumber, { idempotencyKey: 'c1' }), 'carrier_refused', 10001)
    const other = await eco.createOrder({ ...base, reference: 'EC2910' })
    await eco.cancel!(other.trackingNumber, { idempotencyKey: 'c2' })
    await expectCarrierError(eco.history(other.trackingNumber), 'not_found')
  })

  it('creates orders in bulk (mixed batch: 422 with per-order results) and confirms returns', async () => {
    const ok = {
      nom_client: 'Client 2',
      telephone: '0500000002',
      adresse: '17 rue med',
      commune: 'Batna',
      code_wilaya: 5,
      montant: 5000,
      type: 1 as const,
      reference: 'DEMO853'
    }
    const bad = { ...ok, reference: 'DEMO852', commune: 'Atlantis' }
    const r = await eco.createOrders([bad, ok])
    expect(r[0]).toMatchObject({ reference: 'DEMO852', ok: false })
    expect(r[0]!.ok === false && r[0]!.errors.commune).toEqual(['Commune mal écrite, ou désactivée.'])
    expect(r[1]).toMatchObject({ reference: 'DEMO853', ok: true })
    await expectCarrierError(eco.createOrders([ok, ok]), 'invalid_input')
    // A return not yet back at the merchant cannot be confirmed; an unknown tracking is a 422.
    expect(await eco.confirmReturns(['ECQFLD2611240017'])).toBe(false)
    await expectCarrierError(eco.confirmReturns(['ECQFLD0000000000']), 'invalid_input')
    sim.addParcel({
      tracking: 'ECQFLDRET0000001',
      reference: 'R1',
      client: 'C',
      phone: '0550000000',
      adresse: 'A',
      commune: 'Kouba',
      wilaya_id: 16,
      montant: 1,
      stop_desk: 0,
      ageHours: 100,
      done: 3,
      path: [
        { activity: 'return_asked', order: 'retour_chez_livreur' },
        { activity: 'return_in_transit', order: 'retour_transit_entrepot' },
        { activity: 'Return_received', order: 'retour_recu' }
      ]
    })
    expect(await eco.confirmReturns(['ECQFLDRET0000001'])).toBe(true)
    expect(sim.statusOf('ECQFLDRET0000001')).toBe('retour_archive')
  })

  it('lists orders 40 a page, last 90 days by default, archived excluded', async () => {
    const t0 = clock.now()
    for (let i = 0; i < 85; i++)
      sim.addParcel({
        tracking: `ECQFLDPAGE${String(i).padStart(6, '0')}`,
        reference: `P${i}`,
        client: 'C',
        phone: '0550000000',
        adresse: 'A',
        commune: 'Kouba',
        wilaya_id: 16,
        montant: 100,
        stop_desk: 0,
        ageHours: 24 * (i % 2 ? 10 : 120),
        done: 1,
        path: [{ activity: 'order_information_received_by_carrier', order: 'prete_a_expedier' }]
      })
    const p1 = await eco.listOrders()
    expect(p1.orders.length).toBe(40)
    expect(p1.orders.every((o) => !/archiv/.test(o.status))).toBe(true)
    // ECQFLD2611220009 was paid and archived at start + 1 min: excluded.
    const all: string[] = []
    for (let p = 1; p <= p1.lastPage; p++) all.push(...(await eco.listOrders({ page: p })).orders.map((o) => o.tracking))
    expect(all).not.toContain('ECQFLD2611220009')
    expect(all.filter((t) => t.startsWith('ECQFLDPAGE')).length).toBe(42) // only the 10-day-old ones
    const old = await eco.listOrders({ startDate: new Date(t0 - 200 * 86_400_000).toISOString().slice(0, 10) })
    expect(old.total).toBeGreaterThan(p1.total)
    await expectCarrierError(eco.listOrders({ startDate: '28/11/2026' }), 'invalid_input')
    const one = await eco.listOrders({ tracking: 'ECQFLD2611240017' })
    expect(one.orders.map((o) => o.tracking)).toEqual(['ECQFLD2611240017'])
  })

  it('reads wilayas, communes (index-keyed object) and fees from the reference data', async () => {
    const w = await eco.wilayas()
    expect(w.length).toBe(47)
    const c = await eco.communes(16)
    expect(c.length).toBeGreaterThan(10)
    expect(c.every((x) => x.wilaya_id === 16)).toBe(true)
    await expectCarrierError(eco.communes(99), 'invalid_input')
    const f = await eco.fees()
    expect(Object.keys(f).sort()).toEqual(['echnage', 'livraison', 'pickup', 'recouvrement', 'retours'])
  })

  it('logs captured so far carry no secret', () => {
    expect(CAPTURED.length).toBeGreaterThan(0)
    expect(findLeaks()).toEqual([])
    expect(logger.lines.join('\n')).not.toContain(TOKEN)
  })
})
