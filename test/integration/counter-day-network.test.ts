import { mkdtempSync } from 'node:fs'
import { createServer, connect, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBackend, type Backend } from '../../src/main/backend'
import { DEMO_SIM_CREDENTIALS, startSimulator } from '../../src/main/demo/simulators'
import type { SimServer } from '../../src/main/carriers/sim/server'
import { silentLogger } from '../../src/main/platform/logger'
import { MemoryStore } from '../../src/main/core/settings/settings'
import { startHttpTransport, type HttpTransport } from '../../src/main/platform/transport/http'

// A scripted counter day in browser mode (the real backend behind its loopback HTTP transport)
// while the network to the carriers' simulators is cut half of the time: every remark and
// return request must reach the carrier exactly once, and keep the time the clerk acted.

/** A TCP proxy on 127.0.0.1 that refuses every connection while "down" (and cuts open ones). */
async function flakyProxy(targetPort: number): Promise<{ port: number; setDown(down: boolean): void; close(): Promise<void> }> {
  let down = false
  const open = new Set<Socket>()
  const server: Server = createServer((client) => {
    if (down) return client.destroy()
    const upstream = connect(targetPort, '127.0.0.1')
    open.add(client)
    open.add(upstream)
    client.pipe(upstream).pipe(client)
    const drop = () => {
      client.destroy()
      upstream.destroy()
      open.delete(client)
      open.delete(upstream)
    }
    client.on('error', drop)
    upstream.on('error', drop)
    client.on('close', drop)
    upstream.on('close', drop)
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const port = (server.address() as { port: number }).port
  return {
    port,
    setDown(d) {
      down = d
      if (d) for (const s of open) s.destroy()
    },
    close: () => new Promise<void>((ok) => server.close(() => ok()))
  }
}

let eco: SimServer
let er: SimServer
let proxies: Array<Awaited<ReturnType<typeof flakyProxy>>>
let backend: Backend
let http: HttpTransport
let flapper: NodeJS.Timeout

beforeAll(async () => {
  eco = await startSimulator('ecotrack')
  er = await startSimulator('express-relais')
  proxies = [await flakyProxy(eco.port), await flakyProxy(er.port)]
  const dataDir = mkdtempSync(join(tmpdir(), 'guichet-network-day-'))
  backend = createBackend({
    dataDir,
    version: 'test',
    settingsStore: new MemoryStore(),
    logger: silentLogger,
    demo: true,
    demoSimulators: false,
    startPoller: true
  })
  backend.accounts.setDemoAccounts([
    {
      carrier: 'ecotrack',
      alias: 'demo',
      baseUrl: `http://127.0.0.1:${proxies[0]!.port}`,
      credentials: { token: DEMO_SIM_CREDENTIALS.ecotrack.token }
    },
    {
      carrier: 'express-relais',
      alias: 'demo',
      baseUrl: `http://127.0.0.1:${proxies[1]!.port}`,
      credentials: { username: DEMO_SIM_CREDENTIALS['express-relais'].user, password: DEMO_SIM_CREDENTIALS['express-relais'].password },
      options: { enabled: true }
    }
  ])
  http = await startHttpTransport({
    dispatch: backend.dispatch,
    events: backend.events,
    logger: silentLogger,
    rendererDir: dataDir,
    port: 0
  })
  // Half of the time down: 400 ms up, 400 ms down, all day long.
  let down = false
  flapper = setInterval(() => {
    down = !down
    for (const p of proxies) p.setDown(down)
  }, 400)
})

afterAll(async () => {
  clearInterval(flapper)
  await http.close()
  backend.close()
  for (const p of proxies) await p.close()
  await eco.close()
  await er.close()
})

const rpc = async <T>(channel: string, input: unknown): Promise<T> => {
  const res = await fetch(`${http.url}/rpc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${http.token}` },
    body: JSON.stringify(input)
  })
  const r = (await res.json()) as { ok: boolean; value: T; error?: { message: string } }
  if (!r.ok) throw new Error(`${channel}: ${r.error?.message}`)
  return r.value
}

