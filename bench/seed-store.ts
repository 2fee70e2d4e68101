// Seeds a store with N realistic shipments (two events each), deterministic for a given N.
import { join } from 'node:path'
import { openDatabase } from '../src/main/platform/db/database'
import { phoneKeys, trackingKey } from '../src/shared/scan'
import { CARRIERS } from '../src/shared/domain'

export const FIRST = [
  'Yasmine',
  'Karim',
  'Salma',
  'Omar',
  'Nadia',
  'Amina',
  'Rachid',
  'Lina',
  'Sofiane',
  'Priya',
  'Arjun',
  'Camille',
  'Julien',
  'Lukas',
  'Sophie',
  'Noah',
  'Meera',
  'Hamza',
  'Imane',
  'Ananya',
  'Rohan',
  'Léa',
  'Mehdi',
  'Fatima',
  'Youssef',
  'Ines',
  'Anna',
  'Marco',
  'Elif',
  'Sara'
]
export const LAST = [
  'El Idrissi',
  'Benjelloun',
  'Tazi',
  'Alaoui',
  'Berrada',
  'Boudiaf',
  'Belkacem',
  'Hamidi',
  'Mansouri',
  'Raman',
  'Mehta',
  'Laurent',
  'Moreau',
  'Meier',
  'Favre',
  'Schmid',
  'Nair',
  'Chraibi',
  'Fassi',
  'Iyer',
  'Kapoor',
  'Martin',
  'Haddad',
  'Zerrouki',
  'Amrani',
  'Keller',
  'Rossi',
  'Yilmaz',
  'Dubois',
  'Bernard'
]

/** A tiny deterministic PRNG so every run seeds the same store. */
export function rng(seed: number): () => number {
  return () => (seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0) / 2 ** 32
}

export const benchTracking = (i: number): string => `BX${String(i).padStart(12, '0')}`

/** Creates dir/guichet.sqlite with n shipments; returns the seconds it took. */
export function seedStore(dir: string, n: number, now = Date.UTC(2026, 10, 28, 9)): number {
  const { db } = openDatabase(join(dir, 'guichet.sqlite'))
  const rand = rng(42)
  const t0 = performance.now()
  const insert = db.prepare(`INSERT INTO shipments (carrier, account, tracking_number, tracking_key, reference, recipient_name,
      recipient_phone, phone_keys, unified_status, status_kind, native_status, created_at, updated_at, status_at)
      VALUES (?, 'bench', ?, ?, ?, ?, ?, ?, 'shipping_in_progress', 'status', 'in_transit', ?, ?, ?)`)
  const event =
    db.prepare(`INSERT INTO tracking_events (shipment_id, at, unified_status, native_status, description, location, source, recorded_at, dedupe_key)
      VALUES (?, ?, ?, ?, ?, ?, 'import', ?, ?)`)
  const batch = 50_000
  for (let start = 0; start < n; start += batch) {
    db.transaction(() => {
      for (let i = start; i < Math.min(n, start + batch); i++) {
        const name = `${FIRST[Math.floor(rand() * FIRST.length)]} ${LAST[Math.floor(rand() * LAST.length)]}`
        const phone = `+2126${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`
        const created = now - Math.floor(rand() * 30 * 86_400_000)
        const t = benchTracking(i)
        const info = insert.run(
          CARRIERS[i % CARRIERS.length],
          t,
          trackingKey(t),
          `REF-${i}`,
          name,
          phone,
          phoneKeys(phone),
          created,
          created,
          created + 3_600_000
        )
        const id = Number(info.lastInsertRowid)
        event.run(id, created, 'packaging', 'created', 'Order created', 'Casablanca', created, `${created}|a`)
        event.run(
          id,
          created + 3_600_000,
          'shipping_in_progress',
          'in_transit',
          'Parcel in transit',
          'Hub Casablanca',
          created,
          `${created}|b`
        )
      }
    })()
  }
  db.pragma('optimize')
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  return (performance.now() - t0) / 1000
}
