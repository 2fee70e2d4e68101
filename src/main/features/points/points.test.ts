import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { swissPostSimHosts } from '../../carriers/swisspost/sim/simulator'
import { ManualClock } from '../../platform/clock'
import { EventBus } from '../../platform/events'
import { silentLogger } from '../../platform/logger'
import { memoryStore } from '../../core/pipeline/pipeline.testkit'
import { createSendcloudAdapter } from '../../carriers/sendcloud/client'
import { createSwissPostAdapter } from '../../carriers/swisspost/client'
import type { CarrierAdapter, CarrierAccount } from '../../carriers/types'
import { draftFromShipment, buildLabelModel } from '../labels/model'
import { createPointsFeature } from './feature'
import { queryKey } from './service'
import { demoPointAccount, startPointSimulator } from '../../demo/points'
import { outboxForTests } from '../../core/outbox/outbox.testkit'
import type { SimServer } from '../../carriers/sim/server'
import { GuichetError } from '../../../shared/result'

const ZOE = {
  firstName: 'Zoë',
  lastName: 'Müller',
  email: 'zoe.muller@example.ch',
  street: 'Bahnhofstrasse',
  houseNo: '5',
  zip: '8001',
  city: 'Zürich',
  country: 'CH'
}
const MARC = { firstName: 'Marc', lastName: 'Dubois', email: 'marc.dubois@example.ch', zip: '1204', city: 'Genève', country: 'CH' }

async function rejects(p: Promise<unknown>, code: string): Promise<GuichetError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(GuichetError)
    expect((e as GuichetError).code).toBe(code)
    return e as GuichetError
  }
  throw new Error(`expected ${code}`)
}

