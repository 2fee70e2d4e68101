// Counter benchmark. counter.handover_actions: the user actions (a scan or an Enter) the counter
// screen's store needs from scanning a parcel to its receipt, counted by the store itself.
// counter.action_p99: app time per counter action (the backend's dispatcher, IPC boundary
// included, not the network), over a day's flow on a shelf of SHELF parcels.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { GuichetApi } from '../src/shared/contract'
import { createBackend, type Backend } from '../src/main/backend'
import { ManualClock } from '../src/main/platform/clock'
import { silentLogger } from '../src/main/platform/logger'
import { MemoryStore } from '../src/main/core/settings/settings'
import { createCounterStore } from '../src/renderer/src/stores/counter'
import { percentile, type Figure } from './run'

const SHELF = Number(process.env.BENCH_COUNTER_SHELF ?? 2000)

/** window.guichet over the backend's dispatcher, as the HTTP and IPC transports give it. */
function apiOver(backend: Backend): GuichetApi {
  return new Proxy({} as GuichetApi, {
    get: (_t, ns: string) =>
      ns === 'on'
        ? () => () => {}
        : new Proxy({}, { get: (_u, m: string) => (input?: unknown) => backend.dispatch(`${ns}.${m}` as never, (input ?? {}) as never) })
  })
}

export default async function (): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-bench-counter-'))
  const clock = new ManualClock(Date.UTC(2026, 10, 28, 8, 0))
  const backend = createBackend({
    dataDir: dir,
    version: 'bench',
    settingsStore: new MemoryStore(),
    clock,
    logger: silentLogger,
    demo: true,
    demoSimulators: false,
    outboxAutoStart: false
  })
  const times: number[] = []
  const byChannel: Record<string, number[]> = {}
  const timed = async (channel: string, input: unknown) => {
    const t0 = performance.now()
    const r = await backend.dispatch(channel as never, input as never)
    times.push(performance.now() - t0)
    if (process.env.BENCH_COUNTER_DEBUG) (byChannel[channel] ??= []).push(performance.now() - t0)
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`)
    return r.value as never
  }
  try {
    // A busy shelf: SHELF known parcels with recipients and phones, checked in by drivers.
    const insert = backend.db
      .prepare(`INSERT INTO shipments (carrier, account, tracking_number, tracking_key, recipient_name, recipient_phone, point_id, cod_amount, currency, created_at, updated_at)
      VALUES ('ecotrack', 'demo', ?, ?, ?, ?, 'ER-CAS-0142', ?, ?, ?, ?)`)
    backend.db.transaction(() => {
      for (let i = 0; i < SHELF; i++) {
        const t = `ECBENCH${String(i).padStart(7, '0')}`
        // The parcel handed over below is cash on delivery: the count includes the explicit COD confirmation.
        const cod = i === SHELF - 1 ? 1250 : null
        insert.run(t, t, `Client ${i} Bench`, `+2136${String(10000000 + i)}`, cod, cod ? 'DZD' : null, clock.now(), clock.now())
      }
    })()
    let session = (await timed('counter.checkinStart', { driver: 'Bench', announced: 100 })) as { id: number }
    for (let i = 0; i < SHELF; i++) {
      await timed('counter.checkinScan', { sessionId: session.id, code: `ECBENCH${String(i).padStart(7, '0')}` })
      if (i % 100 === 99) {
        // One driver drops about a hundred parcels.
        await timed('counter.checkinClose', { sessionId: session.id, overrideReason: 'bench drop' })
        session = (await timed('counter.checkinStart', { driver: 'Bench' })) as { id: number }
      }
    }
    for (let i = 0; i < 200; i++) {
      const found = (await timed('counter.find', { query: i % 2 ? `Client ${i} Bench` : `06${String(10000000 + i)}` })) as Array<{
        id: number
      }>
      await timed('counter.handover', { parcelIds: found.map((p) => p.id), idType: 'passport', idLast: '1234' })
      clock.advance(60_000)
    }
    for (let i = 0; i < 20; i++) {
      await timed('counter.stock', {})
      await timed('counter.expired', {})
      await timed('counter.dropoff', { code: `RETBENCH${i}` })
    }
    const col = (await timed('counter.collectionStart', { driver: 'Bench' })) as { session: { id: number } }
    for (let i = 0; i < 20; i++) await timed('counter.collectionScan', { sessionId: col.session.id, code: `RETBENCH${i}` })
    await timed('counter.collectionClose', { sessionId: col.session.id })
    for (let i = 0; i < 5; i++) await timed('counter.endOfDay', {})

    // Hand-over as the clerk does it on the counter screen: scan (Enter), then the pickup code, the
    // cash counted and its method typed (nothing prefilled), and Enter.
    const store = createCounterStore(apiOver(backend))
    store.getState().setMode('handover')
    const before = store.getState().actions
    await store.getState().find(`ECBENCH${String(SHELF - 1).padStart(7, '0')}`)
    const parcel = store.getState().found[0]
    if (!parcel?.pickupCode) throw new Error('the parcel to hand over was not found')
    if (!parcel.codAmount) throw new Error('the parcel to hand over should be cash on delivery')
    await store.getState().handover({ pickupCode: parcel.pickupCode, cod: { amount: parcel.codAmount, method: 'cash' } })
    if (!store.getState().document) throw new Error('no receipt after the hand-over')
    const actions = store.getState().actions - before

    if (process.env.BENCH_COUNTER_DEBUG)
      for (const [c, t] of Object.entries(byChannel))
        process.stderr.write(`${c} n=${t.length} p50=${percentile(t, 50).toFixed(1)} p99=${percentile(t, 99).toFixed(1)}\n`)
    return [
      { metric: 'handover_actions', value: actions, unit: 'actions', goal: '<= 3' },
      { metric: 'action_p99', value: percentile(times, 99), unit: 'ms', goal: '<= 100' },
      { metric: 'action_p50', value: percentile(times, 50), unit: 'ms' },
      { metric: 'actions_measured', value: times.length, unit: 'actions' },
      { metric: 'shelf', value: SHELF, unit: 'parcels' }
    ]
  } finally {
    backend.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
