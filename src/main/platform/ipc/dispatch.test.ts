import { afterAll, describe, expect, it } from 'vitest'
import { CHANNELS } from '../../../shared/contract'
import { DEMO_TRACKING } from '../../demo/shipments'
import { testBackend } from '../../../../test/helpers/backend'

const backend = testBackend()
afterAll(() => backend.close())

// Hostile or malformed inputs every channel must answer with a typed error, never a crash.
const HOSTILE: unknown[] = [
  null,
  42,
  'text',
  [],
  { __proto__: { polluted: true } },
  JSON.parse('{"__proto__":{"polluted":true}}'),
  { constructor: { prototype: { polluted: true } } },
  { query: 'x'.repeat(100_000), text: 'x'.repeat(100_000), id: 'x'.repeat(100_000) },
  { id: -1 },
  { id: 1.5 },
  { id: Number.MAX_SAFE_INTEGER + 10 },
  { query: { $ne: null } },
  { unexpected: true }
]

describe('dispatch', () => {
  it('answers an unknown channel with unknown_channel', async () => {
    const r = await backend.dispatch('shipments.drop', {})
    expect(r).toEqual({ ok: false, error: expect.objectContaining({ code: 'unknown_channel', retryable: false }) })
  })

  it('names the offending field on invalid input', async () => {
    const r = await backend.dispatch('shipments.search', { text: 'ab', limit: 'many' })
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'limit', message: expect.stringMatching(/^limit:/) } })
  })

  it('refuses unknown keys (strict inputs)', async () => {
    const r = await backend.dispatch('shipments.get', { id: 1, admin: true })
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
  })

  it.each(CHANNELS)('%s: hostile inputs give typed errors and pollute nothing', async (channel) => {
    for (const input of HOSTILE) {
      const r = await backend.dispatch(channel, input)
      // Every hostile input stops at the schema: no handler runs on it, not even on channels that take no fields.
      expect(r, `${channel} given ${JSON.stringify(input)?.slice(0, 60)}`).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('turns a handler failure into a generic internal error without details', async () => {
    const original = backend.handlers['shipments.get']
    backend.handlers['shipments.get'] = () => {
      throw new Error('secret path /etc/shadow')
    }
    const { createDispatch } = await import('./dispatch')
    const { silentLogger } = await import('../logger')
    const r = await createDispatch(backend.handlers, silentLogger)('shipments.get', { id: 1 })
    backend.handlers['shipments.get'] = original
    expect(r).toEqual({ ok: false, error: { code: 'internal', message: expect.not.stringContaining('shadow'), retryable: false } })
  })

  it('finds a demo shipment by a scanned tracking number and returns its timeline', async () => {
    const r = await backend.dispatch('shipments.find', { query: `\u0002${DEMO_TRACKING.ecotrack}\r` })
    expect(r).toMatchObject({ ok: true, value: { kind: 'shipment', detail: { shipment: { trackingNumber: DEMO_TRACKING.ecotrack } } } })
    expect((r as { value: { detail: { events: unknown[] } } }).value.detail.events.length).toBeGreaterThan(2)
  })

  it('gives a list for a name prefix and not_found for a missing id', async () => {
    const r = await backend.dispatch('shipments.find', { query: 'Yasm' })
    expect(r.ok && (r.value as { kind: string }).kind).toBe('results')
    const missing = await backend.dispatch('shipments.get', { id: 999_999 })
    expect(!missing.ok && missing.error.code).toBe('not_found')
  })

  it('opens a shipment by its exact reference', async () => {
    const r = await backend.dispatch('shipments.find', { query: 'cmd-ma-10421' })
    expect(r.ok && (r.value as { kind: string }).kind).toBe('shipment')
  })
})
