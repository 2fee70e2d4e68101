// `npm run bench -- hub`: many desks, one hub, on a throwaway PostgreSQL cluster.
//  1. A simulated week, 5 desks sharing one ECOTRACK-like account (batches of 100, 50/min,
//     1,500/h, 15,000/day), 534 new orders a day spread over the desks, the real Poller and
//     StatusPipeline on each desk's SQLite, HubSync rounds every 10 simulated minutes:
//       calls_over_floor = carrier calls / sum over cycles of ceil(distinct shipments checked / 100)
//     and the same week without the hub (each desk polls the shipments it shares with the others).
//  2. Sync lag on loopback: 3 desks syncing in real time; a shipment written at one is seen at another.
//  3. 200 simulated desks pushing 1M events (HUB_BENCH_EVENTS) through a hub process: a desk's day (5,000)
//     each, in the batches a desk sends (HubSync's 1,000), all desks at once.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { StatusPipeline } from '../src/main/core/pipeline/pipeline'
import { memoryStore, mappingForAll } from '../src/main/core/pipeline/pipeline.testkit'
import { ECOTRACK_LIKE, FakeCarrier } from '../src/main/carriers/testing/fake-carrier.testkit'
import { Poller } from '../src/main/core/poller/poller'
import { DEFAULT_SCHEDULE, ageInDays, firstCheckAt, jitterUnit, tierInterval } from '../src/main/core/schedule/schedule'
import { DAY, ManualClock, systemClock } from '../src/main/platform/clock'
import { EventBus } from '../src/main/platform/events'
import { silentLogger } from '../src/main/platform/logger'
import { HubSync } from '../src/main/features/hub-sync/sync'
import { createHubSyncFeature } from '../src/main/features/hub-sync/setup'
import { HubClient } from '../src/main/features/hub-sync/client'
import { memoryOwnSecrets, vaultHubSecrets } from '../src/main/features/hub-sync/secrets'
import { openHubDatabase } from '../src/hub/db/postgres'
import { startHubHttp } from '../src/hub/http'
import { createOffice } from '../src/hub/office'
import { HubStore } from '../src/hub/store'
import { HUB_PROTOCOL, type HubEvent } from '../src/shared/hub/contract'
import { startPgCluster } from '../test/helpers/pg-cluster'
import { startHubProcess } from '../test/helpers/hub-process'
import { percentile, type Figure } from './run'

const MINUTE = 60_000
const DAYS = Number(process.env.HUB_BENCH_DAYS ?? 7)
const START = Date.UTC(2026, 10, 2, 9, 0, 0)
const DESKS = 5
const PER_DAY = 534
const SYNC_EVERY_MIN = 10
/** HUB_BENCH_PARTS=week,nohub,lag,throughput (default all): a part alone, on a noisy machine. */
const PARTS = new Set((process.env.HUB_BENCH_PARTS ?? 'week,nohub,lag,throughput').split(','))

export default async function hubBench(): Promise<Figure[]> {
  const cluster = await startPgCluster()
  try {
    const figures: Figure[] = []
    const dbName = async (name: string) => {
      const c = new pg.Client({ connectionString: cluster.url })
      await c.connect()
      await c.query(`CREATE DATABASE ${name}`)
      await c.end()
      return cluster.url.replace(/\/postgres$/, `/${name}`)
    }
    if (PARTS.has('week')) {
      const withHub = await week(true, await dbName('week'))
      figures.push(
        { metric: 'calls_over_floor', value: withHub.ratio, unit: 'ratio', goal: '1.00 +- 0.02' },
        { metric: 'rate_limited', value: withHub.tooMany, unit: '429s', goal: '0' },
        { metric: 'calls_week', value: withHub.calls, unit: 'calls' },
        { metric: 'week_sim_s', value: withHub.simS, unit: 's' }
      )
    }
    if (PARTS.has('nohub')) {
      const alone = await week(false, null)
      figures.push(
        { metric: 'no_hub.calls_over_floor', value: alone.ratio, unit: 'ratio', goal: 'about 5.00' },
        { metric: 'no_hub.rate_limited', value: alone.tooMany, unit: '429s' }
      )
    }
    if (PARTS.has('lag')) figures.push(...(await lag(await dbName('lag'))))
    if (PARTS.has('throughput')) figures.push(...(await throughput(await dbName('load'), cluster.dir)))
    return figures
  } finally {
    cluster.stop()
  }
}

