import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../platform/clock'
import { buildLabelModel } from '../../features/labels/model'
import { CarrierError } from '../types'
import { captureError, captureLogger, findLeaks, simulatedSleep } from '../testing/capture.testkit'
import { createSwissPostAdapter, type SwissPostAdapter } from './client'
import { parsePoiOpening, splitStreet } from './places'
import { SP_FRANKING_LICENSE } from './sim/fixtures'
import { createPickPostShipment, keywordFor } from './order'
import { startSwissPostSimulator, swissPostSimHosts, SP_PATHS, type SwissPostSim } from './sim/simulator'

const SECRET = 'sp-secret-Qw8!zR4#kP1'
const SENDER = { name1: 'Boutique Léman SA', street: 'Rue du Rhône 12', zip: '1204', city: 'Genève' }

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

describe('Swiss Post adapter against its simulator', () => {
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 9, 0, 0)) // a Friday
  const logger = captureLogger()
  let sim: SwissPostSim
  let sp: SwissPostAdapter

  beforeAll(async () => {
    sim = await startSwissPostSimulator({ clock, clients: [{ id: 'guichet-test', secret: SECRET }] })
    sp = createSwissPostAdapter(
      {
        carrier: 'swisspost',
        alias: 'default',
        baseUrl: sim.url,
        credentials: { client_id: 'guichet-test', client_secret: SECRET },
        options: { ...swissPostSimHosts(sim.url), frankingLicense: SP_FRANKING_LICENSE }
      },
      { now: () => clock.now(), logger, sleep: simulatedSleep(clock), timeoutMs: 2000, maxRetries: 1 }
    )
  })
  afterAll(async () => {
    await sim.close()
    expect(findLeaks([SECRET])).toEqual([])
  })

  it('gets a 60-second token, reuses it, and renews it once it is about to expire', async () => {
    expect(await sp.checkCredentials()).toEqual({ valid: true, message: 'OK' })
    const issued = sim.stats.tokensIssued
    await sp.lookupUserId({
      orderReference: 'T-1',
      service: 'PickPost',
      customer: { firstName: 'Zoë', lastName: 'Müller', email: 'zoe.muller@example.ch', zip: '8004', city: 'Zürich' }
    })
    await sp.lookupUserId({
      orderReference: 'T-2',
      service: 'PickPost',
      customer: { firstName: 'Zoë', lastName: 'Müller', email: 'zoe.muller@example.ch', zip: '8004', city: 'Zürich' }
    })
    expect(sim.stats.tokensIssued).toBe(issued)
    clock.advance(55_000)
    await sp.lookupUserId({
      orderReference: 'T-3',
      service: 'PickPost',
      customer: { firstName: 'Zoë', lastName: 'Müller', email: 'zoe.muller@example.ch', zip: '8004', city: 'Zürich' }
    })
    expect(sim.stats.tokensIssued).toBe(issued + 1)
  })

  it('renews the token when the carrier says it expired (401) and retries once', async () => {
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'guichet-test', client_secret: SECRET })
    expect(
      (
        await fetch(sim.url + SP_PATHS.token, {
          method: 'POST',
          body: form,
          headers: { 'content-type': 'application/x-www-form-urlencoded' }
        })
      ).status
    ).toBe(200)
    expect(
      (
        await fetch(sim.url + SP_PATHS.userId, {
          method: 'POST',
          body: '{}',
          headers: { 'content-type': 'application/json', authorization: 'Bearer nope' }
        })
      ).status
    ).toBe(401)
    // A clock jump past the token's life between our check and the carrier's.
    const before = sim.stats.tokensIssued
    clock.advance(49_000)
    const r = await sp.lookupUserId({
      orderReference: 'T-4',
      service: 'PickPost',
      customer: { firstName: 'Luca', lastName: 'Rossi', email: 'luca.rossi@example.ch', zip: '3011', city: 'Bern' }
    })
    expect(r.customerStatus).toBe('MAIL')
    expect(sim.stats.tokensIssued).toBeGreaterThanOrEqual(before)
  })

  it('Name2 keyword per account: the seed\'s "My Post 24" by default, "MyPost24" when the account says so', async () => {
    const locker = (await sp.getPoint('8004-MP24-HB'))!
    const customer = { firstName: 'Zoë', lastName: 'Müller', email: 'zoe.muller@example.ch', zip: '8004', city: 'Zürich' }
    const seedWords = await createPickPostShipment(sp, { orderReference: 'CMD-2101', point: locker, customer, sender: SENDER })
    expect(seedWords.name2).toBe(`My Post 24 ${seedWords.user.userId}`)
    const own = createSwissPostAdapter(
      {
        carrier: 'swisspost',
        alias: 'own',
        baseUrl: sim.url,
        credentials: { client_id: 'guichet-test', client_secret: SECRET },
        options: { ...swissPostSimHosts(sim.url), frankingLicense: SP_FRANKING_LICENSE, name2MyPost24: 'MyPost24' }
      },
      { now: () => clock.now(), logger, timeoutMs: 2000 }
    )
    const r = await createPickPostShipment(own, { orderReference: 'CMD-2102', point: locker, customer, sender: SENDER })
    expect(r.name2).toBe(`MyPost24 ${r.user.userId}`)
    const sent = sim.labels.get(r.identCode)!.request as { item: { recipient: { name2: string } } }
    expect(sent.item.recipient.name2).toBe(`MyPost24 ${r.user.userId}`)
    expect(r.draft.pickPost?.name2).toBe(r.name2)
    expect(own.name2('PickPost', r.user.userId)).toBe(`PickPost ${r.user.userId}`)
    expect(own.name2('PickPost', 'not an id')).toBeNull()
  })

  it('sends each call to its own host, and the user-ID call needs the WEDEC_PICKPOST scope (403 otherwise)', async () => {
    const make = (options: Record<string, unknown>) =>
      createSwissPostAdapter(
        { carrier: 'swisspost', alias: 'h', baseUrl: sim.url, credentials: { client_id: 'guichet-test', client_secret: SECRET }, options },
        { now: () => clock.now(), logger, timeoutMs: 500, maxRetries: 0 }
      )
    const zoe = { firstName: 'Zoë', lastName: 'Müller', email: 'zoe.muller@example.ch', zip: '8004', city: 'Zürich' }
    const before = sim.stats.userIdLookups
    const noUserHost = make({ ...swissPostSimHosts(sim.url), userIdUrl: 'http://127.0.0.1:9/api/pickpost/v1' })
    expect((await noUserHost.searchPoints({ country: 'CH', postalCode: '8004', radiusM: 1000, limit: 1 })).length).toBe(1)
    await expect(noUserHost.lookupUserId({ orderReference: 'H-1', service: 'PickPost', customer: zoe })).rejects.toThrow()
    expect(sim.stats.userIdLookups).toBe(before)
    const barcodeOnly = make({ ...swissPostSimHosts(sim.url), scope: 'DCAPI_BARCODE_READ' })
    await expectCarrierError(barcodeOnly.lookupUserId({ orderReference: 'H-2', service: 'PickPost', customer: zoe }), 'unauthorized')
    expect(sim.stats.userIdLookups).toBe(before)
  })

  it('refuses wrong client credentials with unauthorized, without the secret in the message', async () => {
    const bad = createSwissPostAdapter(
      {
        carrier: 'swisspost',
        alias: 'x',
        baseUrl: sim.url,
        credentials: { client_id: 'guichet-test', client_secret: 'wrong-secret-77' },
        options: swissPostSimHosts(sim.url)
      },
      { now: () => clock.now(), logger, timeoutMs: 2000 }
    )
    const c = await bad.checkCredentials()
    expect(c.valid).toBe(false)
    expect(c.message).not.toContain('wrong-secret-77')
    await expectCarrierError(
      bad.lookupUserId({
        orderReference: 'X',
        service: 'PickPost',
        customer: { firstName: 'a', lastName: 'b', email: 'a@b.ch', zip: '8004', city: 'Zürich' }
      }),
      'unauthorized'
    )
  })

  it('searches points near a postal code: PickPost counters, post offices and My Post 24 lockers, nearest first', async () => {
    const pts = await sp.searchPoints({ country: 'CH', postalCode: '8004', radiusM: 2000 })
    expect(pts.length).toBeGreaterThanOrEqual(4)
    expect(new Set(pts.map((p) => p.type))).toEqual(new Set(['counter', 'locker', 'post_office']))
    const dists = pts.map((p) => p.distanceM!)
    expect([...dists].sort((a, b) => a - b)).toEqual(dists)
    const locker = pts.find((p) => p.type === 'locker')!
    expect(locker.services).toEqual(['My Post 24'])
    expect(locker.openingTimes?.sunday).toEqual([{ from: '00:00', to: '24:00' }])
    const office = pts.find((p) => p.id === '8004-SIHLPOST')!
    expect(office).toMatchObject({ street: 'Kasernenstrasse', houseNo: '97', zip: '8004', city: 'Zürich', services: ['PickPost'] })
    // Friday: tomorrow is Saturday, open 08:00-16:00.
    expect(office.openTomorrow).toBe(true)
    expect(office.openingTimes?.sunday).toEqual([])
    const lockersOnly = await sp.searchPoints({ country: 'CH', postalCode: '8004', radiusM: 5000, types: ['locker'] })
    expect(lockersOnly.every((p) => p.type === 'locker')).toBe(true)
    expect(await sp.searchPoints({ country: 'FR', postalCode: '75001' })).toEqual([])
    expect(await sp.searchPoints({ country: 'CH', postalCode: '9999' })).toEqual([])
    const byPos = await sp.searchPoints({ country: 'CH', position: { lat: 46.9488, lon: 7.4398 }, radiusM: 500 })
    expect(byPos[0]!.id).toBe('3011-MP24-BAHNHOF')
    expect(byPos[0]!.distanceM).toBe(0)
    await expectCarrierError(sp.searchPoints({ country: 'CH' }), 'invalid_input')
  })

  it('reads one point with its hours, and says null for an unknown one', async () => {
    const p = await sp.getPoint('3011-BERN-BOLLWERK')
    expect(p).toMatchObject({
      id: '3011-BERN-BOLLWERK',
      name: 'Bern Bollwerk',
      type: 'post_office',
      street: 'Bollwerk',
      houseNo: '25',
      city: 'Bern',
      lat: 46.9495
    })
    expect(p!.openingTimes!.monday).toEqual([{ from: '07:30', to: '18:30' }])
    expect(await sp.getPoint('NOPE')).toBeNull()
  })

  it('gets or creates the User ID (POST /api/pickpost/v1/users, {id, verified}): known people keep theirs, unknown ones get one with NONE', async () => {
    const zoe = await sp.lookupUserId({
      orderReference: 'ORD-100',
      service: 'My Post 24',
      customer: { firstName: 'Zoë', lastName: 'Müller', email: 'zoe.muller@example.ch', zip: '8004', city: 'Zürich' }
    })
    expect(zoe).toMatchObject({ customerStatus: 'SUISSE-ID', verified: true, newlyRegistered: false })
    const again = await sp.lookupUserId({
      orderReference: 'ORD-101',
      service: 'My Post 24',
      customer: { firstName: 'Zoë', lastName: 'Müller', email: 'zoe.muller@example.ch', zip: '8004', city: 'Zürich' }
    })
    // Get-or-create (DCAPI §7): asked again for the next order (seed 004), the same person's ID comes back.
    expect(again.userId).toBe(zoe.userId)
    expect(zoe.userId).toMatch(/^PT\d{6}$/)
    const anna = await sp.lookupUserId({
      orderReference: 'ORD-102',
      service: 'PickPost',
      customer: { firstName: 'Anna', lastName: 'Keller', email: 'anna.keller@example.ch', zip: '3011', city: 'Bern' }
    })
    expect(anna).toMatchObject({ customerStatus: 'REGISTRED_MAIL', verified: true })
    const fresh = await sp.lookupUserId({
      orderReference: 'ORD-103',
      service: 'PickPost',
      customer: { firstName: 'Nina', lastName: 'Neu', email: 'nina.neu@example.ch', zip: '1003', city: 'Lausanne' }
    })
    expect(fresh).toMatchObject({ customerStatus: 'NONE', verified: false, newlyRegistered: false })
    expect(fresh.userId).not.toBe(zoe.userId)
    const e = await expectCarrierError(
      sp.lookupUserId({
        orderReference: 'ORD-104',
        service: 'PickPost',
        customer: { firstName: 'X', lastName: 'Y', email: 'not-an-email', zip: '80', city: 'Zürich' }
      }),
      'invalid_input'
    )
    expect(e.message).toContain('notification')
  })

  it('generates labels in every layout as PDF and ZPL2, one item per call, with an identCode', async () => {
    for (const layout of ['A5', 'A6', 'A7', 'FE'] as const) {
      for (const fileType of ['PDF', 'ZPL2'] as const) {
        const l = await sp.generateAddressLabel({
          itemID: `IT-${layout}-${fileType}`,
          customer: SENDER,
          recipient: { name1: 'Müller', name2: 'PickPost 12345678', street: 'Kasernenstrasse', houseNo: '97', zip: '8004', city: 'Zürich' },
          przl: ['PRI'],
          weightGrams: 1200,
          layout,
          fileType
        })
        expect(l.identCode).toMatch(/^\d{18}$/)
        if (fileType === 'PDF') expect(l.data.subarray(0, 5).toString()).toBe('%PDF-')
        else expect(l.data.toString()).toContain(`^FD${l.identCode}^FS`)
        const seen = sim.labels.get(l.identCode)!
        expect((seen.request.labelDefinition as { labelLayout: string }).labelLayout).toBe(layout)
      }
    }
  })

  it('surfaces errors that arrive with HTTP 200 in item.errors, and the bare 400 for refused sender fields', async () => {
    const base = {
      itemID: 'ERR-1',
      customer: SENDER,
      recipient: { name1: 'Müller', zip: '80040', city: 'Zürich' },
      przl: ['PRI'],
      layout: 'A6' as const,
      fileType: 'PDF' as const
    }
    const e = await expectCarrierError(sp.generateAddressLabel(base), 'carrier_refused')
    expect(e.httpStatus).toBe(200)
    expect(e.message).toContain('E3002')
    await expectCarrierError(
      sp.generateAddressLabel({ ...base, recipient: { name1: 'Müller', zip: '8004', city: 'Zürich' }, przl: [] }),
      'carrier_refused'
    )
    await expectCarrierError(
      sp.generateAddressLabel({ ...base, recipient: { name1: 'Müller', zip: '8004', city: 'Zürich' }, layout: 'B4' as never }),
      'carrier_refused'
    )
    const withHouse = {
      ...base,
      recipient: { name1: 'Müller', zip: '8004', city: 'Zürich' },
      customer: { ...SENDER, houseNo: '12' } as typeof SENDER
    }
    await expectCarrierError(sp.generateAddressLabel(withHouse), 'invalid_input')
    const noLicence = createSwissPostAdapter(
      {
        carrier: 'swisspost',
        alias: 'y',
        baseUrl: sim.url,
        credentials: { client_id: 'guichet-test', client_secret: SECRET },
        options: { ...swissPostSimHosts(sim.url), frankingLicense: '11111111' }
      },
      { now: () => clock.now(), logger, timeoutMs: 2000 }
    )
    const lic = await expectCarrierError(
      noLicence.generateAddressLabel({ ...base, recipient: { name1: 'Müller', zip: '8004', city: 'Zürich' } }),
      'carrier_refused'
    )
    expect(lic.carrierCode).toBe('E1000')
  })

  it('turns a 5xx and a timeout into retryable typed errors', async () => {
    sim.inject({ kind: 'http_503', match: SP_PATHS.label })
    const e = await expectCarrierError(
      sp.generateAddressLabel({
        itemID: 'F-1',
        customer: SENDER,
        recipient: { name1: 'A', zip: '8004', city: 'Zürich' },
        przl: ['PRI'],
        layout: 'A6',
        fileType: 'PDF'
      }),
      'carrier_error'
    )
    expect(e.retryable).toBe(true)
  })

  it('a My Post 24 locker parcel: Name2 "My Post 24 <UserID>", point address delivered, home address billed; warns for NONE', async () => {
    const [locker] = await sp.searchPoints({ country: 'CH', postalCode: '8004', types: ['locker'] })
    expect(keywordFor(locker!)).toBe('My Post 24')
    const verified = await createPickPostShipment(sp, {
      orderReference: 'CMD-2001',
      point: locker!,
      customer: {
        firstName: 'Zoë',
        lastName: 'Müller',
        email: 'zoe.muller@example.ch',
        street: 'Bahnhofstrasse',
        houseNo: '5',
        zip: '8001',
        city: 'Zürich'
      },
      sender: SENDER
    })
    expect(verified.name2).toBe(`My Post 24 ${verified.user.userId}`)
    expect(verified.warnings).toEqual([])
    const sent = sim.labels.get(verified.identCode)!.request.item as { recipient: Record<string, string> }
    expect(sent.recipient).toMatchObject({ name2: verified.name2, street: 'Kasernenstrasse', houseNo: '95', zip: '8004' })
    const model = buildLabelModel(verified.draft)
    expect(model.recipient.name2).toBe(`My Post 24 ${verified.user.userId}`)
    expect(model.recipient.street).toBe('Kasernenstrasse')
    expect(model.billing).toMatchObject({ street: 'Bahnhofstrasse', zip: '8001' })
    expect(model.trackingNumber).toBe(verified.identCode)

    const none = await createPickPostShipment(sp, {
      orderReference: 'CMD-2002',
      point: locker!,
      customer: { firstName: 'Marc', lastName: 'Dubois', email: 'marc.dubois@example.ch', zip: '1204', city: 'Genève' },
      sender: SENDER
    })
    expect(none.user.customerStatus).toBe('NONE')
    expect(none.warnings.join(' ')).toMatch(/not verified/)
  })

  it('a PickPost parcel for a customer with status NONE is allowed without warning', async () => {
    const office = (await sp.getPoint('8004-SIHLPOST'))!
    const r = await createPickPostShipment(sp, {
      orderReference: 'CMD-2003',
      point: office,
      customer: { firstName: 'Marc', lastName: 'Dubois', email: 'marc.dubois@example.ch', zip: '1204', city: 'Genève' },
      sender: SENDER,
      fileType: 'ZPL2'
    })
    expect(r.keyword).toBe('PickPost')
    expect(r.user.customerStatus).toBe('NONE')
    expect(r.warnings).toEqual([])
    expect(r.name2).toBe(`PickPost ${r.user.userId}`)
    expect(r.label.data.toString()).toContain(`PickPost ${r.user.userId}`)
  })
})

