// Kill the poller mid-cycle (SIGKILL, while a carrier call is in flight), restart it on the same
// store: no tracking event is lost or stored twice, and the schedule picks up where it stopped.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { memoryStore } from '../pipeline/pipeline.testkit'

const PARCELS = 120
const STEPS = ['ORDER_CONFIRMED', 'PARCEL_PICKEDUP', 'PARCEL_IN_TRANSIT', 'WAITING_IN_LOCKER', 'PARCEL_RETRIEVED']
const T0 = Date.UTC(2026, 10, 1, 8)

/**
 * The carrier: each parcel's history grows by one event each time it is asked about, and every
 * answer carries the whole history so far, as carrier tracking APIs do. Answers are slow, so a
 * kill lands while calls are in flight.
 */
function startCarrier(
  onRequest: (n: number) => void
): Promise<{ server: Server; url: string; revealed: Map<string, number>; requests: () => number }> {
  const revealed = new Map<string, number>()
  let requests = 0
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const numbers = (url.searchParams.get('n') ?? '').split(',').filter(Boolean)
    requests++
    const results = numbers.map((n) => {
      const shown = Math.min(STEPS.length, (revealed.get(n) ?? 0) + 1)
      revealed.set(n, shown)
      return { n, events: STEPS.slice(0, shown).map((status, i) => ({ id: `${n}#${i}`, at: T0 + i * 60_000, status })) }
    })
    onRequest(requests)
    setTimeout(() => {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ results }))
    }, 25)
  })
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () =>
      ok({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, revealed, requests: () => requests })
    )
  )
}

function startChild(file: string, url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'kill-child.testkit.ts'), file, url], {
    cwd: resolve(__dirname, '../../../..'),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let err = ''
  child.stderr!.on('data', (d) => (err += String(d)))
  return new Promise((ok, ko) => {
    child.stdout!.on('data', (d) => {
      if (String(d).includes('cycling')) ok(child)
    })
    child.on('exit', (code) => ko(new Error(`child exited (${code}) before cycling: ${err}`)))
  })
}

const exited = (c: ChildProcess) =>
  new Promise<void>((ok) => (c.exitCode !== null || c.signalCode !== null ? ok() : c.once('exit', () => ok())))

describe('poller killed mid-cycle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-kill-'))
  const children: ChildProcess[] = []
  let server: Server | undefined
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
    await Promise.all(children.map(exited))
    await new Promise((r) => (server ? server.close(() => r(null)) : r(null)))
    rmSync(dir, { recursive: true, force: true })
  })

  it('loses no event, doubles none, and resumes the schedule after SIGKILL and a restart', async () => {
    const file = join(dir, 'guichet.sqlite')
    const seed = memoryStore(file)
    const ids: number[] = []
    seed.db.transaction(() => {
      for (let i = 0; i < PARCELS; i++)
        ids.push(
          seed.repo.insert({
            carrier: 'ecotrack',
            trackingNumber: `ECK${String(i).padStart(6, '0')}`,
            recipientName: `R${i}`,
            createdAt: Date.now(),
            nextCheckAt: 0
          })
        )
    })()
    seed.db.close()

    let killAt = Number.POSITIVE_INFINITY
    const run: { victim?: ChildProcess } = {}
    let killedAtRequest = 0
    const carrier = await startCarrier((n) => {
      // Kill as a request arrives: that call's answer never reaches the store.
      if (n >= killAt && run.victim && !killedAtRequest) {
        killedAtRequest = n
        run.victim.kill('SIGKILL')
      }
    })
    server = carrier.server

    const victim = await startChild(file, carrier.url)
    run.victim = victim
    children.push(victim)
    killAt = carrier.requests() + 17
    await exited(victim)
    expect(victim.signalCode).toBe('SIGKILL')
    expect(killedAtRequest).toBeGreaterThan(0)

    // Some parcels were part-way: the store holds fewer events than the carrier has shown.
    const mid = memoryStore(file)
    const storedAtKill = (mid.db.prepare('SELECT count(*) AS n FROM tracking_events').get() as { n: number }).n
    const shownAtKill = [...carrier.revealed.values()].reduce((a, b) => a + b, 0)
    mid.db.close()
    expect(storedAtKill).toBeLessThan(shownAtKill)
    const killedAt = Date.now()

    // Restart on the same file and let it run until every parcel reached its final status.
    const second = await startChild(file, carrier.url)
    children.push(second)
    const check = memoryStore(file)
    const deadline = Date.now() + 15_000
    for (;;) {
      const open = (check.db.prepare('SELECT count(*) AS n FROM shipments WHERE next_check_at IS NOT NULL').get() as { n: number }).n
      if (open === 0 || Date.now() > deadline) break
      await new Promise((r) => setTimeout(r, 100))
    }
    second.kill('SIGTERM')
    await exited(second)

    for (const id of ids) {
      const s = check.repo.get(id)!
      const events = check.repo.events(id)
      const shown = carrier.revealed.get(s.trackingNumber) ?? 0
      // Exactly what the carrier showed: nothing lost, nothing twice.
      expect(events.map((e) => e.nativeStatus).reverse()).toEqual(STEPS.slice(0, shown))
      expect(shown).toBe(STEPS.length)
      expect(s.unifiedStatus).toBe('delivered')
      // The restarted poller carried on the schedule: checked after the kill, then stopped at the final status.
      expect(Date.parse(s.lastCheckedAt!)).toBeGreaterThanOrEqual(killedAt - 1000)
      expect(s.nextCheckAt).toBeNull()
    }
    const dupes = check.db
      .prepare('SELECT count(*) AS n FROM (SELECT shipment_id, native_status, count(*) c FROM tracking_events GROUP BY 1, 2 HAVING c > 1)')
      .get() as { n: number }
    expect(dupes.n).toBe(0)
    check.db.close()
  }, 40_000)
})
