// Start-up benchmark: how long until a desk answers its first scan, and how much memory it
// holds after 100 scans, with an empty store and with a year of parcels (1,000,000 shipments).
// Each start is a real process on the built bundle, measured from spawn to the first answer:
//  - browser: `node out/main/serve.js` (what `npm run serve` runs), scans over POST /rpc;
//  - backend: out/main/backend.process.js in a forked Node child, the code the desktop app's
//    utilityProcess runs, scans over its message port (measured when that entry is built).
// One more 1M start after a simulated power cut shows the integrity check kept off that path.
// The empty-store and 1M starts reuse their data dir (and so the code cache a previous start
// wrote); `first_ready_ms` is the first start in a new data dir, no store and no cache.
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { Figure } from './run'
import { benchTracking, rng, seedStore } from './seed-store'

const ROOT = resolve(import.meta.dirname, '..')
const N = Number(process.env.BENCH_SHIPMENTS ?? 1_000_000)
const STARTS = Number(process.env.BENCH_STARTS ?? 9)
const SCANS = 100

interface Start {
  /** Spawn to first scan answered. */
  readyMs: number
  /** CPU time (user + system) the process spent until then: what an idle PC would wait. */
  cpuMs: number
  /** Resident memory after 100 scans. */
  rssMb: number
}

/** A seeded store kept between runs (seeding a year of parcels takes minutes). */
function bigStore(): string {
  const dir = join(ROOT, 'bench-results', 'stores', `startup-${N}`)
  if (!existsSync(join(dir, 'seeded'))) {
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    process.stderr.write(`seeding ${N} shipments for the start-up bench (once)...\n`)
    seedStore(dir, N)
    writeFileSync(join(dir, 'seeded'), String(N))
  }
  return dir
}

/** VmRSS and CPU time (user + system) of a live process, from /proc. */
function procFigures(pid: number): { rssMb: number; cpuMs: number } {
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  const ticks = Number(stat[11]) + Number(stat[12])
  return { rssMb: Number(rss?.[1] ?? 0) / 1024, cpuMs: ticks * 10 }
}

/**
 * The children's environment as on a relay-point PC. These machines set NODE_EXTRA_CA_CERTS (the
 * system CA bundle, for their npm proxy): every Node start then parses some 140 certificates
 * before running a line, about 45 ms here, which a desk's PC does not spend. Kept out, and
 * `node_bare_ms` reports what is left of Node's own start, the floor under every figure.
 */
const deskEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra }
  delete env.NODE_EXTRA_CA_CERTS
  return env
}

/** Spawn to exit of `node -e 0`: Node's own start on this machine, now. */
function bareNodeMs(): number {
  const t0 = performance.now()
  execFileSync(process.execPath, ['-e', '0'], { env: deskEnv({}) })
  return performance.now() - t0
}

const exited = (child: ChildProcess) =>
  new Promise<void>((done) => (child.exitCode !== null || child.signalCode !== null ? done() : child.once('exit', () => done())))

async function browserStart(dataDir: string, scan: (i: number) => string): Promise<Start> {
  const t0 = performance.now()
  const child = spawn(process.execPath, [join(ROOT, 'out/main/serve.js')], {
    env: deskEnv({ GUICHET_DATA_DIR: dataDir, GUICHET_PORT: '0', GUICHET_DEMO: '' }),
    stdio: ['ignore', 'pipe', 'inherit']
  })
  try {
    const url = await new Promise<string>((ok, ko) => {
      let out = ''
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString()
        const m = /listening on (\S+)/.exec(out)
        if (m) ok(m[1]!)
      })
      child.once('exit', (code) => ko(new Error(`serve exited with ${code} before listening`)))
    })
    const base = new URL(url)
    const token = new URLSearchParams(base.hash.slice(1)).get('token')
    const find = async (query: string) => {
      const r = await fetch(`${base.origin}/rpc/shipments.find`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query })
      })
      const body = (await r.json()) as { ok: boolean }
      if (!body.ok) throw new Error(`scan refused: ${JSON.stringify(body)}`)
    }
    await find(scan(0))
    const readyMs = performance.now() - t0
    const { cpuMs } = procFigures(child.pid!)
    for (let i = 1; i <= SCANS; i++) await find(scan(i))
    return { readyMs, cpuMs, rssMb: procFigures(child.pid!).rssMb }
  } finally {
    child.kill('SIGTERM')
    await exited(child)
  }
}

