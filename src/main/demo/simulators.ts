// Starts a carrier simulator in-process: for demo mode, end-to-end tests and `npm run sim`.
import type { Clock } from '../platform/clock'
import { systemClock } from '../platform/clock'
import { startEcotrackSimulator } from '../carriers/ecotrack/sim/simulator'
import type { EcoFixture } from '../carriers/ecotrack/sim/fixtures'
import { startExpressRelaisSimulator } from '../carriers/express-relais/sim/simulator'
import type { ErFixture } from '../carriers/express-relais/sim/fixtures'
import type { SimServer } from '../carriers/sim/server'

export const SIMULATED_CARRIERS = ['ecotrack', 'express-relais'] as const
type SimulatedCarrier = (typeof SIMULATED_CARRIERS)[number]

export interface SimulatorCredentials {
  token?: string
  user?: string
  password?: string
}

/** Credentials a simulator accepts when none are given (demo mode). */
export const DEMO_SIM_CREDENTIALS: Record<SimulatedCarrier, Required<SimulatorCredentials>> = {
  ecotrack: { token: 'demo-ecotrack-token', user: '', password: '' },
  'express-relais': { token: '', user: 'demo', password: 'demo-password' }
}

interface StartSimulatorOptions {
  port?: number
  credentials?: SimulatorCredentials
  clock?: Clock
  /** Parcels to start with; by default the fixtures matching the demo data. */
  parcels?: readonly EcoFixture[] | readonly ErFixture[]
}

export function isSimulatedCarrier(id: string): id is SimulatedCarrier {
  return (SIMULATED_CARRIERS as readonly string[]).includes(id)
}

export async function startSimulator(carrier: SimulatedCarrier, opts: StartSimulatorOptions = {}): Promise<SimServer> {
  const clock = opts.clock ?? systemClock
  const demo = DEMO_SIM_CREDENTIALS[carrier]
  switch (carrier) {
    case 'ecotrack':
      return startEcotrackSimulator({
        clock,
        port: opts.port,
        tokens: [opts.credentials?.token ?? demo.token],
        parcels: opts.parcels as readonly EcoFixture[] | undefined
      })
    case 'express-relais':
      return startExpressRelaisSimulator({
        clock,
        port: opts.port,
        username: opts.credentials?.user ?? demo.user,
        password: opts.credentials?.password ?? demo.password,
        parcels: opts.parcels as readonly ErFixture[] | undefined
      })
  }
}
