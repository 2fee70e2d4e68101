// The hub against a real throwaway PostgreSQL cluster: enrolment, credentials, exactly-once push,
// fan-out by cursor, the one-poller lease, and every bad input refused with nothing written.
import { request } from 'node:http'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openHubDatabase, type HubDatabase } from '../../src/hub/db/postgres'
import { HubSchemaTooNewError } from '../../src/hub/db/migrations'
import { startHubHttp, type HubHttp } from '../../src/hub/http'
import { createOffice } from '../../src/hub/office'
import { HubStore } from '../../src/hub/store'
import { createLogger } from '../../src/main/platform/logger'
import { HubClient } from '../../src/main/features/hub-sync/client'
import { HUB_PROTOCOL, type HubEvent } from '../../src/shared/hub/contract'
import { startPgCluster, type PgCluster } from '../helpers/pg-cluster'

let cluster: PgCluster
let db: HubDatabase
let store: HubStore
let http: HubHttp

beforeAll(async () => {
  cluster = await startPgCluster()
  db = await openHubDatabase({ url: cluster.url, dataDir: cluster.dir })
  store = new HubStore(db.pool)
  const office = createOffice(db.pool, store)
  http = await startHubHttp({ store, office, logger: createLogger({ level: 'error' }), host: '127.0.0.1', port: 0 })
}, 60_000)

afterAll(async () => {
  await http?.close()
  await db?.close()
  cluster?.stop()
})

async function enrolDesk(role: 'point' | 'warehouse', pointId: string | null): Promise<HubClient> {
  const code = await store.createEnrolmentCode({ role, pointId })
  const r = await new HubClient(http.url, null).enrol(code, `desk ${pointId ?? role}`)
  if (!r.ok) throw new Error(JSON.stringify(r))
  return new HubClient(http.url, { deskId: r.value.deskId, credential: r.value.credential })
}

const ev = (seq: number, over: Partial<HubEvent> = {}): HubEvent => ({
  seq,
  kind: 'shipment',
  at: 1_700_000_000_000 + seq,
  carrier: 'ecotrack',
  account: 'main',
  trackingKey: `T${seq}`,
  pointId: 'P1',
  body: { trackingNumber: `T${seq}` },
  ...over
})

const count = async () => Number((await db.pool.query('SELECT count(*) AS n FROM events')).rows[0].n)

describe('hub schema', () => {
  it('refuses a database written by a newer hub and leaves it untouched', async () => {
    const c = new pg.Client({ connectionString: cluster.url })
    await c.connect()
    await c.query('CREATE DATABASE newer')
    await c.end()
    const url = cluster.url.replace(/\/postgres$/, '/newer')
    const first = await openHubDatabase({ url, dataDir: cluster.dir })
    await first.pool.query('INSERT INTO hub_schema (version) VALUES (99)')
    await first.close()
    await expect(openHubDatabase({ url, dataDir: cluster.dir })).rejects.toBeInstanceOf(HubSchemaTooNewError)
    const again = new pg.Client({ connectionString: url })
    await again.connect()
    expect((await again.query('SELECT max(version) AS v FROM hub_schema')).rows[0].v).toBe(99)
    await again.end()
  })
})

describe('enrolment and credentials', () => {
  it('exchanges a code once for a credential; a used code, a wrong and a revoked credential are refused', async () => {
    const code = await store.createEnrolmentCode({ role: 'point', pointId: 'P9' })
    const anon = new HubClient(http.url, null)
    const first = await anon.enrol(code.toLowerCase(), 'Point 9')
    expect(first.ok).toBe(true)
    if (!first.ok) return
    expect(first.value).toMatchObject({ role: 'point', pointId: 'P9' })
    const again = await anon.enrol(code, 'Point 9 bis')
    expect(again).toMatchObject({ ok: false, status: 403, refusal: { refused: 'hub.enrolment_invalid' } })
    // The hub keeps only a hash of the credential.
    const row = (await db.pool.query('SELECT credential_hash FROM desks WHERE id = $1', [first.value.deskId])).rows[0]
    expect(row.credential_hash).not.toContain(first.value.credential)

    const wrong = new HubClient(http.url, { deskId: first.value.deskId, credential: 'x'.repeat(43) })
    expect(await wrong.pull(0)).toMatchObject({ ok: false, status: 401, refusal: { refused: 'hub.unauthorized' } })
    const desk = new HubClient(http.url, first.value)
    expect((await desk.pull(0)).ok).toBe(true)
    await store.revoke(first.value.deskId)
    const before = await count()
    expect(await desk.push({ protocol: HUB_PROTOCOL, accounts: [], events: [ev(1)] })).toMatchObject({
      ok: false,
      refusal: { refused: 'hub.revoked' }
    })
    expect(await count()).toBe(before)
  })
})