async function backendStart(dataDir: string, scan: (i: number) => string): Promise<Start> {
  const t0 = performance.now()
  const child = fork(join(ROOT, 'out/main/backend.process.js'), [], {
    // Not the bench's own flags: under tsx they would load tsx's loaders into the child, which
    // the utilityProcess never has (it was half of this figure's CPU).
    execArgv: [],
    env: deskEnv({ GUICHET_DATA_DIR: dataDir, GUICHET_DEMO: '' }),
    stdio: ['ignore', 'ignore', 'inherit', 'ipc']
  })
  try {
    let next = 1
    const waiting = new Map<number, (v: { ok: boolean }) => void>()
    child.on('message', (m: { type?: string; id?: number; result?: { ok: boolean } }) => {
      if (m.type === 'reply' && m.id !== undefined) waiting.get(m.id)?.(m.result!)
    })
    const find = (query: string) =>
      new Promise<void>((ok, ko) => {
        const id = next++
        waiting.set(id, (r) => (r.ok ? ok() : ko(new Error(`scan refused: ${JSON.stringify(r)}`))))
        child.send({ type: 'call', id, channel: 'shipments.find', input: { query } })
      })
    await find(scan(0))
    const readyMs = performance.now() - t0
    const { cpuMs } = procFigures(child.pid!)
    for (let i = 1; i <= SCANS; i++) await find(scan(i))
    return { readyMs, cpuMs, rssMb: procFigures(child.pid!).rssMb }
  } finally {
    child.send({ type: 'stop' })
    await exited(child)
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

export default async function (): Promise<Figure[]> {
  if (!existsSync(join(ROOT, 'out/main/serve.js'))) execFileSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'ignore' })
  const big = bigStore()
  const rand = rng(11)
  const scanBig = () => benchTracking(Math.floor(rand() * N))
  const modes: Array<[string, typeof browserStart]> = [['', browserStart]]
  if (existsSync(join(ROOT, 'out/main/backend.process.js'))) modes.push(['backend_', backendStart])
  // The bench's own first fetch loads Node's HTTP client (about 35 ms here): not the desk's time
  // (its window fetches with Chromium), so it is paid before any start is timed.
  await fetch('http://127.0.0.1:9/').catch(() => undefined)
  const figures: Figure[] = [
    { metric: 'load_avg_1m_before', value: loadavg()[0]!, unit: '' },
    { metric: 'node_bare_ms', value: median(Array.from({ length: 5 }, bareNodeMs)), unit: 'ms' }
  ]
  for (const [prefix, run] of modes) {
    // One data dir for all the empty starts, as on a desk: it keeps its store and its code cache.
    const empty = mkdtempSync(join(tmpdir(), 'guichet-bench-startup-'))
    for (const [size, dir, scan] of [
      ['empty', empty, () => 'BX000000000001'],
      ['1m', big, scanBig]
    ] as const) {
      const starts: Start[] = []
      // One start first, not counted: it creates the store or applies pending migrations, and
      // writes the code cache (platform/startup/code-cache.ts) that the next starts read. In the
      // new empty dir it is a first start after installation: reported on its own.
      for (let i = 0; i <= STARTS; i++) {
        const s = await run(dir, scan)
        if (i > 0) starts.push(s)
        else if (size === 'empty')
          figures.push(
            { metric: `${prefix}first_ready_ms`, value: s.readyMs, unit: 'ms' },
            { metric: `${prefix}first_ready_cpu_ms`, value: s.cpuMs, unit: 'ms' }
          )
      }
      if (size === '1m') {
        // After a power cut (a -wal left beside the store): the full-file check must not come
        // before the first scan; it runs after it, in a worker thread.
        writeFileSync(join(dir, 'guichet.sqlite-wal'), '')
        figures.push({ metric: `${prefix}ready_ms_1m_after_power_cut`, value: (await run(dir, scan)).readyMs, unit: 'ms', goal: '<= 300' })
      }
      figures.push(
        {
          metric: `${prefix}ready_ms_${size}`,
          value: median(starts.map((s) => s.readyMs)),
          unit: 'ms',
          goal: size === 'empty' ? '<= 150' : '<= 300'
        },
        { metric: `${prefix}ready_cpu_ms_${size}`, value: median(starts.map((s) => s.cpuMs)), unit: 'ms' },
        {
          metric: `${prefix}rss_mb_${size}`,
          value: median(starts.map((s) => s.rssMb)),
          unit: 'MB',
          ...(size === '1m' ? { goal: '<= 150' } : {})
        }
      )
    }
    rmSync(empty, { recursive: true, force: true })
  }
  // The machine is shared: wall-clock figures mean little without the load they were taken under.
  figures.push({ metric: 'load_avg_1m_after', value: loadavg()[0]!, unit: '' })
  return figures
}
