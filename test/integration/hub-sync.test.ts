// Desks on the real backend, linked to a real hub on a throwaway PostgreSQL: the warehouse's
// shipment reaches its point's expected arrivals, the point's check-in flows back, one desk polls
// a shared account and the other receives its statuses from the hub, each exactly once.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBackend, type Backend } from '../../src/main/backend'
import { TEST_MAPPING } from '../../src/main/core/pipeline/pipeline.testkit'
import { FakeCarrier } from '../../src/main/carriers/testing/fake-carrier.testkit'
import { ShipmentRepository } from '../../src/main/core/shipments/shipments.repo'
import { MemoryStore } from '../../src/main/core/settings/settings'
import { ManualClock } from '../../src/main/platform/clock'
import { createLogger } from '../../src/main/platform/logger'
import { openHubDatabase, type HubDatabase } from '../../src/hub/db/postgres'
import { startHubHttp, type HubHttp } from '../../src/hub/http'
import { createOffice } from '../../src/hub/office'
import { HubStore } from '../../src/hub/store'
import type { PointStep } from '../../src/shared/contract/hub'
import { DEFAULT_HOLD_DAYS, expiresAt as keptUntil } from '../../src/main/features/counter/core'
import { startPgCluster, type PgCluster } from '../helpers/pg-cluster'

let cluster: PgCluster
let db: HubDatabase
let store: HubStore
let http: HubHttp
const dirs: string[] = []
const backends: Backend[] = []
const clock = new ManualClock()
const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'main', batchSize: 100, now: () => clock.now() })

beforeAll(async () => {
  cluster = await startPgCluster()
  db = await openHubDatabase({ url: cluster.url, dataDir: cluster.dir })
  store = new HubStore(db.pool)
  http = await startHubHttp({
    store,
    office: createOffice(db.pool, store),
    logger: createLogger({ level: 'error' }),
    host: '127.0.0.1',
    port: 0
  })
}, 60_000)

