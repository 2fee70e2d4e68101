// Swiss Post conformance of the label call: the simulator validates generateAddressLabel against
// a verbatim copy of the published JSON Schema (specs/swisspost-dcapi-barcode-v1.schema.json) and
// answers a bad request with the schema's 400 ValidationErrorList; the client's request, captured
// at the simulator, is checked against the published file itself.
import Ajv2020 from 'ajv/dist/2020'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../platform/clock'
import { silentLogger } from '../../platform/logger'
import { loadSpec } from '../testing/specs.testkit'
import { createSwissPostAdapter, type SwissPostAdapter } from './client'
import { SP_FRANKING_LICENSE } from './sim/fixtures'
import { startSwissPostSimulator, swissPostSimHosts, SP_PATHS, type SwissPostSim } from './sim/simulator'
import schemaCopy from './sim/spec/swisspost-dcapi-barcode-v1.schema.json'

const published = loadSpec<{ $id: string }>('swisspost-dcapi-barcode-v1.schema.json')
const ajv = new Ajv2020({ strict: false, allErrors: true })
ajv.addSchema(published)
const generateLabel = ajv.getSchema(`${published.$id}#/$defs/GenerateLabel`)!
const errorList = ajv.getSchema(`${published.$id}#/$defs/ValidationErrorList`)!
const response = ajv.getSchema(`${published.$id}#/$defs/GenerateLabelResponse`)!

const SENDER = { name1: 'Boutique Léman SA', street: 'Rue du Rhône 12', zip: '1204', city: 'Genève' }

describe('Swiss Post label call against the published DCAPI schema', () => {
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 9, 0, 0))
  let sim: SwissPostSim
  let sp: SwissPostAdapter
  let token = ''

  beforeAll(async () => {
    sim = await startSwissPostSimulator({
      clock,
      clients: [{ id: 'cf', secret: 'cf-secret-0001' }],
      // A status value no Swiss Post document lists (the seed's list may not be complete).
      customers: [{ email: 'gold@example.ch', firstName: 'Gina', lastName: 'Gold', status: 'GOLD' as never }]
    })
    sp = createSwissPostAdapter(
      {
        carrier: 'swisspost',
        alias: 'cf',
        baseUrl: sim.url,
        credentials: { client_id: 'cf', client_secret: 'cf-secret-0001' },
        options: { ...swissPostSimHosts(sim.url), frankingLicense: SP_FRANKING_LICENSE }
      },
      { now: () => clock.now(), logger: silentLogger, timeoutMs: 2000, maxRetries: 0 }
    )
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'cf', client_secret: 'cf-secret-0001' })
    const r = await fetch(sim.url + SP_PATHS.token, {
      method: 'POST',
      body: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded' }
    })
    token = ((await r.json()) as { access_token: string }).access_token
  })
  afterAll(() => sim.close())

  it('the simulator validates with a verbatim copy of the published schema', () => {
    expect(schemaCopy).toEqual(published)
  })

  it('the client label request (PickPost Name2 on the recipient) passes the published schema, and so does the answer', async () => {
    const l = await sp.generateAddressLabel({
      itemID: 'CF-1',
      customer: SENDER,
      recipient: {
        name1: 'Müller',
        firstName: 'Zoë',
        name2: 'PickPost PT011227',
        street: 'Kasernenstrasse',
        houseNo: '97',
        zip: '8004',
        city: 'Zürich'
      },
      przl: ['PRI'],
      weightGrams: 1200,
      layout: 'A6',
      fileType: 'PDF'
    })
    const sent = sim.labels.get(l.identCode)!.request
    expect(generateLabel(sent), JSON.stringify(generateLabel.errors)).toBe(true)
    expect((sent.item as { recipient: { name2: string } }).recipient.name2).toBe('PickPost PT011227')
  })

  it('a request the schema refuses (wrong wire name, unknown field) is a 400 ValidationErrorList', async () => {
    const body = {
      language: 'DE',
      frankingLicense: SP_FRANKING_LICENSE,
      customer: SENDER,
      labelDefinition: { labelLayout: 'A6', imageFileType: 'PDF' },
      sendingId: 'x',
      item: { itemID: 'CF-2', recipient: { name1: 'Müller', Name2: 'PickPost PT011227', city: 'Zürich' }, attributes: { przl: ['PRI'] } }
    }
    expect(generateLabel(body)).toBe(false)
    const r = await fetch(sim.url + SP_PATHS.label, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }
    })
    expect(r.status).toBe(400)
    const list = await r.json()
    expect(errorList(list), JSON.stringify(errorList.errors)).toBe(true)
    expect((list as unknown[]).length).toBeGreaterThan(0)
    const ok = await fetch(sim.url + SP_PATHS.label, {
      method: 'POST',
      body: JSON.stringify({
        ...body,
        sendingId: undefined,
        item: { ...body.item, recipient: { name1: 'Müller', name2: 'PickPost PT011227', city: 'Zürich' } }
      }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }
    })
    expect(ok.status, await ok.clone().text()).toBe(200)
    expect(response(await ok.json()), JSON.stringify(response.errors)).toBe(true)
  })

  it('an unknown customer status comes back as UNKNOWN (unverified) and does not block the label', async () => {
    const u = await sp.lookupUserId({
      orderReference: 'CF-GOLD',
      service: 'PickPost',
      customer: { firstName: 'Gina', lastName: 'Gold', email: 'gold@example.ch', zip: '8004', city: 'Zürich' }
    })
    expect(u).toMatchObject({ customerStatus: 'UNKNOWN', verified: false })
    const l = await sp.generateAddressLabel({
      itemID: 'CF-GOLD',
      customer: SENDER,
      recipient: {
        name1: 'Gold',
        firstName: 'Gina',
        name2: `PickPost ${u.userId}`,
        street: 'Kasernenstrasse',
        houseNo: '97',
        zip: '8004',
        city: 'Zürich'
      },
      przl: ['PRI'],
      layout: 'A6',
      fileType: 'PDF'
    })
    expect(l.identCode).toMatch(/^\d{18}$/)
  })
})
