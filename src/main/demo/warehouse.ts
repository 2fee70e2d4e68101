// Demo mode for the warehouse: the three aggregator simulators on loopback, an account aliased
// "demo" for each, and their webhooks pointed at this desk's receiver once it listens.
import type { CarrierAccount } from '../carriers/types'
import type { ClickpostSim } from '../carriers/clickpost/sim/simulator'
import type { ShiprocketSim } from '../carriers/shiprocket/sim/simulator'
import type { ShipwaySim } from '../carriers/shipway/sim/simulator'
import type { SimServer } from '../carriers/sim/server'
import type { Clock } from '../platform/clock'
import { warehouseOptions } from '../features/warehouse/accounts'

// Loaded when a demo starts: a desk without the demo never pays for the simulators at launch.
const loadSimulators = () => import('./aggregator-sims')

export const AGGREGATOR_DEMO = {
  shiprocket: { email: 'api@demo-warehouse.in', password: 'sr-demo-pass-0b7c', webhookToken: 'sr-demo-hook-5e21-demo-only-0c4f9a7d2b6e' },
  clickpost: { username: 'guichet-demo', key: 'cp-demo-key-1f2e', webhookKey: 'cp-demo-hook-77aa-demo-only-3e8b1f6c9d2a' },
  shipway: { username: 'demo@guichet.test', password: 'sw-demo-licence-4d', webhookSecret: 'sw-demo-secret-9c-demo-only-7a4e2d5b8f1c' }
} as const

export interface AggregatorDemo {
  accounts: CarrierAccount[]
  simulators: SimServer[]
  shiprocket: ShiprocketSim
  clickpost: ClickpostSim
  shipway: ShipwaySim
  /** Points each simulator's webhook at the receiver (base: http://host:port/webhooks). */
  connect(receiverBase: string): void
  close(): Promise<void>
}

export async function startAggregatorDemo(clock: Clock): Promise<AggregatorDemo> {
  const { startClickpostSimulator, startShiprocketSimulator, startShipwaySimulator, DEMO_WAREHOUSE } = await loadSimulators()
  const d = AGGREGATOR_DEMO
  const shiprocket = await startShiprocketSimulator({ clock, users: { [d.shiprocket.email]: d.shiprocket.password } })
  const clickpost = await startClickpostSimulator({ clock, username: d.clickpost.username, key: d.clickpost.key }).catch(
    async (e: unknown) => {
      await shiprocket.close()
      throw e
    }
  )
  const shipway = await startShipwaySimulator({ clock, username: d.shipway.username, password: d.shipway.password }).catch(
    async (e: unknown) => {
      await Promise.all([shiprocket.close(), clickpost.close()])
      throw e
    }
  )
  preloadDemoParcels(clock.now(), shiprocket, clickpost, shipway)
  const wh = warehouseOptions(DEMO_WAREHOUSE)
  const accounts: CarrierAccount[] = [
    {
      carrier: 'shiprocket',
      alias: 'demo',
      baseUrl: shiprocket.apiBase,
      credentials: { ...d.shiprocket },
      options: { pickupLocation: 'Primary', ...wh }
    },
    { carrier: 'clickpost', alias: 'demo', baseUrl: clickpost.url, credentials: { ...d.clickpost }, options: { cpId: 1, ...wh } },
    { carrier: 'shipway', alias: 'demo', baseUrl: shipway.url, credentials: { ...d.shipway }, options: { ...wh } }
  ]
  const simulators: SimServer[] = [shiprocket, clickpost, shipway]
  return {
    accounts,
    simulators,
    shiprocket,
    clickpost,
    shipway,
    connect(base) {
      shiprocket.setWebhook(`${base}/shiprocket/demo`, d.shiprocket.webhookToken)
      clickpost.setWebhook(`${base}/clickpost/demo`, d.clickpost.webhookKey)
      shipway.setWebhook(`${base}/shipway/demo?token=${d.shipway.webhookSecret}`)
    },
    close: async () => void (await Promise.all(simulators.map((s) => s.close())))
  }
}

/**
 * The demo store's aggregator parcels (services/demo.ts), known to the simulators at the status
 * the demo shows, so the poller finds them instead of reporting "unknown AWB" in demo mode.
 */
