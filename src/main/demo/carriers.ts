import type { CarrierAccount } from '../carriers/types'
import type { SimServer } from '../carriers/sim/server'
import type { Clock } from '../platform/clock'

// The simulators (fixtures, specs, ajv checkers) load when the demo starts, not at every launch.
const loadSimulators = () => import('./simulators')
const pointsDemo = () => import('./points')

/** Seed 000's pickup fields, filled for the demo warehouse so creation works out of the box. */
const DEMO_OPTIONS: Partial<Record<string, Record<string, string | number | boolean>>> = {
  'express-relais': {
    enabled: true,
    pickupCity: 'Casablanca',
    pickupAddress: 'Zone industrielle Aïn Sebaâ, lot 12',
    pickupContact: 'Entrepôt Guichet',
    pickupPhone: '0522000000',
    pickupEmail: 'entrepot@guichet.example'
  }
}

export interface DemoCarriers {
  accounts: CarrierAccount[]
  simulators: SimServer[]
  close(): Promise<void>
}

/**
 * Demo mode runs on the carriers' simulators: each starts on 127.0.0.1 (a free port) with the
 * parcels of the demo data, and gets an account aliased "demo" pointing at it.
 */
export async function startDemoCarriers(clock: Clock): Promise<DemoCarriers> {
  const { DEMO_SIM_CREDENTIALS, SIMULATED_CARRIERS, startSimulator } = await loadSimulators()
  const { startPointsDemo } = await pointsDemo()
  const simulators: SimServer[] = []
  const accounts: CarrierAccount[] = []
  try {
    for (const carrier of SIMULATED_CARRIERS) {
      const sim = await startSimulator(carrier, { clock })
      simulators.push(sim)
      const c = DEMO_SIM_CREDENTIALS[carrier]
      const credentials: Record<string, string> = {}
      if (c.token) credentials.token = c.token
      if (c.user) credentials.username = c.user
      if (c.password) credentials.password = c.password
      accounts.push({ carrier, alias: 'demo', baseUrl: sim.url, credentials, options: DEMO_OPTIONS[carrier] ?? {} })
    }
    // The carriers with pickup points (Sendcloud, Swiss Post) run their own demo set.
    const points = await startPointsDemo(clock)
    simulators.push(...points.simulators)
    accounts.push(...points.accounts)
  } catch (e) {
    await Promise.all(simulators.map((s) => s.close()))
    throw e
  }
  return { accounts, simulators, close: async () => void (await Promise.all(simulators.map((s) => s.close()))) }
}
