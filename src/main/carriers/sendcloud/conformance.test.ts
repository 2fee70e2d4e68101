// Sendcloud conformance: the simulator refuses what the published OpenAPI refuses, its committed
// spec copies are the published files, and every request the client sends (captured at the
// simulator) passes the published spec's own parameter and body rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../platform/clock'
import { silentLogger } from '../../platform/logger'
import { bodyChecker, queryChecker } from '../sim/openapi'
import { loadSpec } from '../testing/specs.testkit'
import { createSendcloudAdapter, type SendcloudAdapter } from './client'
import { startSendcloudSimulator, type SendcloudSim } from './sim/simulator'
import servicePointsCopy from './sim/spec/service-points-v3.openapi.json'
import parcelsCopy from './sim/spec/parcels-v2.openapi.json'

const v3 = loadSpec('sendcloud-v3-service-points.openapi.yml')
const v2 = loadSpec('sendcloud-v2-parcels.openapi.yml')

describe('Sendcloud against its published OpenAPI', () => {
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 9, 0, 0))
  let sim: SendcloudSim
  let sc: SendcloudAdapter
  const auth = { authorization: `Basic ${Buffer.from('pk:sk').toString('base64')}` }
  const get = async (p: string) => {
    const r = await fetch(sim.url + p, { headers: auth })
    return { status: r.status, body: (await r.json()) as { errors?: Array<{ source?: { parameter?: string } }> } }
  }

  beforeAll(async () => {
    sim = await startSendcloudSimulator({ clock, keys: [{ publicKey: 'pk', secretKey: 'sk' }] })
    sc = createSendcloudAdapter(
      { carrier: 'sendcloud', alias: 'c', baseUrl: sim.url, credentials: { public_key: 'pk', secret_key: 'sk' } },
      { now: () => clock.now(), logger: silentLogger, timeoutMs: 2000, maxRetries: 0 }
    )
  })
  afterAll(() => sim.close())

  it('the simulator validates against verbatim copies of the published files', () => {
    expect(servicePointsCopy).toEqual(v3)
    expect(parcelsCopy).toEqual(v2)
  })

  it('answers 400 to `[]` array names, mixed reference points, radius with a bounding box, and a limit over 200', async () => {
    const base = '/api/v3/service-points?country_code=NL'
    const cases: Array<[string, string]> = [
      ['&carrier_code[]=postnl&address_postal_code=5611', 'carrier_code[]'],
      ['&carrier_code=postnl&general_shop_type[]=locker&address_postal_code=5611', 'general_shop_type[]'],
      ['&carrier_code=postnl&address=Markt%201&address_postal_code=5611', 'address'],
      ['&carrier_code=postnl&address=Markt%201&latitude=51.4&longitude=5.4', 'address'],
      [
        '&carrier_code=postnl&latitude=51.4&longitude=5.4&radius=500&ne_latitude=51.5&ne_longitude=5.5&sw_latitude=51.3&sw_longitude=5.3',
        'radius'
      ],
      ['&carrier_code=postnl&address_postal_code=5611&limit=201', 'limit'],
      ['&carrier_code=postnl&address_postal_code=5611&general_shop_type=kiosk', 'general_shop_type']
    ]
    for (const [q, param] of cases) {
      const r = await get(base + q)
      expect(r.status, q).toBe(400)
      expect(
        r.body.errors?.map((e) => e.source?.parameter),
        q
      ).toContain(param)
    }
    const ok = await get(
      `${base}&carrier_code=postnl&carrier_code=dhl&general_shop_type=locker&general_shop_type=servicepoint&address_postal_code=5611`
    )
    expect(ok.status).toBe(200)
  })

  it('limit defaults to 100 as the spec says, and 200 is allowed', async () => {
    expect((await get('/api/v3/service-points?country_code=NL&use_integration_carriers=true&limit=200')).status).toBe(200)
  })

  it('an unknown tracking number is the documented 404 error object, and the client reads it as not found', async () => {
    const r = await get('/api/v2/parcels?tracking_number=3SNOPE0000000001')
    expect(r.status).toBe(404)
    expect(r.body).toEqual({ error: { code: 404, message: 'No Parcel matches the given query.', request: 'api/v2/parcels' } })
    const [t] = await sc.track(['3SNOPE0000000001'])
    expect(t!.ok === false && t!.error.code).toBe('not_found')
  })

  it('a label request names the shipping method given, or the account default', async () => {
    const withDefault = createSendcloudAdapter(
      {
        carrier: 'sendcloud',
        alias: 'd',
        baseUrl: sim.url,
        credentials: { public_key: 'pk', secret_key: 'sk' },
        options: { shippingMethodId: 1318 }
      },
      { now: () => clock.now(), logger: silentLogger, timeoutMs: 2000, maxRetries: 0 }
    )
    const p = await withDefault.createParcel({
      externalReference: 'NM-1',
      name: 'A',
      address: 'Markt',
      city: 'Eindhoven',
      postalCode: '5611 EB',
      country: 'NL',
      servicePointId: 10001
    })
    expect((sim.parcels.get(p.id)!.body.shipment as { id: number }).id).toBe(1318)
  })

  it('every request the client sends passes the published spec, and the label links in the answers resolve to PDFs', async () => {
    const from = sim.log.length
    await sc.searchPoints({ country: 'NL', postalCode: '5611', radiusM: 3000, types: ['locker', 'counter'], limit: 500 })
    await sc.searchPoints({ country: 'NL', postalCode: '5611', city: 'Eindhoven', address: 'Markt 1, 5611 EB Eindhoven', radiusM: 3000 })
    await sc.searchPoints({ country: 'FR', position: { lat: 48.8634, lon: 2.3622 }, address: 'ignored', radiusM: 200 })
    const scoped = createSendcloudAdapter(
      {
        carrier: 'sendcloud',
        alias: 'c2',
        baseUrl: sim.url,
        credentials: { public_key: 'pk', secret_key: 'sk' },
        options: { servicePointCarriers: ['postnl', 'dhl'] }
      },
      { now: () => clock.now(), logger: silentLogger, timeoutMs: 2000, maxRetries: 0 }
    )
    await scoped.searchPoints({ country: 'NL', postalCode: '5611' })
    const p = await sc.createParcel({
      externalReference: 'CF-1',
      name: 'Sanne de Vries',
      address: 'Kerkstraat',
      houseNumber: '3',
      city: 'Eindhoven',
      postalCode: '5611 GH',
      country: 'NL',
      servicePointId: 10001,
      shippingMethodId: 1318,
      weightKg: 1.2
    })
    await sc.track([p.trackingNumber])

    const searches = sim.log.slice(from).filter((e) => e.url.startsWith('/api/v3/service-points?'))
    expect(searches.length).toBe(4)
    const checkSearch = queryChecker(v3, 'pub-sp3', '/service-points', 'get')
    for (const e of searches) {
      const q = new URL(e.url, sim.url).searchParams
      expect(checkSearch(q), e.url).toEqual([])
      expect(e.status, e.url).toBe(200)
      const modes = [q.has('address'), [...q.keys()].some((k) => k.startsWith('address_')), q.has('latitude')].filter(Boolean)
      expect(modes.length, e.url).toBe(1)
    }
    expect(searches.some((e) => /carrier_code=postnl&carrier_code=dhl/.test(e.url))).toBe(true)
    const checkTrack = queryChecker(v2, 'pub-p2', '/parcels', 'get')
    const reads = sim.log.slice(from).filter((e) => e.url.startsWith('/api/v2/parcels?'))
    for (const e of reads) expect(checkTrack(new URL(e.url, sim.url).searchParams), e.url).toEqual([])

    const body = await fetch(`${sim.url}/api/v2/parcels/${p.id}`, { headers: auth }).then(
      (r) => r.json() as Promise<{ parcel: Record<string, unknown> }>
    )
    expect(bodyChecker(v2, 'pub-p2b', '/components/schemas/ParcelResponseFull')(body.parcel)).toEqual([])
    const label = body.parcel.label as { normal_printer: string[]; label_printer: string }
    for (const link of [...label.normal_printer, label.label_printer]) {
      const r = await fetch(link, { headers: auth })
      expect(r.status, link).toBe(200)
      expect(r.headers.get('content-type')).toContain('application/pdf')
      expect(
        Buffer.from(await r.arrayBuffer())
          .subarray(0, 5)
          .toString()
      ).toBe('%PDF-')
    }
  })
})
