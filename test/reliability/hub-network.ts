// The network part of the reliability suite: a hub process on a throwaway PostgreSQL, 5 desk
// processes (the real backend with its hub link), a TCP proxy in between that cuts the network
// half the time, and 100 SIGKILLs spread over the desks and the hub. Then the network heals,
// the desks stop writing and catch up, and every fact a desk committed must be on the hub once
// and at the desk of its point once:
//   reliability.hub_lost 0, reliability.hub_doubled 0
// Alone: `npx tsx test/reliability/hub-network.ts [--kills N]`.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import Database from 'better-sqlite3'
import { openHubDatabase } from '../../src/hub/db/postgres'
import { HubStore } from '../../src/hub/store'
import { rng } from '../../bench/seed-store'
import { startPgCluster } from '../helpers/pg-cluster'

const root = resolve(import.meta.dirname, '../..')
const DESKS = 5

export interface HubNetworkReport {
  kills: number
  facts: number
  deliveries: number
  lost: number
  doubled: number
  cutPct: number
}

async function bundle(name: string, entry: string): Promise<string> {
  const { build } = await import('esbuild')
  const dir = join(root, 'node_modules', '.cache', 'guichet')
  mkdirSync(dir, { recursive: true })
  const out = join(dir, `${name}.cjs`)
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    outfile: out,
    logLevel: 'error'
  })
  return out
}

/** A TCP proxy that can cut every connection and refuse new ones: the network to the hub. */
function startProxy(target: () => number): Promise<{ port: number; cut(on: boolean): void; close(): void }> {
  let down = false
  const live = new Set<Socket>()
  const server = createServer((c) => {
    if (down) return c.destroy()
    const up = connect(target(), '127.0.0.1')
    live.add(c)
    live.add(up)
    const end = () => {
      c.destroy()
      up.destroy()
      live.delete(c)
      live.delete(up)
    }
    c.on('error', end).on('close', end)
    up.on('error', end).on('close', end)
    c.pipe(up)
    up.pipe(c)
  })
  return new Promise((res) =>
    server.listen(0, '127.0.0.1', () =>
      res({
        port: (server.address() as { port: number }).port,
        cut(on) {
          down = on
          if (on) for (const s of live) s.destroy()
        },
        close() {
          for (const s of live) s.destroy()
          server.close()
        }
      })
    )
  )
}

