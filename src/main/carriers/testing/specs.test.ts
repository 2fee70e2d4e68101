// The conformance tests read the published files through specs.testkit: when one is missing they
// must fail, not pass with nothing checked.
import { describe, expect, it } from 'vitest'
import { loadSharedData, loadSpec, specFile } from './specs.testkit'

describe('published carrier specs', () => {
  it('a missing spec or data file throws, naming where it looked', () => {
    expect(() => loadSpec('sendcloud-v9-missing.openapi.yml')).toThrow(/spec sendcloud-v9-missing\.openapi\.yml not found in .*shared/)
    expect(() => loadSharedData('ecotrack-missing.json')).toThrow(/reference data ecotrack-missing\.json not found/)
  })

  it('every file the conformance tests read is there', () => {
    for (const f of [
      'sendcloud-v3-service-points.openapi.yml',
      'sendcloud-v2-parcels.openapi.yml',
      'sendcloud-v2-labels.openapi.yml',
      'sendcloud-v2-webhooks.openapi.yml',
      'swisspost-dcapi-barcode-v1.schema.json',
      'ecotrack-postman-collection.json'
    ])
      expect(specFile(f)).toMatch(new RegExp(`${f.replace(/\./g, '\\.')}$`))
    expect(loadSpec<{ openapi: string }>('sendcloud-v3-service-points.openapi.yml').openapi).toMatch(/^3\./)
  })
})
