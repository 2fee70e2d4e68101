import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../platform/clock'
import { createEcotrackAdapter } from '../ecotrack/client'
import { startEcotrackSimulator } from '../ecotrack/sim/simulator'
import { createExpressRelaisAdapter } from '../express-relais/client'
import { startExpressRelaisSimulator } from '../express-relais/sim/simulator'
import { captureError, captureLogger, CAPTURED, findLeaks, simulatedSleep, TEST_SECRETS } from '../testing/capture.testkit'
import { CarrierError, type CarrierAdapter } from '../types'
import { FAULT_KINDS, type FaultKind, type SimServer } from './server'

// Every fault a simulator can inject, against each adapter: the affected shipment gets a typed
// CarrierError, its neighbours are untouched, the adapter keeps working, nothing is left unhandled.
const EXPECTED: Record<FaultKind, string[]> = {
  http_500: ['carrier_error'],
  http_502: ['carrier_error'],
  http_503: ['carrier_error'],
  timeout: ['timeout'],
  slow_drip: ['timeout'],
  truncated_json: ['carrier_error'],
  malformed_json: ['carrier_error'],
  wrong_content_type: ['carrier_error'],
  http_429: ['rate_limited'],
  connection_reset: ['offline']
}

const unhandled: unknown[] = []
const onUnhandled = (e: unknown) => unhandled.push(e)

interface Case {
  name: string
  sim: SimServer
  adapter: CarrierAdapter
  affected: string
  other: string
}

describe('fault matrix', () => {
  const clock = new ManualClock()
  const logger = captureLogger()
  const cases: Case[] = []
  const RETRIES = 2

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled)
    const eco = await startEcotrackSimulator({ clock, tokens: [TEST_SECRETS[0]] })
    const er = await startExpressRelaisSimulator({ clock, username: TEST_SECRETS[2], password: TEST_SECRETS[1] })
    const deps = { now: () => clock.now(), logger, sleep: simulatedSleep(clock), timeoutMs: 1000, maxRetries: RETRIES }
    cases.push({
      name: 'ecotrack',
      sim: eco,
      adapter: createEcotrackAdapter(
        { carrier: 'ecotrack', alias: 'default', baseUrl: eco.url, credentials: { token: TEST_SECRETS[0] } },
        deps
      ),
      affected: 'ECQFLD2611240017',
      other: 'ECQFLD2611260021'
    })
    cases.push({
      name: 'express-relais',
      sim: er,
      adapter: createExpressRelaisAdapter(
        {
          carrier: 'express-relais',
          alias: 'default',
          baseUrl: er.url,
          credentials: { username: TEST_SECRETS[2], password: TEST_SECRETS[1] },
          options: { enabled: true }
        },
        deps
      ),
      affected: 'ERMA2611240042',
      other: 'ERMA2611230031'
    })
  })

  afterAll(async () => {
    for (const c of cases) await c.sim.close()
    process.off('unhandledRejection', onUnhandled)
    expect(unhandled).toEqual([])
    expect(findLeaks()).toEqual([])
  })

  for (const carrier of ['ecotrack', 'express-relais']) {
    for (const kind of FAULT_KINDS) {
      it(`${carrier}: ${kind} gives a typed error on the affected shipment and the adapter keeps working`, async () => {
        const c = cases.find((x) => x.name === carrier)!
        // Persistent: every attempt, retries included, meets the fault.
        c.sim.inject({ kind, match: c.affected, times: RETRIES + 1, retryAfterSec: 5 })
        const [bad] = await c.adapter.track([c.affected])
        expect(bad!.trackingNumber).toBe(c.affected)
        expect(bad!.ok).toBe(false)
        if (bad!.ok) throw new Error('unreachable: asserted not ok above')
        captureError(bad!.error)
        expect(bad!.error).toBeInstanceOf(CarrierError)
        expect(EXPECTED[kind]).toContain(bad!.error.code)
        expect(bad!.error.message).toMatch(carrier === 'ecotrack' ? /ECOTRACK/ : /Express Relais/)
        c.sim.clearFaults()
        // The neighbour and the affected parcel both work on the next call.
        const good = await c.adapter.track([c.other, c.affected])
        expect(good.map((r) => r.ok)).toEqual([true, true])
      })
    }

    it(`${carrier}: a transient fault on a safe request is retried away`, async () => {
      const c = cases.find((x) => x.name === carrier)!
      for (const kind of ['http_503', 'connection_reset', 'timeout'] as const) {
        c.sim.inject({ kind, match: c.affected, times: 1 })
        const [r] = await c.adapter.track([c.affected])
        expect(r!.ok).toBe(true)
      }
      expect(logger.lines.some((l) => l.includes('carrier.retry'))).toBe(true)
    })
  }

  it('a write is never repeated after a lost answer (connection reset on create)', async () => {
    const c = cases.find((x) => x.name === 'ecotrack')!
    const eco = c.adapter as ReturnType<typeof createEcotrackAdapter>
    c.sim.inject({ kind: 'connection_reset', match: 'create/order', times: 1 })
    const before = c.sim.log.length
    await expect(
      eco.createOrder({
        nom_client: 'Test',
        telephone: '0550000000',
        adresse: 'A',
        commune: 'Kouba',
        code_wilaya: 16,
        montant: 100,
        type: 1
      })
    ).rejects.toMatchObject({ code: 'offline' })
    expect(c.sim.log.length - before).toBe(1)
    expect(CAPTURED.length).toBeGreaterThan(0)
  })
})