interface Desk {
  poller: Poller
  sync: HubSync | null
  repo: ReturnType<typeof memoryStore>['repo']
  db: ReturnType<typeof memoryStore>['db']
}

async function week(useHub: boolean, url: string | null) {
  const clock = new ManualClock(START)
  const carrier = new FakeCarrier({ carrier: 'ecotrack', ...ECOTRACK_LIKE, now: () => clock.now() })
  let cycleNumbers = new Set<string>()
  const track = carrier.track.bind(carrier)
  carrier.track = async (numbers) => {
    for (const n of numbers) cycleNumbers.add(n)
    return track(numbers)
  }
  const hubDb = url ? await openHubDatabase({ url, dataDir: tmpdir() }) : null
  const store = hubDb ? new HubStore(hubDb.pool) : null
  const http =
    store && hubDb
      ? await startHubHttp({ store, office: createOffice(hubDb.pool, store), logger: silentLogger, host: '127.0.0.1', port: 0 })
      : null
  const desks: Desk[] = []
  for (let k = 0; k < DESKS; k++) {
    const { db, repo } = memoryStore()
    const events = new EventBus()
    const pipeline = new StatusPipeline({ db, clock, events, logger: silentLogger, mappingFor: mappingForAll() })
    let sync: HubSync | null = null
    if (store && http) {
      sync = new HubSync({
        db,
        clock,
        logger: silentLogger,
        secrets: vaultHubSecrets(memoryOwnSecrets()),
        accountsInUse: () => ['ecotrack/default'],
        leaseTtlMs: 10 * MINUTE,
        pushBatch: 2_000
      })
      const code = await store.createEnrolmentCode({ role: 'point', pointId: `P${k}` })
      const r = await sync.enrol(http.url, code, `desk ${k}`)
      if (!r.ok) throw new Error('enrolment failed')
    }
    const s = sync
    const poller = new Poller({
      db,
      pipeline,
      clock,
      events,
      logger: silentLogger,
      accounts: () => [{ adapter: carrier }],
      ...(s ? { mayPoll: (a: { carrier: string; account: string }) => s.mayPoll(a) } : {})
    })
    desks.push({ poller, sync, repo, db })
  }
  // Orders: with the hub each desk registers its own share and the hub shares them; without it,
  // every desk registers every shipment of the shared account (they all follow them).
  const importDay = (d: number, steady: boolean) => {
    const createdAt = START + d * DAY
    for (let i = 0; i < PER_DAY; i++) {
      const tn = `EC${d + 100}${String(i).padStart(5, '0')}`
      carrier.addParcel(tn, createdAt)
      const iv = tierInterval(ageInDays(createdAt, START), DEFAULT_SCHEDULE)
      const next = steady ? (iv === null ? null : START + Math.floor(jitterUnit(tn, 7) * iv)) : firstCheckAt(tn, createdAt)
      desks.forEach((desk, k) => {
        if (useHub && i % DESKS !== k) return
        desk.repo.insert({ carrier: 'ecotrack', trackingNumber: tn, recipientName: 'R', createdAt, nextCheckAt: next })
      })
    }
  }
  for (let d = -DEFAULT_SCHEDULE.maxCheckDays; d < 0; d++) importDay(d, true)
  const syncAll = async () => {
    for (const d of desks) await d.sync?.round()
  }
  if (useHub) for (let i = 0; i < 3; i++) await syncAll()

  let calls = 0
  let floor = 0
  const t0 = performance.now()
  for (let m = 0; m < DAYS * 24 * 60; m++) {
    clock.set(START + m * MINUTE)
    if (m % (24 * 60) === 0) importDay(m / (24 * 60), false)
    if (useHub && m % SYNC_EVERY_MIN === 0) await syncAll()
    cycleNumbers = new Set()
    for (const d of desks) {
      const r = await d.poller.runCycle()
      for (const a of Object.values(r.accounts)) calls += a.calls
    }
    floor += Math.ceil(cycleNumbers.size / ECOTRACK_LIKE.batchSize)
  }
  const simS = (performance.now() - t0) / 1000
  await http?.close()
  await hubDb?.close()
  for (const d of desks) d.db.close()
  return { ratio: floor === 0 ? 0 : calls / floor, calls, tooMany: carrier.tooMany, simS }
}