describe('event log', () => {
  it('writes each event once, in order; fans out to the point and the account, never back to its author', async () => {
    const warehouse = await enrolDesk('warehouse', null)
    const p1 = await enrolDesk('point', 'P1')
    const p2 = await enrolDesk('point', 'P2')
    const start = (await p1.pull(0)).ok ? await p1.pull(0) : null
    const from = start && start.ok ? start.value.cursor : 0
    const push = await warehouse.push({
      protocol: HUB_PROTOCOL,
      accounts: ['ecotrack/main'],
      events: [ev(1), ev(2), ev(3, { pointId: 'P2' })]
    })
    expect(push).toMatchObject({ ok: true, value: { acked: 3, written: 3, replayed: 0 } })
    // The same batch again (its answer was lost): a no-op.
    const before = await count()
    expect(
      await warehouse.push({ protocol: HUB_PROTOCOL, accounts: ['ecotrack/main'], events: [ev(1), ev(2), ev(3, { pointId: 'P2' })] })
    ).toMatchObject({
      ok: true,
      value: { acked: 3, written: 0, replayed: 3 }
    })
    expect(await count()).toBe(before)

    const got1 = await p1.pull(from)
    expect(got1.ok && got1.value.events.map((e) => e.trackingKey)).toEqual(['T1', 'T2'])
    const got2 = await p2.pull(from)
    expect(got2.ok && got2.value.events.map((e) => e.trackingKey)).toEqual(['T3'])
    const own = await warehouse.pull(from)
    expect(own.ok && own.value.events).toEqual([])

    // A point's check-in flows back to the warehouse (counter steps), not to the other point.
    const checkin = await p1.push({
      protocol: HUB_PROTOCOL,
      accounts: [],
      events: [ev(1, { kind: 'counter', body: { action: 'checkin', state: 'on_shelf' } })]
    })
    expect(checkin.ok).toBe(true)
    const back = await warehouse.pull(own.ok ? own.value.cursor : 0)
    expect(back.ok && back.value.events.map((e) => [e.kind, e.trackingKey])).toEqual([['counter', 'T1']])
    const p2again = await p2.pull(got2.ok ? got2.value.cursor : 0)
    expect(p2again.ok && p2again.value.events).toEqual([])
  })

  it('refuses a gap, a newer protocol, a cursor from the future and a 50 MB batch, writing nothing', async () => {
    const desk = await enrolDesk('point', 'P3')
    const other = await enrolDesk('point', 'P4')
    const before = await count()
    expect(await desk.push({ protocol: HUB_PROTOCOL, accounts: [], events: [ev(2)] })).toMatchObject({
      ok: false,
      status: 409,
      refusal: { refused: 'hub.sequence_gap', expectedSeq: 1 }
    })
    expect(await desk.push({ protocol: HUB_PROTOCOL + 1, accounts: [], events: [ev(1)] })).toMatchObject({
      ok: false,
      refusal: { refused: 'hub.protocol_newer', max: HUB_PROTOCOL }
    })
    expect(await desk.pull(10_000_000)).toMatchObject({ ok: false, refusal: { refused: 'hub.cursor_ahead' } })

    // 50 MB, streamed without a length: the hub stops reading at its cap, answers 413 and drops it.
    const auth = (desk as unknown as { auth: { deskId: string; credential: string } }).auth
    const big = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const u = new URL(http.url + '/v1/events')
      const req = request(
        {
          host: u.hostname,
          port: u.port,
          method: 'POST',
          path: u.pathname,
          headers: { authorization: `Bearer ${auth.deskId}.${auth.credential}`, 'content-type': 'application/json' }
        },
        (res) => {
          let body = ''
          res.on('data', (c) => (body += c))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
        }
      )
      req.on('error', reject)
      const chunk = Buffer.alloc(1024 * 1024, 'a')
      req.write(
        '{"protocol":1,"accounts":[],"events":[{"seq":1,"kind":"shipment","at":1,"carrier":null,"account":null,"trackingKey":null,"pointId":null,"body":{"x":"'
      )
      let sent = 0
      const pump = () => {
        while (sent < 50) {
          sent++
          if (!req.write(chunk)) return req.once('drain', pump)
        }
        req.end('"}}]}')
      }
      pump()
    })
    // Meanwhile another desk is served.
    const meanwhile = await other.push({ protocol: HUB_PROTOCOL, accounts: [], events: [ev(1, { pointId: 'P4' })] })
    expect(meanwhile).toMatchObject({ ok: true, value: { written: 1 } })
    const answer = await big
    expect(answer.status).toBe(413)
    expect(JSON.parse(answer.body)).toMatchObject({ refused: 'hub.batch_too_large' })
    expect(await count()).toBe(before + 1)
    expect((await desk.push({ protocol: HUB_PROTOCOL, accounts: [], events: [ev(1, { pointId: 'P3' })] })).ok).toBe(true)
  })
})

describe('one poller per carrier account', () => {
  it('grants the lease to one desk, renews it for its holder, and lets another take over when the holder goes silent', async () => {
    const a = await enrolDesk('point', 'L1')
    const b = await enrolDesk('point', 'L2')
    const req = { account: 'ecotrack/shared', ttlMs: 1_000, budget: { remaining: 40, resetsAt: null, calls: 3 } }
    const first = await a.lease(req)
    expect(first).toMatchObject({ ok: true, value: { granted: true } })
    expect(await b.lease(req)).toMatchObject({ ok: true, value: { granted: false } })
    expect(await a.lease(req)).toMatchObject({ ok: true, value: { granted: true } })
    await new Promise((r) => setTimeout(r, 1_200))
    const taken = await b.lease(req)
    expect(taken).toMatchObject({ ok: true, value: { granted: true } })
    expect(await a.lease(req)).toMatchObject({ ok: true, value: { granted: false } })
    // The budget the holder last read is kept for the next holder and head office.
    const row = (await db.pool.query(`SELECT budget FROM leases WHERE account = 'ecotrack/shared'`)).rows[0]
    expect(row.budget).toMatchObject({ remaining: 40, calls: 3 })
  })
})