afterAll(async () => {
  for (const b of backends) b.close()
  await http?.close()
  await db?.close()
  cluster?.stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function open(dir: string, adapter: FakeCarrier = carrier): Backend {
  const b = createBackend({
    dataDir: dir,
    version: '0.0.0-test',
    settingsStore: new MemoryStore(),
    clock,
    logger: createLogger({ console: false }),
    outboxAutoStart: false,
    startPoller: false,
    pollerAccounts: () => [{ adapter }],
    mappingFor: () => TEST_MAPPING
  })
  backends.push(b)
  return b
}

async function desk(role: 'point' | 'warehouse', pointId: string | null, adapter: FakeCarrier = carrier): Promise<Backend> {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-hubdesk-'))
  dirs.push(dir)
  const b = open(dir, adapter)
  if (pointId) b.settings.update({ point: { id: pointId, name: pointId } })
  const code = await store.createEnrolmentCode({ role, pointId })
  const r = await b.hubSync.service.enrol(http.url, code, `${role} ${pointId ?? ''}`)
  expect(r.ok).toBe(true)
  return b
}

const rows = (b: Backend, sql: string, ...args: unknown[]) => b.db.prepare(sql).all(...args) as Array<Record<string, unknown>>

describe('hub sync between desks', () => {
  it('brings the warehouse shipment to its point, and the point check-in back to the warehouse', async () => {
    const warehouse = await desk('warehouse', null)
    const p1 = await desk('point', 'P1')
    const p2 = await desk('point', 'P2')
    new ShipmentRepository(warehouse.db).insert({
      carrier: 'ecotrack',
      account: 'main',
      trackingNumber: 'EC100200300',
      recipientName: 'Amina',
      point: { id: 'P1', name: 'Relais P1', address: '1 rue', type: 'counter' },
      createdAt: clock.now(),
      nextCheckAt: null
    })
    for (const b of [warehouse, p1, p2]) await b.hubSync.service.round()
    expect(p1.hubSync.expectedArrivals('P1').map((a) => a.trackingNumber)).toEqual(['EC100200300'])
    // The clerk's screen asks through the contract: the point, who sent it, when it is due.
    const seen = await p1.dispatch('hub.expectedArrivals', {})
    expect(seen).toMatchObject({
      ok: true,
      value: {
        pointId: 'P1',
        link: { linked: true, role: 'point', refusal: null },
        arrivals: [{ trackingNumber: 'EC100200300', carrier: 'ecotrack', recipientName: 'Amina', sender: 'warehouse ' }]
      }
    })
    expect(await p1.dispatch('hub.expectedArrivals', { pointId: 'P2' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    // P2 shares the account, so it knows the shipment too, but it is not expected there.
    expect(p2.hubSync.expectedArrivals('P2')).toEqual([])

    const session = p1.counter.checkinStart('Karim')
    const scan = p1.counter.checkinScan({ sessionId: session.id, code: 'EC100200300' })
    expect(scan.parcel.state).toBe('on_shelf')
    expect(p1.hubSync.expectedArrivals('P1')).toEqual([])
    await p1.hubSync.service.round()
    await warehouse.hubSync.service.round()
    const steps = warehouse.hubSync.pointSteps().filter((s) => s.trackingKey === 'EC100200300')
    expect(steps.map((s) => [s.pointId, s.action, s.state])).toContainEqual(['P1', 'checkin', 'on_shelf'])
    // Head office's expiries: the check-in says until when the parcel is kept (ECOTRACK's hold days at P1).
    const kept = await db.pool.query(`SELECT expires_at::float8 AS at FROM parcels WHERE point_id = 'P1' AND tracking_key = 'EC100200300'`)
    expect(kept.rows[0]?.at).toBe(keptUntil(Date.parse(scan.parcel.arrivedAt), DEFAULT_HOLD_DAYS.ecotrack))
    // The hand-over flows back too, newest first on the warehouse's view.
    await p1.counter.handover({ parcelIds: [scan.parcel.id], pickupCode: scan.parcel.pickupCode ?? undefined })
    await p1.hubSync.service.round()
    await warehouse.hubSync.service.round()
    const viaContract = (await warehouse.dispatch('hub.pointSteps', { limit: 50 })) as { ok: true; value: PointStep[] }
    const ours = viaContract.value.filter((s) => s.trackingNumber === 'EC100200300')
    expect(ours[0]).toMatchObject({ deskName: 'point P1', pointId: 'P1', action: 'handover', state: 'handed_over' })
    expect(ours.map((s) => s.action)).toContain('checkin')
    // Head office sees it handed over at P1.
    const shelf = await db.pool.query(`SELECT state FROM parcels WHERE point_id = 'P1' AND tracking_key = 'EC100200300'`)
    expect(shelf.rows[0]?.state).toBe('handed_over')
    // Rounds again: nothing new is written anywhere.
    const before = (await db.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n
    const inbox = rows(warehouse, 'SELECT count(*) AS n FROM hub_inbox')[0]!.n
    for (const b of [warehouse, p1, p2]) await b.hubSync.service.round()
    expect((await db.pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(before)
    expect(rows(warehouse, 'SELECT count(*) AS n FROM hub_inbox')[0]!.n).toBe(inbox)
    // What a desk applied from the hub is not logged back to it.
    expect(rows(p1, `SELECT count(*) AS n FROM hub_log WHERE kind = 'shipment'`)[0]!.n).toBe(0)
  })

  it('lets one desk poll a shared account; the other gets the statuses from the hub, once', async () => {
    // An account of their own: the desks of the first test hold ecotrack/main's lease.
    const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'shared', batchSize: 100, now: () => clock.now() })
    const a = await desk('point', 'Q1', carrier)
    const b = await desk('point', 'Q2', carrier)
    const tn = 'EC900800700'
    carrier.addParcel(tn, clock.now() - 3 * 86_400_000)
    new ShipmentRepository(a.db).insert({
      carrier: 'ecotrack',
      account: 'shared',
      trackingNumber: tn,
      recipientName: 'Yanis',
      createdAt: clock.now(),
      nextCheckAt: clock.now()
    })
    await a.hubSync.service.round()
    await b.hubSync.service.round()
    expect(a.hubSync.mayPoll(carrier)).toBe(true)
    expect(b.hubSync.mayPoll(carrier)).toBe(false)
    const calls = carrier.trackCalls.length
    await b.poller.runCycle()
    expect(carrier.trackCalls.length).toBe(calls)
    await a.poller.runCycle()
    expect(carrier.trackCalls.length).toBe(calls + 1)
    const aEvents = rows(
      a,
      `SELECT e.native_status FROM tracking_events e JOIN shipments s ON s.id = e.shipment_id WHERE s.tracking_key = ?`,
      tn
    )
    expect(aEvents.length).toBeGreaterThan(0)
    await a.hubSync.service.round()
    await b.hubSync.service.round()
    await b.hubSync.service.round()
    const bEvents = rows(
      b,
      `SELECT e.native_status FROM tracking_events e JOIN shipments s ON s.id = e.shipment_id WHERE s.tracking_key = ?`,
      tn
    )
    expect(bEvents.map((e) => e.native_status).sort()).toEqual(aEvents.map((e) => e.native_status).sort())
    const bShip = rows(b, 'SELECT unified_status FROM shipments WHERE tracking_key = ?', tn)[0]
    const aShip = rows(a, 'SELECT unified_status FROM shipments WHERE tracking_key = ?', tn)[0]
    expect(bShip).toEqual(aShip)
  })

  it('keeps the credential in the vault, moves an old plain one there on start, and tells the clerk when it is revoked', async () => {
    const p = await desk('point', 'R1')
    const deskId = p.hubSync.service.link()!.deskId
    expect(rows(p, 'SELECT credential FROM hub_link')).toEqual([{ credential: '' }])
    const held = p.offline.credentials.ownSecrets('hub-link')
    expect(held?.deskId).toBe(deskId)
    expect(p.offline.credentials.status().accounts).toEqual([])
    expect((await p.hubSync.service.round()).reachable).toBe(true)

    // What an older version left: the credential in the table, nothing in the vault. A restart moves it.
    const dir = dirs[dirs.length - 1]!
    p.db.prepare('UPDATE hub_link SET credential = ? WHERE id = 1').run(held!.credential)
    p.offline.credentials.clearOwnSecrets('hub-link')
    p.close()
    backends.splice(backends.indexOf(p), 1)
    const again = open(dir)
    expect(again.hubSync.service.link()?.credential).toBe(held!.credential)
    expect(rows(again, 'SELECT credential FROM hub_link')).toEqual([{ credential: '' }])
    expect(again.offline.credentials.ownSecrets('hub-link')).toEqual(held)
    expect((await again.hubSync.service.round()).refusal).toBeNull()

    // Revoked at head office: a typed refusal, shown on the counter; nothing more is sent.
    await store.revoke(deskId)
    new ShipmentRepository(again.db).insert({
      carrier: 'ecotrack',
      account: 'main',
      trackingNumber: 'EC555',
      recipientName: 'Z',
      createdAt: clock.now()
    })
    expect((await again.hubSync.service.round()).refusal).toBe('hub.revoked')
    expect(await again.dispatch('hub.expectedArrivals', {})).toMatchObject({
      ok: true,
      value: { link: { linked: true, refusal: 'hub.revoked' } }
    })
    const before = (await db.pool.query('SELECT count(*)::int AS n FROM events WHERE desk_id = $1', [deskId])).rows[0].n
    expect((await again.hubSync.service.round()).pushed).toBe(0)
    expect((await db.pool.query('SELECT count(*)::int AS n FROM events WHERE desk_id = $1', [deskId])).rows[0].n).toBe(before)
  })
})