function preloadDemoParcels(now: number, sr: ShiprocketSim, cp: ClickpostSim, sw: ShipwaySim): void {
  const H = 3_600_000
  const sr1 = (awb: string, ref: string, ids: number[], ageH: number) =>
    sr.orders.push({
      id: 9_000_000 + sr.orders.length,
      channelOrderId: ref,
      shipmentId: 8_000_000 + sr.orders.length,
      status: 'IN TRANSIT',
      statusCode: 20,
      awb,
      courierName: 'Delhivery Surface',
      assignedAt: now - ageH * H,
      isReturn: false,
      cancelled: false,
      createdAt: now - ageH * H,
      scans: ids.map((id, i) => ({ at: now - ageH * H + (i + 1) * 3 * H, id, activity: '', location: 'Chennai_Central_H (Tamil Nadu)' })),
      payload: {}
    })
  sr1('141123221084922', 'SR-ORD-88121', [5, 42, 18, 17], 26)
  sr1('141123221084931', 'SR-ORD-88140', [5, 42, 18, 17, 7], 96)
  cp.orders.push({
    waybill: 'CP2611240012',
    reference: 'CP-55012',
    rvp: false,
    cancelled: false,
    scans: [1, 2, 4, 5].map((code, i) => ({ code, at: now - 15 * H + i * 3 * H, location: 'Pune' }))
  })
  cp.orders.push({
    waybill: 'CP2611200044',
    reference: 'CP-54877',
    rvp: false,
    cancelled: false,
    scans: [1, 2, 4, 5, 6, 9].map((code, i) => ({
      code,
      at: now - 190 * H + i * 24 * H,
      location: 'Pune',
      ...(code === 9 ? { ndr: 1 } : {})
    }))
  })
  sw.orders.push({
    orderId: 'SW-2231',
    awb: '7788990011',
    reverse: false,
    pushes: 1,
    cancelled: false,
    scans: [
      { code: 'INT', at: now - 40 * H, location: 'Delhi' },
      { code: 'OOD', at: now - 5 * H, location: 'Jaipur' }
    ]
  })
}

export const AGGREGATOR_SIMULATORS = ['shiprocket', 'clickpost', 'shipway'] as const
export const isAggregatorSimulator = (id: string): id is (typeof AGGREGATOR_SIMULATORS)[number] =>
  (AGGREGATOR_SIMULATORS as readonly string[]).includes(id)

/**
 * One aggregator simulator for `npm run sim`: --user/--password are the Shiprocket API user, the
 * Clickpost username/key or the Shipway username/licence key (demo ones by default).
 * GUICHET_SIM_WEBHOOK (+ GUICHET_SIM_WEBHOOK_SECRET) points its retrying webhook sender somewhere.
 */
export async function startAggregatorSimulator(
  carrier: (typeof AGGREGATOR_SIMULATORS)[number],
  o: { clock: Clock; port?: number; user?: string; password?: string; webhookUrl?: string; webhookSecret?: string }
): Promise<{ sim: SimServer; user: string }> {
  const { startClickpostSimulator, startShiprocketSimulator, startShipwaySimulator } = await loadSimulators()
  const d = AGGREGATOR_DEMO
  switch (carrier) {
    case 'shiprocket': {
      const user = o.user ?? d.shiprocket.email
      const sim = await startShiprocketSimulator({ clock: o.clock, port: o.port, users: { [user]: o.password ?? d.shiprocket.password } })
      if (o.webhookUrl) sim.setWebhook(o.webhookUrl, o.webhookSecret ?? d.shiprocket.webhookToken)
      return { sim, user }
    }
    case 'clickpost': {
      const user = o.user ?? d.clickpost.username
      const sim = await startClickpostSimulator({ clock: o.clock, port: o.port, username: user, key: o.password ?? d.clickpost.key })
      if (o.webhookUrl) sim.setWebhook(o.webhookUrl, o.webhookSecret ?? d.clickpost.webhookKey)
      return { sim, user }
    }
    case 'shipway': {
      const user = o.user ?? d.shipway.username
      const sim = await startShipwaySimulator({ clock: o.clock, port: o.port, username: user, password: o.password ?? d.shipway.password })
      if (o.webhookUrl) sim.setWebhook(o.webhookUrl)
      return { sim, user }
    }
  }
}