describe('Swiss Post pure helpers', () => {
  it('splits the house number from the street', () => {
    expect(splitStreet('Kasernenstrasse 97')).toEqual({ street: 'Kasernenstrasse', houseNo: '97' })
    expect(splitStreet('Place de Cornavin 7a')).toEqual({ street: 'Place de Cornavin', houseNo: '7a' })
    expect(splitStreet('Bahnhofplatz')).toEqual({ street: 'Bahnhofplatz', houseNo: null })
  })
  it('reads weekly hours from the Poi XML', () => {
    const xml =
      '<POI><Counter><OpeningPeriods><OpeningHours><Monday>true</Monday><Tuesday>false</Tuesday><Saturday>true</Saturday><Timeslice><TimeFrom>08:00</TimeFrom><TimeUntil>12:00</TimeUntil></Timeslice><Timeslice><TimeFrom>13:30</TimeFrom><TimeUntil>18:00</TimeUntil></Timeslice></OpeningHours></OpeningPeriods></Counter></POI>'
    const t = parsePoiOpening(xml)
    expect(t.monday).toEqual([
      { from: '08:00', to: '12:00' },
      { from: '13:30', to: '18:00' }
    ])
    expect(t.tuesday).toEqual([])
    expect(t.saturday.length).toBe(2)
  })
})