/** Real time: desks sync on their own timers; a shipment registered at one is seen at another. */
async function lag(url: string): Promise<Figure[]> {
  const hubDb = await openHubDatabase({ url, dataDir: tmpdir() })
  const store = new HubStore(hubDb.pool)
  const http = await startHubHttp({ store, office: createOffice(hubDb.pool, store), logger: silentLogger, host: '127.0.0.1', port: 0 })
  const desks = []
  for (let k = 0; k < 3; k++) {
    const { db, repo } = memoryStore()
    const f = createHubSyncFeature({ db, clock: systemClock, logger: silentLogger, vault: memoryOwnSecrets(), accountsInUse: () => [] })
    const r = await f.service.enrol(http.url, await store.createEnrolmentCode({ role: 'point', pointId: 'LAG' }), `lag ${k}`)
    if (!r.ok) throw new Error('enrolment failed')
    f.start()
    desks.push({ db, repo, f })
  }
  const samples: number[] = []
  for (let i = 0; i < 40; i++) {
    const from = desks[i % 3]!
    const to = desks[(i + 1) % 3]!
    const tn = `LAG${String(i).padStart(6, '0')}`
    const t0 = performance.now()
    from.repo.insert({
      carrier: 'ecotrack',
      trackingNumber: tn,
      recipientName: 'R',
      createdAt: Date.now(),
      point: { id: 'LAG', name: 'L', address: 'A' }
    })
    const seen = to.db.prepare('SELECT 1 FROM shipments WHERE tracking_number = ?')
    while (!seen.get(tn)) await new Promise((r) => setTimeout(r, 10))
    samples.push(performance.now() - t0)
    await new Promise((r) => setTimeout(r, 100 + ((i * 137) % 300)))
  }
  for (const d of desks) {
    await d.f.close()
    d.db.close()
  }
  await http.close()
  await hubDb.close()
  return [
    { metric: 'sync_lag_p50_ms', value: percentile(samples, 50), unit: 'ms' },
    { metric: 'sync_lag_p99_ms', value: percentile(samples, 99), unit: 'ms', goal: '<= 2000' }
  ]
}

/** CPU seconds (user + system) of a process from /proc; with `children`, its waited-for children too. */
function cpuS(pid: number, children = false): number {
  try {
    // Fields after the command (which may hold spaces): state is field 3, utime 14 ... cstime 17.
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    const ticks = Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0)
    return ticks / 100
  } catch {
    return 0
  }
}

/** The PostgreSQL cluster's CPU so far: the postmaster, the backends it reaped, and the live ones. */
function pgCpuS(dataDir: string): number {
  let postmaster: number
  try {
    postmaster = Number(readFileSync(join(dataDir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0])
  } catch {
    return 0
  }
  let total = cpuS(postmaster, true)
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const f = readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ')
      if (Number(f[1]) === postmaster) total += cpuS(Number(d))
    } catch {
      // gone meanwhile
    }
  }
  return total
}

