// Demo mode and `npm run sim` for the carriers with points: the Sendcloud and Swiss Post
// simulators on 127.0.0.1 (free ports unless given), and the accounts aliased "demo" that use them.
import { systemClock, type Clock } from '../platform/clock'
import { startSendcloudSimulator } from '../carriers/sendcloud/sim/simulator'
import { startSwissPostSimulator, swissPostSimHosts } from '../carriers/swisspost/sim/simulator'
import { SP_FRANKING_LICENSE } from '../carriers/swisspost/sim/fixtures'
import type { SimServer } from '../carriers/sim/server'
import type { CarrierAccount } from '../carriers/types'

const POINT_SIMULATORS = ['sendcloud', 'swisspost'] as const
type PointSimulator = (typeof POINT_SIMULATORS)[number]
export const isPointSimulator = (s: string): s is PointSimulator => (POINT_SIMULATORS as readonly string[]).includes(s)

/** Keys the simulators accept in demo mode (not secrets: they only open a loopback simulator). */
export const POINTS_DEMO_CREDENTIALS = {
  sendcloud: { user: 'demo-sendcloud-public', password: 'demo-sendcloud-secret' },
  swisspost: { user: 'demo-swisspost-client', password: 'demo-swisspost-secret' }
} as const

/** The warehouse printed as sender on demo Swiss Post labels. */
const DEMO_SENDER = { name1: 'Entrepôt Guichet', street: 'Rue du Rhône 12', zip: '1204', city: 'Genève' }

/** The demo store's Sendcloud parcels (services/demo.ts), so polling them in demo mode finds them. */
const DEMO_SENDCLOUD_PARCELS = [
  {
    trackingNumber: '3SYZXG132912330',
    statusId: 12,
    carrier: 'colissimo',
    servicePointId: 20003,
    name: 'Camille Laurent',
    city: 'Paris',
    postalCode: '75011',
    country: 'FR',
    ageMs: 50 * 3_600_000
  },
  {
    trackingNumber: '3SYZXG132912347',
    statusId: 3,
    carrier: 'colissimo',
    servicePointId: 20003,
    name: 'Julien Moreau',
    city: 'Paris',
    postalCode: '75011',
    country: 'FR',
    ageMs: 18 * 3_600_000
  },
  {
    trackingNumber: '3SYZXG132912361',
    statusId: 5,
    carrier: 'mondial_relay',
    servicePointId: 20001,
    name: 'Salma Tazi',
    city: 'Paris',
    postalCode: '75003',
    country: 'FR',
    ageMs: 20 * 3_600_000
  }
] as const

export async function startPointSimulator(
  carrier: PointSimulator,
  opts: { port?: number; clock?: Clock; user?: string; password?: string } = {}
): Promise<SimServer> {
  const clock = opts.clock ?? systemClock
  const c = POINTS_DEMO_CREDENTIALS[carrier]
  if (carrier === 'sendcloud')
    return startSendcloudSimulator({
      clock,
      port: opts.port,
      keys: [{ publicKey: opts.user ?? c.user, secretKey: opts.password ?? c.password }],
      parcels: DEMO_SENDCLOUD_PARCELS
    })
  return startSwissPostSimulator({ clock, port: opts.port, clients: [{ id: opts.user ?? c.user, secret: opts.password ?? c.password }] })
}

export function demoPointAccount(carrier: PointSimulator, url: string): CarrierAccount {
  const c = POINTS_DEMO_CREDENTIALS[carrier]
  if (carrier === 'sendcloud') return { carrier, alias: 'demo', baseUrl: url, credentials: { public_key: c.user, secret_key: c.password } }
  return {
    carrier,
    alias: 'demo',
    baseUrl: url,
    credentials: { client_id: c.user, client_secret: c.password },
    options: { ...swissPostSimHosts(url), frankingLicense: SP_FRANKING_LICENSE, sender: DEMO_SENDER }
  }
}

/** Both simulators and their demo accounts; close() stops them. */
export async function startPointsDemo(
  clock: Clock = systemClock
): Promise<{ accounts: CarrierAccount[]; simulators: SimServer[]; close(): Promise<void> }> {
  const simulators: SimServer[] = []
  try {
    for (const c of POINT_SIMULATORS) simulators.push(await startPointSimulator(c, { clock }))
  } catch (e) {
    await Promise.all(simulators.map((s) => s.close()))
    throw e
  }
  return {
    accounts: POINT_SIMULATORS.map((c, i) => demoPointAccount(c, simulators[i]!.url)),
    simulators,
    close: async () => void (await Promise.all(simulators.map((s) => s.close())))
  }
}
