// Store benchmark: 1,000,000 shipments in a real SQLite file, then the two lookups a counter
// does all day, measured in the service (ShipmentService), as the UI calls it.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { openDatabase } from '../src/main/platform/db/database'
import { ShipmentRepository } from '../src/main/core/shipments/shipments.repo'
import { ShipmentService } from '../src/main/core/shipments/service'
import { percentile, type Figure } from './run'
import { FIRST, LAST, benchTracking, rng, seedStore } from './seed-store'

const N = Number(process.env.BENCH_SHIPMENTS ?? 1_000_000)

export default async function (): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-bench-store-'))
  const seedSeconds = seedStore(dir, N)
  const { db } = openDatabase(join(dir, 'guichet.sqlite'), { skipIntegrityCheck: true })
  const rand = rng(7)
  const service = new ShipmentService(new ShipmentRepository(db), { now: () => Date.UTC(2026, 10, 28, 9) })
  // A desk that has been open a while: warm the cache as the first scans of the day would.
  for (let i = 0; i < 500; i++) service.find(benchTracking(Math.floor(rand() * N)))
  const lookups: number[] = []
  for (let i = 0; i < 5000; i++) {
    const t = benchTracking(Math.floor(rand() * N))
    const s = performance.now()
    const r = service.find(t)
    lookups.push(performance.now() - s)
    if (r.kind !== 'shipment') throw new Error(`lookup of ${t} failed`)
  }
  const prefixes: number[] = []
  for (let i = 0; i < 1000; i++) {
    const kind = i % 3
    const text =
      kind === 0
        ? (FIRST[Math.floor(rand() * FIRST.length)] ?? 'Omar').slice(0, 3)
        : kind === 1
          ? (LAST[Math.floor(rand() * LAST.length)] ?? 'Tazi').slice(0, 4)
          : `06${String(Math.floor(rand() * 1000)).padStart(3, '0')}`
    const s = performance.now()
    service.search(text, 50)
    prefixes.push(performance.now() - s)
  }
  const t0 = performance.now()
  openDatabase(join(dir, 'guichet.sqlite')).db.close() // start-up cost incl. the integrity check
  const openSeconds = (performance.now() - t0) / 1000
  db.close()
  rmSync(dir, { recursive: true, force: true })
  return [
    { metric: 'shipments', value: N, unit: 'rows' },
    { metric: 'seed_s', value: seedSeconds, unit: 's' },
    { metric: 'open_with_integrity_check_s', value: openSeconds, unit: 's' },
    { metric: 'lookup_p50', value: percentile(lookups, 50), unit: 'ms' },
    { metric: 'lookup_p99', value: percentile(lookups, 99), unit: 'ms', goal: '<= 1 ms' },
    { metric: 'prefix_p50', value: percentile(prefixes, 50), unit: 'ms' },
    { metric: 'prefix_p99', value: percentile(prefixes, 99), unit: 'ms', goal: '<= 20 ms' }
  ]
}
