// Webhook receiver: how fast a desk answers aggregator notifications over HTTP (they retry until a
// 200, so a slow answer means more traffic), first deliveries vs retries, on a store of 5,000
// aggregator shipments. Figures: notifications/s and p50/p95 latency per answer.
import { performance } from 'node:perf_hooks'
import { request, Agent } from 'undici'
import type { Figure } from './run'
import { DEMO_SHIPROCKET, demoShiprocketAccount, startWarehouseSlice } from '../src/main/demo/warehouse-slice'
import { openAggregatorDatabase } from '../src/main/features/warehouse/warehouse.testkit'
import { ManualClock } from '../src/main/platform/clock'
import { silentLogger } from '../src/main/platform/logger'

const SHIPMENTS = 5_000
const CONCURRENCY = 8

function stamp(ms: number): string {
  const d = new Date(ms + 5.5 * 3_600_000)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${p(d.getUTCDate())} ${p(d.getUTCMonth() + 1)} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`
}

const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!

export default async function (): Promise<Figure[]> {
  const clock = new ManualClock()
  const db = openAggregatorDatabase()
  const slice = await startWarehouseSlice({ db, clock, logger: silentLogger, accounts: [demoShiprocketAccount('http://127.0.0.1:9')] })
  const awbs: string[] = []
  db.transaction(() => {
    for (let i = 0; i < SHIPMENTS; i++) {
      const awb = String(19041424000000 + i)
      awbs.push(awb)
      slice.repo.insert({
        carrier: 'shiprocket',
        account: DEMO_SHIPROCKET.alias,
        trackingNumber: awb,
        recipientName: `R${i}`,
        createdAt: clock.now() - 86_400_000
      })
    }
  })()
  const url = `${slice.receiver.url}/webhooks/shiprocket/${DEMO_SHIPROCKET.alias}`
  const agent = new Agent({ connections: CONCURRENCY })
  const bodies = awbs.flatMap((awb, i) =>
    [17, 7].map((id, k) =>
      JSON.stringify({
        awb,
        shipment_status: id === 7 ? 'DELIVERED' : 'OUT FOR DELIVERY',
        shipment_status_id: id,
        current_status_id: id === 7 ? 7 : 19,
        current_timestamp: stamp(clock.now() + i * 1000 + k * 3_600_000),
        is_return: 0,
        scans: []
      })
    )
  )

  async function blast(list: string[]): Promise<{ perSec: number; p50: number; p95: number }> {
    const lat: number[] = []
    let next = 0
    const t0 = performance.now()
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < list.length) {
          const body = list[next++]!
          const s = performance.now()
          const res = await request(url, {
            method: 'POST',
            dispatcher: agent,
            headers: { 'content-type': 'application/json', 'x-api-key': DEMO_SHIPROCKET.webhookToken },
            body
          })
          await res.body.dump()
          if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`)
          lat.push(performance.now() - s)
        }
      })
    )
    const secs = (performance.now() - t0) / 1000
    return { perSec: list.length / secs, p50: pct(lat, 0.5), p95: pct(lat, 0.95) }
  }

  const first = await blast(bodies)
  const retries = await blast(bodies) // every one again: all duplicates
  await agent.close()
  await slice.close()
  db.close()
  return [
    { metric: 'first_delivery_per_s', value: first.perSec, unit: 'notifications/s' },
    { metric: 'first_delivery_p50', value: first.p50, unit: 'ms' },
    { metric: 'first_delivery_p95', value: first.p95, unit: 'ms' },
    { metric: 'retry_per_s', value: retries.perSec, unit: 'notifications/s' },
    { metric: 'retry_p95', value: retries.p95, unit: 'ms' }
  ]
}
