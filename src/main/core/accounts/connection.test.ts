import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CARRIER_MODULES } from '../../carriers/registry'
import { CarrierError, type CarrierAdapter, type TrackResult } from '../../carriers/types'
import { startEcotrackSimulator, type EcotrackSim } from '../../carriers/ecotrack/sim/simulator'
import { startExpressRelaisSimulator, type ExpressRelaisSim } from '../../carriers/express-relais/sim/simulator'
import { startClickpostSimulator } from '../../carriers/clickpost/sim/simulator'
import { startSendcloudSimulator } from '../../carriers/sendcloud/sim/simulator'
import { startShiprocketSimulator } from '../../carriers/shiprocket/sim/simulator'
import { startShipwaySimulator } from '../../carriers/shipway/sim/simulator'
import type { CarrierId } from '../../../shared/domain'
import { ManualClock } from '../../platform/clock'
import { silentLogger } from '../../platform/logger'
import { MemoryStore } from '../settings/settings'
import { CarrierAccounts } from './accounts'
import { PROBE_TRACKING, probeConnection } from './connection'

// The test made when an account is saved: a real call through the carrier's own adapter.

const clock = new ManualClock()
const TOKEN = 'eco-token-connection-0001'
let eco: EcotrackSim
let er: ExpressRelaisSim

beforeAll(async () => {
  eco = await startEcotrackSimulator({ clock, tokens: [TOKEN] })
  er = await startExpressRelaisSimulator({ clock, username: 'relais-maarif', password: 'er-pass-0001' })
})
afterAll(async () => {
  await eco.close()
  await er.close()
})

function accountsWith(secrets: Record<string, Record<string, string>>) {
  return new CarrierAccounts({
    settingsStore: new MemoryStore(),
    secretsFor: (c, a) => secrets[`${c}/${a}`] ?? null,
    moduleFor: (c) => CARRIER_MODULES.find((m) => m.id === c),
    clock,
    logger: silentLogger
  })
}

describe('connection test through the carrier adapters', () => {
  it('ECOTRACK: a good token is connected, a wrong one refused with a code the UI words', async () => {
    const secrets = { 'ecotrack/north': { api_token: TOKEN } }
    const accounts = accountsWith(secrets)
    accounts.save({ carrier: 'ecotrack', alias: 'north', baseUrl: eco.url, enabled: true, options: {} })
    expect(await accounts.test('ecotrack', 'north')).toMatchObject({ state: 'connected', call: 'credentials' })
    secrets['ecotrack/north'] = { api_token: 'wrong-token-0000000' }
    const refused = await accounts.test('ecotrack', 'north')
    expect(refused.state).toBe('refused')
    expect(refused.error?.code).toBe('unauthorized')
    expect(JSON.stringify(refused)).not.toMatch(/refused the API token/) // a code, not main's sentence
  })

  it('Express Relais: its getInfoClient call decides', async () => {
    const secrets = { 'express-relais/casa': { username: 'relais-maarif', password: 'nope' } }
    const accounts = accountsWith(secrets)
    accounts.save({ carrier: 'express-relais', alias: 'casa', baseUrl: er.url, enabled: true, options: { enabled: true } })
    expect(await accounts.test('express-relais', 'casa')).toMatchObject({ state: 'refused', call: 'credentials' })
    secrets['express-relais/casa'] = { username: 'relais-maarif', password: 'er-pass-0001' }
    expect(await accounts.test('express-relais', 'casa')).toMatchObject({ state: 'connected' })
  })

  it('an offline desk: unreachable, and the account (disabled here, tested all the same) stays saved', async () => {
    const accounts = accountsWith({ 'ecotrack/far': { api_token: TOKEN } })
    accounts.save({ carrier: 'ecotrack', alias: 'far', baseUrl: 'http://127.0.0.1:9', enabled: false, options: {} })
    const check = await accounts.test('ecotrack', 'far')
    expect(check.state).toBe('unreachable')
    expect(['offline', 'timeout']).toContain(check.error?.code)
    expect(accounts.list()).toEqual([expect.objectContaining({ alias: 'far', connection: check })])
  }, 20_000)

  it('the list shows the last test until the secrets change, then none (never a stale verdict)', async () => {
    const secrets: Record<string, Record<string, string>> = { 'ecotrack/north': { api_token: TOKEN } }
    const accounts = accountsWith(secrets)
    accounts.save({ carrier: 'ecotrack', alias: 'north', baseUrl: eco.url, enabled: true, options: {} })
    expect(accounts.list()[0]!.connection).toBeNull()
    await accounts.test('ecotrack', 'north')
    expect(accounts.list()[0]!.connection).toMatchObject({ state: 'connected' })
    secrets['ecotrack/north'] = { api_token: 'another-token-00000' }
    expect(accounts.list()[0]!.connection).toBeNull()
  })

  it('no secrets yet: no_credentials without a call; an unknown account is not_found', async () => {
    const accounts = accountsWith({})
    accounts.save({ carrier: 'ecotrack', alias: 'new', baseUrl: eco.url, enabled: true, options: {} })
    expect(await accounts.test('ecotrack', 'new')).toMatchObject({ state: 'no_credentials', call: 'none' })
    await expect(accounts.test('ecotrack', 'ghost')).rejects.toMatchObject({ code: 'not_found' })
  })
})

