// Store benchmark: 1,000,000 shipments in a real SQLite file, then the two lookups a counter
// does all day, measured in the service (ShipmentService), as the UI calls it.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { openDatabase } from '../src/main/db/database'
import { ShipmentRepository } from '../src/main/db/shipments.repo'
import { ShipmentService } from '../src/main/services/shipments'
import { phoneKeys, trackingKey } from '../src/shared/scan'
import { CARRIERS } from '../src/shared/domain'
import { percentile, type Figure } from './run'

const N = Number(process.env.BENCH_SHIPMENTS ?? 1_000_000)
const FIRST = ['Yasmine', 'Karim', 'Salma', 'Omar', 'Nadia', 'Amina', 'Rachid', 'Lina', 'Sofiane', 'Priya', 'Arjun', 'Camille', 'Julien', 'Lukas', 'Sophie', 'Noah', 'Meera', 'Hamza', 'Imane', 'Ananya', 'Rohan', 'Léa', 'Mehdi', 'Fatima', 'Youssef', 'Ines', 'Anna', 'Marco', 'Elif', 'Sara']
const LAST = ['El Idrissi', 'Benjelloun', 'Tazi', 'Alaoui', 'Berrada', 'Boudiaf', 'Belkacem', 'Hamidi', 'Mansouri', 'Raman', 'Mehta', 'Laurent', 'Moreau', 'Meier', 'Favre', 'Schmid', 'Nair', 'Chraibi', 'Fassi', 'Iyer', 'Kapoor', 'Martin', 'Haddad', 'Zerrouki', 'Amrani', 'Keller', 'Rossi', 'Yilmaz', 'Dubois', 'Bernard']

/** A tiny deterministic PRNG so every run seeds the same store. */
function rng(seed: number) {
  return () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0) / 2 ** 32)
}

export default async function (): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-bench-store-'))
  const { db } = openDatabase(join(dir, 'bench.sqlite'))
  const rand = rng(42)
  const now = Date.UTC(2026, 10, 28, 9)
  const tracking = (i: number) => `BX${String(i).padStart(12, '0')}`
  const t0 = performance.now()
  const insert = db.prepare(`INSERT INTO shipments (carrier, account, tracking_number, tracking_key, reference, recipient_name,
      recipient_phone, phone_keys, unified_status, created_at, updated_at) VALUES (?, 'bench', ?, ?, ?, ?, ?, ?, 'shipping_in_progress', ?, ?)`)
  const event = db.prepare(`INSERT INTO tracking_events (shipment_id, at, unified_status, native_status, source, recorded_at, dedupe_key)
      VALUES (?, ?, 'shipping_in_progress', 'in_transit', 'import', ?, ?)`)
  const batch = 50_000
  for (let start = 0; start < N; start += batch) {
    db.transaction(() => {
      for (let i = start; i < Math.min(N, start + batch); i++) {
        const name = `${FIRST[Math.floor(rand() * FIRST.length)]} ${LAST[Math.floor(rand() * LAST.length)]}`
        const phone = `+2126${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`
        const created = now - Math.floor(rand() * 30 * 86_400_000)
        const t = tracking(i)
        const info = insert.run(CARRIERS[i % CARRIERS.length], t, trackingKey(t), `REF-${i}`, name, phone, phoneKeys(phone), created, created)
        const id = Number(info.lastInsertRowid)
        event.run(id, created, created, `${created}|a`)
        event.run(id, created + 3_600_000, created, `${created}|b`)
      }
    })()
  }
  db.pragma('optimize')
  const seedSeconds = (performance.now() - t0) / 1000

  const service = new ShipmentService(new ShipmentRepository(db), { now: () => now })
  // A desk that has been open a while: warm the cache as the first scans of the day would.
  for (let i = 0; i < 500; i++) service.find(tracking(Math.floor(rand() * N)))
  const lookups: number[] = []
  for (let i = 0; i < 5000; i++) {
    const t = tracking(Math.floor(rand() * N))
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
          ? `${(LAST[Math.floor(rand() * LAST.length)] ?? 'Tazi').slice(0, 4)}`
          : `06${String(Math.floor(rand() * 1000)).padStart(3, '0')}`
    const s = performance.now()
    service.search(text, 50)
    prefixes.push(performance.now() - s)
  }
  db.close()
  rmSync(dir, { recursive: true, force: true })
  return [
    { metric: 'shipments', value: N, unit: 'rows' },
    { metric: 'seed_s', value: seedSeconds, unit: 's' },
    { metric: 'lookup_p50', value: percentile(lookups, 50), unit: 'ms' },
    { metric: 'lookup_p99', value: percentile(lookups, 99), unit: 'ms', goal: '<= 1 ms' },
    { metric: 'prefix_p50', value: percentile(prefixes, 50), unit: 'ms' },
    { metric: 'prefix_p99', value: percentile(prefixes, 99), unit: 'ms', goal: '<= 20 ms' }
  ]
}