function startChild(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const p = spawn(process.execPath, [file, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  return new Promise((res, rej) => {
    let out = ''
    const t = setTimeout(() => rej(new Error(`child did not start: ${out}`)), 60_000)
    p.stdout!.on('data', (c: Buffer) => {
      out += c.toString()
      if (out.includes('READY') || out.includes('listening on')) {
        clearTimeout(t)
        res(p)
      }
    })
    p.stderr!.on('data', (c: Buffer) => (out += c.toString()))
    p.once('exit', (code, sig) => {
      clearTimeout(t)
      rej(new Error(`child exited ${code ?? sig}: ${out}`))
    })
  }).then((child) => {
    const c = child as ChildProcess
    c.removeAllListeners('exit')
    c.stdout!.resume()
    c.stderr!.resume()
    return c
  })
}

const kill = (p: ChildProcess | null, sig: NodeJS.Signals = 'SIGKILL') =>
  new Promise<void>((res) => {
    if (!p || p.exitCode !== null || p.signalCode !== null) return res()
    p.once('exit', () => res())
    p.kill(sig)
  })

export async function hubNetwork(opts: { kills: number; log: (s: string) => void; seed?: number }): Promise<HubNetworkReport> {
  const { log } = opts
  const rand = rng(opts.seed ?? 2020)
  const cluster = await startPgCluster()
  const work = mkdtempSync(join(tmpdir(), 'guichet-hubnet-'))
  const hubDb = await openHubDatabase({ url: cluster.url, dataDir: work })
  const store = new HubStore(hubDb.pool)
  const [deskFile, hubFile] = await Promise.all([
    bundle('hub-desk-child', join(root, 'test/reliability/hub-desk-child.ts')),
    bundle('hub-main', join(root, 'src/hub/main.ts'))
  ])
  const hubPort = 20000 + Math.floor(rand() * 20000)
  const proxy = await startProxy(() => hubPort)
  const hubEnv = { DATABASE_URL: cluster.url, GUICHET_HUB_DATA_DIR: join(work, 'hub'), GUICHET_HUB_PORT: String(hubPort) }
  let hub: ChildProcess | null = await startChild(hubFile, [], hubEnv)
  const deskDirs = Array.from({ length: DESKS }, (_, k) => join(work, `desk${k}`))
  const desks: Array<ChildProcess | null> = new Array(DESKS).fill(null)
  const startDesk = async (k: number, write: boolean) => {
    const code = await store.createEnrolmentCode({ role: 'point', pointId: `P${k}` })
    desks[k] = await startChild(deskFile, [deskDirs[k]!, String(k), String(DESKS)], {
      GUICHET_HUB_URL: `http://127.0.0.1:${proxy.port}`,
      GUICHET_HUB_CODE: code,
      GUICHET_HUB_DESK_NAME: `desk ${k}`,
      HUB_DESK_WRITE: write ? '1' : '0'
    })
  }
  for (let k = 0; k < DESKS; k++) await startDesk(k, true)

  // The network: cut and healed at random, about half the time cut.
  let cutMs = 0
  let lastFlip = Date.now()
  let cut = false
  let flipping = true
  const flip = () => {
    if (!flipping) return
    const now = Date.now()
    if (cut) cutMs += now - lastFlip
    lastFlip = now
    cut = !cut
    proxy.cut(cut)
    setTimeout(flip, 300 + Math.floor(rand() * 1_700))
  }
  const t0 = Date.now()
  flip()

  // 100 SIGKILLs spread over the desks and the hub; a killed process comes back after a short
  // while, in the background, while the kills go on elsewhere.
  const restarting = new Set<number>()
  const restart = (target: number, delay: number) => {
    restarting.add(target)
    void new Promise((r) => setTimeout(r, delay))
      .then(async () => {
        if (target === DESKS) hub = await startChild(hubFile, [], hubEnv)
        else await startDesk(target, true)
      })
      .catch((e: Error) => log(`restart failed: ${e.message}`))
      .finally(() => restarting.delete(target))
  }
  for (let i = 0; i < opts.kills;) {
    await new Promise((r) => setTimeout(r, 150 + Math.floor(rand() * 600)))
    const target = Math.floor(rand() * (DESKS + 1))
    if (restarting.has(target)) continue
    if (target === DESKS) {
      await kill(hub)
      hub = null
    } else {
      await kill(desks[target]!)
      desks[target] = null
    }
    restart(target, Math.floor(rand() * 400))
    i++
    if (i % 20 === 0) log(`hub network: ${i} kills`)
  }
  while (restarting.size > 0) await new Promise((r) => setTimeout(r, 100))
  flipping = false
  if (cut) cutMs += Date.now() - lastFlip
  const cutPct = (100 * cutMs) / (Date.now() - t0)
  proxy.cut(false)

  // Heal: desks stop writing (restarted quiet) and catch up.
  for (let k = 0; k < DESKS; k++) {
    await kill(desks[k]!)
    await startDesk(k, false)
  }
  const open = deskDirs.map((d) => new Database(join(d, 'guichet.sqlite'), { readonly: true, fileMustExist: true }))
  const own = (k: number) =>
    open[k]!.prepare(`SELECT tracking_key AS key FROM shipments WHERE tracking_number LIKE ?`).all(`H${k}N%`) as Array<{ key: string }>
  const deadline = Date.now() + 90_000
  let lost = 0
  let doubled = 0
  let facts = 0
  let deliveries = 0
  for (;;) {
    lost = 0
    doubled = 0
    facts = 0
    deliveries = 0
    for (let k = 0; k < DESKS; k++) {
      const link = open[k]!.prepare('SELECT desk_id FROM hub_link WHERE id = 1').get() as { desk_id: string } | undefined
      const mine = own(k)
      facts += mine.length
      const onHub = await hubDb.pool.query<{ key: string; n: number }>(
        `SELECT tracking_key AS key, count(*)::int AS n FROM events WHERE kind = 'shipment' AND desk_id = $1 GROUP BY 1`,
        [link?.desk_id ?? '']
      )
      const hubCount = new Map(onHub.rows.map((r) => [r.key, r.n]))
      const next = (k + 1) % DESKS
      const inbox = new Map(
        (
          open[next]!.prepare(
            `SELECT tracking_key AS key, count(*) AS n FROM hub_inbox WHERE kind = 'shipment' GROUP BY 1`
          ).all() as Array<{ key: string; n: number }>
        ).map((r) => [r.key, r.n])
      )
      for (const { key } of mine) {
        deliveries++
        const h = hubCount.get(key) ?? 0
        const d = inbox.get(key) ?? 0
        if (h === 0) lost++
        if (h > 1) doubled += h - 1
        if (d === 0) lost++
        if (d > 1) doubled += d - 1
      }
    }
    if ((lost === 0 && doubled === 0) || Date.now() > deadline) break
    await new Promise((r) => setTimeout(r, 1_000))
  }
  for (const d of open) d.close()
  for (const d of desks) await kill(d, 'SIGTERM')
  await kill(hub, 'SIGTERM')
  proxy.close()
  await hubDb.close()
  cluster.stop()
  rmSync(work, { recursive: true, force: true })
  return { kills: opts.kills, facts, deliveries, lost, doubled, cutPct }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--kills')
  const kills = i > 0 ? Number(process.argv[i + 1]) : 100
  const log = (s: string) => process.stderr.write(`[reliability] ${s}\n`)
  hubNetwork({ kills, log })
    .then((r) => {
      process.stdout.write(
        `reliability.hub_kills ${r.kills}\nreliability.hub_facts ${r.facts}\nreliability.hub_cut_pct ${Math.round(r.cutPct)} %\n`
      )
      process.stdout.write(`reliability.hub_lost ${r.lost}\nreliability.hub_doubled ${r.doubled}\n`)
      process.stdout.write(`${r.lost === 0 && r.doubled === 0 ? 1 : 0} passed, ${r.lost === 0 && r.doubled === 0 ? 0 : 1} failed\n`)
      process.exit(r.lost === 0 && r.doubled === 0 ? 0 : 1)
    })
    .catch((e: Error) => {
      log(e.stack ?? e.message)
      process.stdout.write('0 passed, 1 failed\n')
      process.exit(1)
    })
}