/** 200 desks push a day's events through one hub process. */
async function throughput(url: string, dir: string): Promise<Figure[]> {
  const total = Number(process.env.HUB_BENCH_EVENTS ?? 1_000_000)
  const deskCount = 200
  const perDesk = Math.ceil(total / deskCount)
  // HubSync's own push batch: 200 desks sending a whole day in one request would each wait
  // behind the 199 others for minutes; a real desk pushes 1,000 at a time.
  const batch = 1_000
  const hubDb = await openHubDatabase({ url, dataDir: dir })
  const store = new HubStore(hubDb.pool)
  const dataDir = mkdtempSync(join(tmpdir(), 'guichet-hub-bench-'))
  const hub = await startHubProcess({ databaseUrl: url, dataDir, port: 18000 + Math.floor(Math.random() * 2000) })
  try {
    const clients: HubClient[] = []
    for (let k = 0; k < deskCount; k++) {
      const code = await store.createEnrolmentCode({ role: 'point', pointId: `B${k % 50}` })
      const r = await new HubClient(hub.url, null).enrol(code, `bench ${k}`)
      if (!r.ok) throw new Error('enrolment failed')
      clients.push(new HubClient(hub.url, { deskId: r.value.deskId, credential: r.value.credential }, 120_000))
    }
    const size0 = Number((await hubDb.pool.query('SELECT pg_database_size(current_database()) AS s')).rows[0].s)
    let rss = 0
    const sampler = setInterval(() => (rss = Math.max(rss, hub.rssKb())), 200)
    const load0 = loadavg()[0]!
    const cpu0 = { hub: cpuS(hub.child.pid!), pg: pgCpuS(dir), bench: process.cpuUsage() }
    const t0 = performance.now()
    await Promise.all(
      clients.map(async (c, k) => {
        for (let s = 1; s <= perDesk; s += batch) {
          const events: HubEvent[] = []
          for (let q = s; q < Math.min(s + batch, perDesk + 1); q++)
            events.push({
              seq: q,
              kind: q % 3 === 0 ? 'counter' : 'status',
              at: START + q * 1000,
              carrier: 'ecotrack',
              account: 'default',
              trackingKey: `EC${k}X${q}`,
              pointId: `B${k % 50}`,
              body: { unifiedStatus: 'shipped', nativeStatus: 'PARCEL_IN_TRANSIT', dedupeKey: `${q}`, state: 'on_shelf', action: 'checkin' }
            })
          const r = await c.push({ protocol: HUB_PROTOCOL, accounts: ['ecotrack/default'], events })
          if (!r.ok) throw new Error(`push refused: ${JSON.stringify(r)}`)
        }
      })
    )
    const seconds = (performance.now() - t0) / 1000
    const benchCpu = process.cpuUsage(cpu0.bench)
    const cpu = {
      hub: cpuS(hub.child.pid!) - cpu0.hub,
      pg: pgCpuS(dir) - cpu0.pg,
      bench: (benchCpu.user + benchCpu.system) / 1e6
    }
    const load1 = loadavg()[0]!
    clearInterval(sampler)
    rss = Math.max(rss, hub.rssKb())
    const n = Number((await hubDb.pool.query('SELECT count(*) AS n FROM events')).rows[0].n)
    const size1 = Number((await hubDb.pool.query('SELECT pg_database_size(current_database()) AS s')).rows[0].s)
    return [
      { metric: 'events', value: n, unit: 'events' },
      { metric: 'events_per_s', value: n / seconds, unit: 'events/s', goal: '>= 5000' },
      // What the run cost in CPU, which the machine's load does not change much: the hub process,
      // PostgreSQL (every backend) and the 200 simulated desks (this process).
      { metric: 'cpu_ms_per_1000.hub', value: (cpu.hub * 1e6) / n, unit: 'ms' },
      { metric: 'cpu_ms_per_1000.pg', value: (cpu.pg * 1e6) / n, unit: 'ms' },
      { metric: 'cpu_ms_per_1000.desks', value: (cpu.bench * 1e6) / n, unit: 'ms' },
      // Events per second the same work would take on the 2 cores with nobody else on them.
      { metric: 'events_per_cpu_bound_s', value: n / ((cpu.hub + cpu.pg + cpu.bench) / cpus().length), unit: 'events/s' },
      { metric: 'load_avg_start', value: load0, unit: '' },
      { metric: 'load_avg_end', value: load1, unit: '' },
      { metric: 'hub_rss_mb', value: rss / 1024, unit: 'MB' },
      { metric: 'pg_mb_per_million_events', value: ((size1 - size0) / 2 ** 20) * (1e6 / n), unit: 'MB' }
    ]
  } finally {
    await hub.kill('SIGTERM')
    await hubDb.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
