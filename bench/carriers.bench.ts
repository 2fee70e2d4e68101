// Carrier layer figures: how fast the HTTP core + limiter + simulator loop runs, and what the
// ECOTRACK limits cost in (simulated) time. Wall time is this machine's; carrier time is simulated.
import type { Figure } from './run'
import { HOUR, ManualClock } from '../src/main/platform/clock'
import { silentLogger } from '../src/main/platform/logger'
import { createEcotrackAdapter } from '../src/main/carriers/ecotrack/client'
import { startEcotrackSimulator } from '../src/main/carriers/ecotrack/sim/simulator'
import { RateLimiter } from '../src/main/carriers/http/rate-limiter'
import { ECOTRACK_WINDOWS } from '../src/main/carriers/ecotrack/client'

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!

export default async function (): Promise<Figure[]> {
  const figures: Figure[] = []
  const clock = new ManualClock()
  const token = 'bench-token-0001'
  const sim = await startEcotrackSimulator({ clock, tokens: [token] })
  try {
    const many = Array.from({ length: 100 }, (_, i) => `ECQFLDB${String(i).padStart(9, '0')}`)
    for (const t of many)
      sim.addParcel({
        tracking: t,
        reference: t,
        client: 'C',
        phone: '0550000000',
        adresse: 'A',
        commune: 'Kouba',
        wilaya_id: 16,
        montant: 1,
        stop_desk: 0,
        ageHours: 30,
        done: 4,
        path: [
          { activity: 'order_information_received_by_carrier', order: 'prete_a_expedier' },
          { activity: 'picked', order: 'vers_hub' },
          { activity: 'accepted_by_carrier', order: 'en_hub' },
          { activity: 'dispatched_to_driver', order: 'en_livraison' }
        ]
      })
    const eco = createEcotrackAdapter(
      { carrier: 'ecotrack', alias: 'bench', baseUrl: sim.url, credentials: { token } },
      { now: () => clock.now(), logger: silentLogger, sleep: async (ms) => clock.advance(ms), maxQueueWaitMs: Infinity }
    )

    // 1. The must-show burst: 5,000 status requests under 50/min, 1500/h, 15000/day.
    const t0 = clock.now()
    const w0 = performance.now()
    for (let i = 0; i < 5000; i++) await eco.track([many[i % 100]!])
    const wall = performance.now() - w0
    figures.push({ metric: 'burst5000.wall', value: wall, unit: 'ms' })
    figures.push({ metric: 'burst5000.throughput', value: 5000 / (wall / 1000), unit: 'req/s' })
    figures.push({
      metric: 'burst5000.carrier_time',
      value: (clock.now() - t0) / HOUR,
      unit: 'h',
      goal: '~3.15 h: 3 full hours of 1500 then 500 at 50/min'
    })
    figures.push({ metric: 'burst5000.http429', value: sim.stats.tooMany, unit: 'count', goal: '0' })

    // 2. One batch status call for 100 parcels: loopback latency through the whole stack.
    clock.advance(24 * HOUR)
    const lat: number[] = []
    for (let i = 0; i < 200; i++) {
      const s = performance.now()
      const r = await eco.track(many)
      lat.push(performance.now() - s)
      if (r.some((x) => !x.ok)) throw new Error('batch failed')
    }
    figures.push({ metric: 'track100.p50', value: pct(lat, 50), unit: 'ms' })
    figures.push({ metric: 'track100.p95', value: pct(lat, 95), unit: 'ms' })
  } finally {
    await sim.close()
  }

  // 3. Limiter bookkeeping with a full day window (15,000 stamps).
  const c = new ManualClock(0)
  const l = new RateLimiter(ECOTRACK_WINDOWS, () => c.now())
  const s = performance.now()
  for (let i = 0; i < 15_000; i++) {
    c.advance(l.delay())
    l.take()
  }
  figures.push({ metric: 'limiter.op', value: ((performance.now() - s) * 1000) / 15_000, unit: 'us' })
  return figures
}