describe('carriers without a credentials call: one track of a number nobody issued', () => {
  // Each simulator with its default (demo) credentials; the wrong ones differ in the secret half.
  const cases: Array<{
    carrier: CarrierId
    start: () => Promise<{ url: string; close(): Promise<void>; apiBase?: string }>
    good: Record<string, string>
    bad: Record<string, string>
  }> = [
    {
      carrier: 'shipway',
      start: () => startShipwaySimulator({ clock }),
      good: { email: 'warehouse@guichet.test', license_key: 'sw-licence-demo' },
      bad: { email: 'warehouse@guichet.test', license_key: 'wrong-licence' }
    },
    {
      carrier: 'shiprocket',
      start: () => startShiprocketSimulator({ clock }),
      good: { email: 'api@guichet.test', password: 'sr-pass-demo' },
      bad: { email: 'api@guichet.test', password: 'wrong-pass' }
    },
    {
      carrier: 'clickpost',
      start: () => startClickpostSimulator({ clock }),
      good: { username: 'guichet', key: 'cp-demo-key' },
      bad: { username: 'guichet', key: 'wrong-key' }
    },
    {
      carrier: 'sendcloud',
      start: () => startSendcloudSimulator({ clock, keys: [{ publicKey: 'pk', secretKey: 'sk' }] }),
      good: { public_key: 'pk', secret_key: 'sk' },
      bad: { public_key: 'pk', secret_key: 'wrong' }
    }
  ]
  for (const c of cases) {
    it(`${c.carrier}: right credentials connect, wrong ones are refused`, async () => {
      const sim = await c.start()
      try {
        const secrets: Record<string, Record<string, string>> = { [`${c.carrier}/a`]: c.good }
        const accounts = accountsWith(secrets)
        accounts.save({ carrier: c.carrier, alias: 'a', baseUrl: sim.apiBase ?? sim.url, enabled: true, options: {} })
        expect(await accounts.test(c.carrier, 'a')).toMatchObject({ state: 'connected', call: 'track' })
        secrets[`${c.carrier}/a`] = c.bad
        expect(await accounts.test(c.carrier, 'a')).toMatchObject({ state: 'refused', error: { code: 'unauthorized' } })
      } finally {
        await sim.close()
      }
    })
  }
})

describe('the track probe (carriers without a credentials call)', () => {
  const adapter = (answer: () => Promise<TrackResult[]>, asked: string[][] = []): CarrierAdapter => ({
    carrier: 'shipway',
    account: 'a',
    capabilities: new Set(),
    batchSize: 1,
    track: async (n) => (asked.push(n), answer()),
    budget: () => ({ remaining: null, resetsAt: null, blockedUntil: null })
  })
  const at = '2026-12-03T20:00:00.000Z'
  it('asks for one number nobody issued; "unknown parcel" means the carrier took the credentials', async () => {
    const asked: string[][] = []
    const r = await probeConnection(
      adapter(async () => [{ trackingNumber: PROBE_TRACKING, ok: false, error: new CarrierError('not_found', 'x') }], asked),
      at
    )
    expect(asked).toEqual([[PROBE_TRACKING]])
    expect(r).toEqual({ state: 'connected', at, call: 'track' })
  })
  it('a 401 thrown is refused, a 5xx unverified, a bug internal', async () => {
    const thrown = (e: unknown) => adapter(async () => Promise.reject(e))
    expect((await probeConnection(thrown(new CarrierError('unauthorized', 'x', { httpStatus: 401 })), at)).error).toEqual({
      code: 'unauthorized',
      params: { httpStatus: 401 }
    })
    expect((await probeConnection(thrown(new CarrierError('carrier_error', 'x', { httpStatus: 502 })), at)).state).toBe('unverified')
    expect(await probeConnection(thrown(new TypeError('boom')), at)).toMatchObject({ state: 'unverified', error: { code: 'internal' } })
  })
})
