// points.*: the point search as the desk uses it. Live: both point simulators on loopback (Swiss
// Post search includes one details call per point for the opening hours). Offline: a store holding
// 20,000 cached points, searched by postal code, town and position after the carriers went away.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { memoryStore } from '../src/main/core/pipeline/pipeline.testkit'
import { ManualClock } from '../src/main/platform/clock'
import { silentLogger } from '../src/main/platform/logger'
import { createSendcloudAdapter } from '../src/main/carriers/sendcloud/client'
import { createSwissPostAdapter } from '../src/main/carriers/swisspost/client'
import type { CarrierAdapter } from '../src/main/carriers/types'
import { demoPointAccount, startPointSimulator } from '../src/main/demo/points'
import { PointService } from '../src/main/features/points/service'
import type { PickupPoint } from '../src/shared/points'
import { emptyOpeningTimes } from '../src/shared/points'
import { percentile, type Figure } from './run'

const CACHED = 20_000

export default async (): Promise<Figure[]> => {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-points-bench-'))
  const { db } = memoryStore(join(dir, 'bench.sqlite'))
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 9, 0, 0))
  const sc = await startPointSimulator('sendcloud', { clock })
  const sp = await startPointSimulator('swisspost', { clock })
  try {
    const deps = { now: () => clock.now(), logger: silentLogger, timeoutMs: 5000 }
    let adapters: CarrierAdapter[] = [
      createSendcloudAdapter(demoPointAccount('sendcloud', sc.url), deps),
      createSwissPostAdapter(demoPointAccount('swisspost', sp.url), deps)
    ]
    const service = new PointService({ db, clock, logger: silentLogger, adapters: () => adapters })

    const live: number[] = []
    for (let i = 0; i < 30; i++) {
      const t = performance.now()
      await service.search({ country: i % 2 ? 'NL' : 'CH', postalCode: i % 2 ? '5611' : '8004', radiusM: 3000 + i })
      live.push(performance.now() - t)
    }

    // 20,000 cached points spread over Switzerland, as weeks of searches would leave.
    const hours = emptyOpeningTimes()
    hours.monday.push({ from: '08:00', to: '18:00' })
    const ins = db.prepare(
      `INSERT INTO points (key, carrier, account, point_id, type, name, zip, city, city_fold, country, lat, lon, data, fetched_at) VALUES (?, 'swisspost', 'bench', ?, 'locker', ?, ?, ?, ?, 'CH', ?, ?, ?, ?)`
    )
    db.transaction(() => {
      for (let i = 0; i < CACHED; i++) {
        const zip = String(1000 + (i % 8000))
        const city = `Town ${i % 900}`
        const lat = 45.9 + (i % 997) / 400
        const lon = 6.0 + (i % 991) / 230
        const p: PickupPoint = {
          id: `B${i}`,
          carrier: 'swisspost',
          account: 'bench',
          name: `Point ${i}`,
          type: 'locker',
          street: 'Rue',
          houseNo: '1',
          zip,
          city,
          country: 'CH',
          lat,
          lon,
          openingTimes: hours,
          openTomorrow: null,
          openThisWeek: null,
          distanceM: null,
          services: ['My Post 24']
        }
        ins.run(`swisspost:bench:B${i}`, `B${i}`, p.name, zip, city, city.toLowerCase(), lat, lon, JSON.stringify(p), clock.now())
      }
    })()
    adapters = [
      createSwissPostAdapter(
        { ...demoPointAccount('swisspost', 'http://127.0.0.1:9'), alias: 'bench' },
        { ...deps, timeoutMs: 300, maxRetries: 0 }
      )
    ]
    const off: number[] = []
    for (let i = 0; i < 60; i++) {
      const q =
        i % 3 === 0
          ? { postalCode: String(1000 + ((i * 37) % 8000)) }
          : i % 3 === 1
            ? { city: `town ${(i * 11) % 900}` }
            : { lat: 46.5 + (i % 10) / 20, lon: 7 + (i % 7) / 10 }
      const t = performance.now()
      const r = await service.search({ country: 'CH', radiusM: 5000, ...q })
      off.push(performance.now() - t)
      if (r.source !== 'cache') throw new Error('expected the cache')
    }
    return [
      { metric: 'search_live_p50_ms', value: Math.round(percentile(live, 50) * 10) / 10, unit: 'ms' },
      { metric: 'search_live_p95_ms', value: Math.round(percentile(live, 95) * 10) / 10, unit: 'ms' },
      // Includes the refused connection to the unreachable carrier (loopback, immediate).
      { metric: 'search_offline_20k_p50_ms', value: Math.round(percentile(off, 50) * 10) / 10, unit: 'ms' },
      { metric: 'search_offline_20k_p95_ms', value: Math.round(percentile(off, 95) * 10) / 10, unit: 'ms' }
    ]
  } finally {
    await sc.close()
    await sp.close()
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