describe('points: search across carriers, offline cache, attach, shipments to a point', () => {
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 9, 0, 0)) // Friday
  const { db, repo } = memoryStore()
  const events = new EventBus()
  let sc: SimServer
  let sp: SimServer
  let accounts: CarrierAccount[]
  let adapters: CarrierAdapter[]
  let feature: ReturnType<typeof createPointsFeature>
  const changed: number[][] = []
  const saved: Array<{ id: number; format: string; size: string | null; head: string }> = []

  beforeAll(async () => {
    sc = await startPointSimulator('sendcloud', { clock })
    sp = await startPointSimulator('swisspost', { clock })
    accounts = [demoPointAccount('sendcloud', sc.url), demoPointAccount('swisspost', sp.url)]
    const deps = { now: () => clock.now(), logger: silentLogger, timeoutMs: 1500, maxRetries: 0 }
    adapters = [createSendcloudAdapter(accounts[0]!, deps), createSwissPostAdapter(accounts[1]!, deps)]
    feature = createPointsFeature({
      db,
      clock,
      logger: silentLogger,
      events,
      repo,
      adapters: () => adapters,
      outbox: outboxForTests(db, clock, (c, a) => adapters.find((x) => x.carrier === c && x.account === a)).outbox,
      saveCarrierLabel: (id, format, bytes, size) => saved.push({ id, format, size, head: bytes.subarray(0, 5).toString() })
    })
    events.on('shipment.changed', (e) => changed.push(e.ids))
  })
  afterAll(async () => {
    await sc?.close()
    await sp?.close()
    db.close()
  })

  it('searches every carrier with points: Swiss points near 8004, Dutch ones near 5611, with errors per carrier kept apart', async () => {
    const ch = await feature.handlers['points.search']({ country: 'CH', postalCode: '8004', radiusM: 2000, limit: 30 })
    expect(ch.source).toBe('live')
    expect(ch.points.length).toBeGreaterThanOrEqual(4)
    expect(new Set(ch.points.map((p) => p.carrier))).toEqual(new Set(['swisspost']))
    expect(ch.points[0]!.key).toMatch(/^swisspost:demo:/)
    const d = ch.points.map((p) => p.distanceM ?? Infinity)
    expect([...d].sort((a, b) => a - b)).toEqual(d)
    // Sendcloud cannot place 8004 in its simulator: not an error, just no points of its own.
    expect(ch.errors).toEqual([])
    const nl = await feature.handlers['points.search']({ country: 'NL', postalCode: '5611', radiusM: 3000, limit: 30 })
    expect(nl.points.length).toBeGreaterThanOrEqual(4)
    expect(nl.points.every((p) => p.carrier === 'sendcloud')).toBe(true)
    expect(nl.errors).toEqual([])
    const lockers = await feature.handlers['points.search']({
      country: 'CH',
      postalCode: '8004',
      radiusM: 5000,
      types: ['locker'],
      limit: 30,
      carriers: ['swisspost']
    })
    expect(lockers.points.every((p) => p.type === 'locker')).toBe(true)
    await rejects(feature.service.search({ country: 'CH' }), 'invalid_input')
  })

  it('works offline from the last results: same search from the cache, other places from cached points', async () => {
    const live = await feature.handlers['points.search']({ country: 'CH', postalCode: '8004', radiusM: 2000, limit: 30 })
    const saved = adapters
    adapters = [
      createSwissPostAdapter(
        { ...accounts[1]!, options: { ...accounts[1]!.options, ...swissPostSimHosts('http://127.0.0.1:9') } },
        { now: () => clock.now(), logger: silentLogger, timeoutMs: 500, maxRetries: 0 }
      )
    ]
    try {
      clock.advance(24 * 3600_000) // Saturday: "open tomorrow" is about Sunday now
      const off = await feature.handlers['points.search']({ country: 'CH', postalCode: '8004', radiusM: 2000, limit: 30 })
      expect(off.source).toBe('cache')
      expect(off.cachedAt).not.toBeNull()
      expect(off.errors[0]!.code).toBe('offline')
      expect(off.points.map((p) => p.key)).toEqual(live.points.map((p) => p.key))
      const office = off.points.find((p) => p.id === '8004-SIHLPOST')!
      expect(office.openTomorrow).toBe(false) // closed on Sunday
      const byCity = await feature.handlers['points.search']({ country: 'CH', city: 'zurich', radiusM: 3000, limit: 30 })
      expect(byCity.source).toBe('cache')
      expect(byCity.points.length).toBeGreaterThan(0)
      const byPos = await feature.handlers['points.search']({ country: 'CH', lat: 47.3779, lon: 8.5321, radiusM: 300, limit: 30 })
      expect(byPos.points[0]!.id).toBe('8004-MP24-HB')
      const nowhere = await feature.handlers['points.search']({ country: 'CH', postalCode: '6900', radiusM: 3000, limit: 30 })
      expect(nowhere).toMatchObject({ source: 'cache', points: [] })
    } finally {
      adapters = saved
      clock.advance(-24 * 3600_000)
    }
  })

  it('normalises the cache key (accents, case, filter order)', () => {
    expect(queryKey({ country: 'ch', city: 'Zürich ', types: ['locker', 'counter'] })).toBe(
      queryKey({ country: 'CH', city: 'zurich', types: ['counter', 'locker'] })
    )
  })

  it('picking a point attaches it to a shipment (summary columns and the full point)', async () => {
    const id = repo.insert({
      carrier: 'swisspost',
      account: 'demo',
      trackingNumber: '996001320000000001',
      recipientName: 'Test',
      createdAt: clock.now()
    })
    const r = await feature.handlers['points.attach']({ shipmentId: id, key: 'swisspost:demo:8004-SIHLPOST' })
    expect(r.point.name).toBe('Zürich Sihlpost')
    const s = repo.get(id)!
    expect(s.point).toMatchObject({
      id: '8004-SIHLPOST',
      name: 'Zürich Sihlpost',
      address: 'Kasernenstrasse 97, 8004 Zürich',
      type: 'post_office'
    })
    expect(feature.service.attachedTo(id)?.lat).toBeCloseTo(47.3776)
    expect(changed.at(-1)).toEqual([id])
    await rejects(
      feature.handlers['points.attach']({ shipmentId: 99999, key: 'swisspost:demo:8004-SIHLPOST' }) as Promise<unknown>,
      'not_found'
    )
    await rejects(feature.handlers['points.attach']({ shipmentId: id, key: 'swisspost:demo:NOPE' }) as Promise<unknown>, 'not_found')
  })

  it('My Post 24 locker: User ID lookup, shipment created, Name2 "My Post 24 <User ID>" on the label, no warning when verified', async () => {
    const [locker] = (
      await feature.handlers['points.search']({
        country: 'CH',
        postalCode: '8004',
        radiusM: 2000,
        types: ['locker'],
        limit: 5,
        carriers: ['swisspost']
      })
    ).points
    const u = await feature.handlers['swisspost.userId']({ pointKey: locker!.key, orderReference: 'CMD-5001', customer: ZOE })
    expect(u).toMatchObject({ keyword: 'My Post 24', customerStatus: 'SUISSE-ID', verified: true, warning: null })
    const r = await feature.handlers['shipments.createToPoint']({
      pointKey: locker!.key,
      orderReference: 'CMD-5001',
      customer: ZOE,
      weightGrams: 900,
      layout: 'A6',
      fileType: 'PDF'
    })
    // Same order, same User ID: the lookup and the creation agree.
    expect(r).toMatchObject({
      carrier: 'swisspost',
      keyword: 'My Post 24',
      userId: u.userId,
      name2: `My Post 24 ${u.userId}`,
      warnings: []
    })
    const s = repo.get(r.shipmentId)!
    expect(s).toMatchObject({ trackingNumber: r.trackingNumber, reference: 'CMD-5001', unifiedStatus: 'ready_to_ship' })
    expect(s.point?.type).toBe('locker')
    const model = buildLabelModel(draftFromShipment(s, repo.carrierData(r.shipmentId), null))
    expect(model.recipient.name2).toBe(`My Post 24 ${u.userId}`)
    expect(model.recipient.zip).toBe('8004')
    expect(model.billing?.street).toBe('Bahnhofstrasse')
    expect(model.barcodes.find((b) => b.kind === 'code128')?.payload).toBe(r.trackingNumber)
  })

  it('My Post 24 locker for a customer with status NONE: created, with a warning; PickPost for NONE: allowed, no warning', async () => {
    const u = await feature.handlers['swisspost.userId']({
      pointKey: 'swisspost:demo:8004-MP24-HB',
      orderReference: 'CMD-5002',
      customer: MARC
    })
    expect(u.customerStatus).toBe('NONE')
    expect(u.warning).toMatch(/not verified/)
    const locker = await feature.handlers['shipments.createToPoint']({
      pointKey: 'swisspost:demo:8004-MP24-HB',
      orderReference: 'CMD-5002',
      customer: MARC,
      layout: 'A6',
      fileType: 'ZPL2'
    })
    expect(locker.warnings).toEqual([{ code: 'locker_unverified', params: { status: 'NONE' } }])
    const pp = await feature.handlers['shipments.createToPoint']({
      pointKey: 'swisspost:demo:8004-SIHLPOST',
      orderReference: 'CMD-5003',
      customer: MARC,
      layout: 'A6',
      fileType: 'PDF'
    })
    expect(pp).toMatchObject({ keyword: 'PickPost', customerStatus: 'NONE', warnings: [] })
    expect(pp.name2).toBe(`PickPost ${pp.userId}`)
    expect(pp.userId).toBe(locker.userId) // asked for each order; get-or-create gives the same person the same ID
  })

  it('a Sendcloud service point shipment; a locker needs the post number; a User ID is Swiss Post only', async () => {
    await feature.handlers['points.search']({ country: 'NL', postalCode: '5611', radiusM: 3000, limit: 30 })
    const cust = {
      firstName: 'Sanne',
      lastName: 'de Vries',
      email: 'sanne@example.nl',
      street: 'Kerkstraat',
      houseNo: '3',
      zip: '5611 GH',
      city: 'Eindhoven',
      country: 'NL'
    }
    const r = await feature.handlers['shipments.createToPoint']({
      pointKey: 'sendcloud:demo:10001',
      orderReference: 'NL-1',
      customer: cust,
      layout: 'A6',
      fileType: 'PDF'
    })
    expect(r).toMatchObject({ carrier: 'sendcloud', keyword: null })
    expect(repo.get(r.shipmentId)?.point?.id).toBe('10001')
    // The carrier's A6 PDF is kept for printing.
    expect(saved.at(-1)).toEqual({ id: r.shipmentId, format: 'pdf', size: 'A6', head: '%PDF-' })
    await rejects(
      feature.handlers['shipments.createToPoint']({
        pointKey: 'sendcloud:demo:10002',
        orderReference: 'NL-2',
        customer: cust,
        layout: 'A6',
        fileType: 'PDF'
      }) as Promise<unknown>,
      'invalid_input'
    )
    const ok = await feature.handlers['shipments.createToPoint']({
      pointKey: 'sendcloud:demo:10002',
      orderReference: 'NL-2',
      customer: cust,
      postNumber: '12345678',
      layout: 'A6',
      fileType: 'PDF'
    })
    expect(ok.trackingNumber).toBeTruthy()
    await rejects(
      feature.handlers['swisspost.userId']({ pointKey: 'sendcloud:demo:10001', orderReference: 'X', customer: ZOE }) as Promise<unknown>,
      'invalid_input'
    )
  })

  it("the demo store's Sendcloud parcels are known to the demo simulator (12 waiting at the point)", async () => {
    const [r] = await adapters[0]!.track(['3SYZXG132912330'])
    expect(r!.ok && r!.current?.nativeStatus).toBe('12')
  })

  it('diagnostics per account: credentials, service-point option, carriers enabled, last errors', async () => {
    const d = await feature.handlers['points.diagnose']({})
    expect(d.carriers.find((c) => c.carrier === 'sendcloud')).toMatchObject({
      credentialsValid: true,
      servicePointsEnabled: true,
      problems: []
    })
    expect(d.carriers.find((c) => c.carrier === 'swisspost')).toMatchObject({ credentialsValid: true })
  })
})
