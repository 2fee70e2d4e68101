// The simulator answers as Sendcloud documents: its responses are validated against the official
// OpenAPI files in ../shared/carriers/specs (v3 service points, v2 parcels, labels, webhooks).
import Ajv2020 from 'ajv/dist/2020'
import { loadSpec } from '../testing/specs.testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../platform/clock'
import { startSendcloudSimulator, type SendcloudSim } from './sim/simulator'

type Spec = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>
  components: { schemas: Record<string, unknown> }
  webhooks?: unknown
}

const spec = (file: string) => loadSpec<Spec>(file)

/** A validator for one schema of a spec document ($refs resolve inside the document). */
function validator(doc: Spec, id: string) {
  // OpenAPI 3.1 schemas are JSON Schema 2020-12, plus annotations (example, nullable, x-*) to ignore.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false })
  ajv.addSchema({ ...(doc as object), $id: id } as never)
  return lookup(ajv, id)
}

function lookup(ajv: Ajv2020, id: string) {
  return (pointer: string) => {
    const v = ajv.getSchema(`${id}#${pointer}`)
    if (!v) throw new Error(`no schema at ${pointer}`)
    return (data: unknown) => {
      const ok = v(data) as boolean
      return ok ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message}`)
    }
  }
}

const esc = (p: string) => p.replace(/~/g, '~0').replace(/\//g, '~1')
const responsePointer = (path: string, method: string, status: string) =>
  `/paths/${esc(path)}/${method}/responses/${status}/content/application~1json/schema`

describe('Sendcloud simulator against the official OpenAPI', () => {
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 9, 0, 0))
  let sim: SendcloudSim
  const auth = { authorization: `Basic ${Buffer.from('pk:sk').toString('base64')}` }
  const get = async (p: string) => {
    const r = await fetch(sim.url + p, { headers: auth })
    return { status: r.status, body: (await r.json()) as unknown }
  }
  const v3 = spec('sendcloud-v3-service-points.openapi.yml')
  // The spec's own not_found example has "precision": null while the enum leaves null out; we
  // follow the example, so null joins the enum here.
  const precision = (v3.components.schemas.GeocodingResult as { properties: { precision: { enum: unknown[] } } }).properties.precision
  if (!precision.enum.includes(null)) precision.enum.push(null)
  const sp = validator(v3, 'sp3')
  const parcels = validator(spec('sendcloud-v2-parcels.openapi.yml'), 'parcels2')
  const labels = validator(spec('sendcloud-v2-labels.openapi.yml'), 'labels2')
  const hooks = validator(spec('sendcloud-v2-webhooks.openapi.yml'), 'hooks2')

  beforeAll(async () => {
    sim = await startSendcloudSimulator({ clock, keys: [{ publicKey: 'pk', secretKey: 'sk' }] })
  })
  afterAll(() => sim.close())

  it('v3 service point search, one point, availability and errors match the documented schemas', async () => {
    const list = await get('/api/v3/service-points?country_code=NL&use_integration_carriers=true&address_postal_code=5611&radius=3000')
    expect(list.status).toBe(200)
    expect((list.body as { data: { results: unknown[] } }).data.results.length).toBeGreaterThan(2)
    expect(sp(responsePointer('/service-points', 'get', '200'))(list.body)).toEqual([])
    const noRef = await get('/api/v3/service-points?country_code=FR&carrier_code=mondial_relay')
    expect(sp(responsePointer('/service-points', 'get', '200'))(noRef.body)).toEqual([])
    const one = await get('/api/v3/service-points/20002')
    expect(sp(responsePointer('/service-points/{service_point_id}', 'get', '200'))(one.body)).toEqual([])
    const av = await fetch(`${sim.url}/api/v3/service-points/10001/check-availability`, { method: 'POST', headers: auth })
    expect(sp(responsePointer('/service-points/{service_point_id}/check-availability', 'post', '200'))(await av.json())).toEqual([])
    const bad = await get('/api/v3/service-points?use_integration_carriers=true')
    expect(bad.status).toBe(400)
    expect(sp(responsePointer('/service-points', 'get', '400'))(bad.body)).toEqual([])
    expect(bad.body).toEqual({
      errors: [{ status: '400', code: 'required', detail: 'Field required', source: { parameter: 'country_code' } }]
    })
    const geo = await get('/api/v3/service-points?country_code=NL&use_integration_carriers=true&address_postal_code=9999')
    expect(geo.status).toBe(200)
    expect(geo.body).toEqual({ data: { results: [], geocoding: { status: 'not_found', precision: null, formatted_address: null } } })
    expect(sp(responsePointer('/service-points', 'get', '200'))(geo.body)).toEqual([])
    const byPos = await get(
      '/api/v3/service-points?country_code=FR&use_integration_carriers=true&latitude=48.8634&longitude=2.3622&radius=500'
    )
    expect(sp(responsePointer('/service-points', 'get', '200'))(byPos.body)).toEqual([])
  })

  it('v2 parcel creation, parcel read, label links and the create error match the documented schemas', async () => {
    const parcel = {
      name: 'Sanne de Vries',
      address: 'Kerkstraat',
      house_number: '3',
      city: 'Eindhoven',
      postal_code: '5611 GH',
      country: 'NL',
      to_service_point: 10001,
      external_reference: 'OAS-1',
      request_label: true,
      shipment: { id: 1318 },
      weight: '1.200'
    }
    const r = await fetch(`${sim.url}/api/v2/parcels`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ parcel })
    })
    const created = (await r.json()) as { parcel: { id: number } }
    expect(r.status).toBe(200)
    // The documented 200 is a oneOf of three shapes with no required keys (any object matches all
    // three), so the single-parcel branch is checked on its own.
    expect(parcels(`${responsePointer('/parcels', 'post', '200')}/oneOf/1`)(created)).toEqual([])
    expect(parcels('/components/schemas/ParcelResponseFull')(created.parcel)).toEqual([])
    const read = await get(`/api/v2/parcels/${created.parcel.id}`)
    expect(parcels(responsePointer('/parcels/{id}', 'get', '200'))(read.body)).toEqual([])
    const dup = await fetch(`${sim.url}/api/v2/parcels`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ parcel })
    })
    expect(dup.status).toBe(400)
    expect(parcels(responsePointer('/parcels', 'post', '400'))(await dup.json())).toEqual([])
    const lab = await get(`/api/v2/labels/${created.parcel.id}`)
    expect(labels('/components/schemas/LabelSingleResponse')(lab.body)).toEqual([])
  })

  it('the parcel_status_changed webhook body matches the documented payload', async () => {
    const r = await fetch(`${sim.url}/api/v2/parcels`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        parcel: {
          name: 'Eva',
          address: 'Markt',
          house_number: '4',
          city: 'Eindhoven',
          postal_code: '5611 EB',
          country: 'NL',
          to_service_point: 10003,
          external_reference: 'OAS-2'
        }
      })
    })
    const { parcel } = (await r.json()) as { parcel: { id: number } }
    await sim.setStatus(parcel.id, 12)
    const { body } = sim.webhookFor(parcel.id)
    expect(hooks('/components/schemas/ParcelStatusChangedWebhook')(JSON.parse(body))).toEqual([])
  })
})