describe('a counter day with the network cut half of the time', () => {
  it('delivers every remark and return request exactly once, with the clerk’s time', async () => {
    const idOf = async (tracking: string) =>
      (await rpc<{ detail: { shipment: { id: number } } }>('shipments.find', { query: tracking })).detail.shipment.id
    const remarkParcels = ['ECQFLD2611240017', 'ECQFLD2611220009', 'ECQFLD2611260021']
    // Parcels Express Relais takes a return for (waiting in, or collected from, a locker).
    const returnParcels = ['ERMA2611240042', 'ERMA2611230031', 'ERMA2611180012']
    const acted: Array<{ kind: string; tracking: string; text?: string; before: number; after: number; outboxId: number }> = []

    for (let i = 0; i < 12; i++) {
      const tracking = remarkParcels[i % remarkParcels.length]!
      const text = `network-day remark ${i}`
      const before = Date.now()
      const r = await rpc<{ outbox: { id: number } }>('remarks.add', { shipmentId: await idOf(tracking), text })
      acted.push({ kind: 'remark', tracking, text, before, after: Date.now(), outboxId: r.outbox.id })
      if (i % 4 === 0) {
        const rt = returnParcels[i / 4]!
        const b = Date.now()
        const item = await rpc<{ id: number }>('returns.request', { shipmentId: await idOf(rt) })
        acted.push({ kind: 'return_request', tracking: rt, before: b, after: Date.now(), outboxId: item.id })
      }
      await new Promise((res) => setTimeout(res, 150))
    }

    // The day is over and the network is back: the outbox must finish by itself.
    clearInterval(flapper)
    for (const p of proxies) p.setDown(false)
    const deadline = Date.now() + 240_000
    for (;;) {
      const p = await rpc<{ pending: number }>('outbox.pending', {})
      if (p.pending === 0 || Date.now() > deadline) break
      await new Promise((res) => setTimeout(res, 500))
    }

    // Exactly once at the carrier.
    for (const tracking of remarkParcels) {
      const res = await fetch(`${eco.url}/api/v1/get/maj?tracking=${tracking}&api_token=${DEMO_SIM_CREDENTIALS.ecotrack.token}`)
      const remarks = (await res.json()) as Array<{ remarque: string }>
      for (const a of acted.filter((x) => x.kind === 'remark' && x.tracking === tracking)) {
        expect(remarks.filter((r) => r.remarque.endsWith(a.text!)).length, a.text).toBe(1)
      }
    }
    for (const a of acted.filter((x) => x.kind === 'return_request')) {
      // Reached the carrier: at least one accepted POST for this parcel. A request whose answer
      // the network cut may be repeated; Express Relais takes a repeat as already done, so the
      // return happens once (one outbox row, sent).
      const posts = er.log.filter((l) => l.method === 'POST' && l.url.startsWith('/returnParcel') && l.status === 200)
      expect(posts.length).toBeGreaterThanOrEqual(1)
      const rows = await rpc<Array<{ id: number; kind: string; state: string; lastError?: { message: string } }>>('outbox.list', {
        shipmentId: await idOf(a.tracking)
      })
      const returns = rows.filter((r) => r.kind === 'return_request')
      expect(returns).toHaveLength(1)
      expect(returns[0]!.state, JSON.stringify(returns[0]!.lastError)).toBe('sent')
    }

    // Every write kept the time the clerk acted, not the time it finally went out.
    const rows = await rpc<Array<{ id: number; state: string; actedAt: string; sentAt: string | null }>>('outbox.list', { limit: 500 })
    for (const a of acted) {
      const row = rows.find((r) => r.id === a.outboxId)!
      expect(row.state, `${a.kind} ${a.tracking}`).toBe('sent')
      const at = Date.parse(row.actedAt)
      expect(at).toBeGreaterThanOrEqual(a.before)
      expect(at).toBeLessThanOrEqual(a.after)
    }
    // The network really was in the way: some sends needed more than one attempt.
    expect(rows.some((r) => Date.parse(r.sentAt ?? r.actedAt) - Date.parse(r.actedAt) > 400)).toBe(true)
  }, 300_000)
})
