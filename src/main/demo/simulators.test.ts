import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HOUR, ManualClock } from '../platform/clock'
import { DEMO_TRACKING } from './shipments'
import { captureLogger } from '../carriers/testing/capture.testkit'
import { ECOTRACK_FIXTURES } from '../carriers/ecotrack/sim/fixtures'
import { EXPRESS_RELAIS_FIXTURES } from '../carriers/express-relais/sim/fixtures'
import { carrierModule } from '../carriers/registry'
import type { SimServer } from '../carriers/sim/server'
import { DEMO_SIM_CREDENTIALS, startSimulator } from './simulators'
import { mapStatus, type CarrierAccount, type CarrierAdapter } from '../carriers/types'

// Demo mode end to end at the carrier layer: the demo's parcels, refreshed through the registry's
// adapters against the simulators, come back with the demo's history and then move on.
const PICKUP = {
  enabled: true,
  pickupCity: 'Casablanca',
  pickupAddress: '27 Rue Ibnou Mounir',
  pickupContact: 'Relais Maarif',
  pickupPhone: '0522000000',
  pickupEmail: 'maarif@example.ma'
}

/** Both simulators with the demo parcels, and the accounts demo mode points at them. */
async function startDemoCarriers(opts: { clock: ManualClock }): Promise<{ accounts: CarrierAccount[]; close(): Promise<void> }> {
  const sims: SimServer[] = [await startSimulator('ecotrack', opts), await startSimulator('express-relais', opts)]
  const er = DEMO_SIM_CREDENTIALS['express-relais']
  return {
    accounts: [
      { carrier: 'ecotrack', alias: 'demo', baseUrl: sims[0]!.url, credentials: { token: DEMO_SIM_CREDENTIALS.ecotrack.token } },
      {
        carrier: 'express-relais',
        alias: 'demo',
        baseUrl: sims[1]!.url,
        credentials: { username: er.user, password: er.password },
        options: PICKUP
      }
    ],
    close: async () => {
      for (const s of sims) await s.close()
    }
  }
}

describe('demo carriers', () => {
  const clock = new ManualClock()
  let demo: Awaited<ReturnType<typeof startDemoCarriers>>
  const adapters = new Map<string, CarrierAdapter>()

  beforeAll(async () => {
    demo = await startDemoCarriers({ clock })
    for (const a of demo.accounts)
      adapters.set(a.carrier, carrierModule(a.carrier)!.createAdapter(a, { now: () => clock.now(), logger: captureLogger() }))
  })
  afterAll(async () => demo.close())

  it('seeds the demo tracking numbers', () => {
    expect(ECOTRACK_FIXTURES.map((f) => f.tracking)).toContain(DEMO_TRACKING.ecotrack)
    expect(EXPRESS_RELAIS_FIXTURES.map((f) => f.idParcelClient)).toContain(DEMO_TRACKING.expressRelais)
  })

  it('refresh now returns the demo status, and new events as the clock moves', async () => {
    for (const [carrier, numbers] of [
      ['ecotrack', ECOTRACK_FIXTURES.map((f) => f.tracking)],
      ['express-relais', EXPRESS_RELAIS_FIXTURES.map((f) => f.idParcelClient)]
    ] as const) {
      const adapter = adapters.get(carrier)!
      const mapping = carrierModule(carrier)!.mapping
      const first = await adapter.track([...numbers])
      expect(first.every((r) => r.ok)).toBe(true)
      clock.advance(3 * HOUR)
      const later = await adapter.track([...numbers])
      expect(later.every((r) => r.ok)).toBe(true)
      let moved = 0
      first.forEach((r, i) => {
        const l = later[i]!
        if (!r.ok || !l.ok) throw new Error('unreachable: every answer asserted ok above')
        expect(mapStatus(mapping, l.current!.nativeStatus).known).toBe(true)
        if (l.current!.nativeStatus !== r.current!.nativeStatus) moved++
      })
      expect(moved).toBeGreaterThan(0)
    }
  })

  it('the demo parcel at the counter is waiting at the point (Express Relais)', async () => {
    clock.set(Date.UTC(2026, 10, 28, 9, 0, 0))
    const fresh = await startDemoCarriers({ clock })
    try {
      const a = carrierModule('express-relais')!.createAdapter(fresh.accounts[1]!, { now: () => clock.now(), logger: captureLogger() })
      const [r] = await a.track([DEMO_TRACKING.expressRelais])
      expect(r!.ok && mapStatus(carrierModule('express-relais')!.mapping, r!.current!.nativeStatus).kind).toBe('waiting_at_point')
    } finally {
      await fresh.close()
    }
  })
})
