// The desk's log and apply rules without a hub: triggers capture each fact once in its own
// transaction, a page from the hub applies once however often it comes, and nothing echoes back.
import { describe, expect, it } from 'vitest'
import { memoryStore } from '../../core/pipeline/pipeline.testkit'
import { ManualClock } from '../../platform/clock'
import { silentLogger } from '../../platform/logger'
import type { PulledEvent } from '../../../shared/hub/contract'
import { applyPulled } from './apply'
import { HubSync } from './sync'
import { memoryOwnSecrets, vaultHubSecrets } from './secrets'

const page = (cursor: number, seq: number, key: string): PulledEvent => ({
  cursor,
  deskId: 'desk-w',
  seq,
  kind: 'shipment',
  at: 1_000,
  carrier: 'ecotrack',
  account: 'main',
  trackingKey: key,
  pointId: 'P1',
  body: { trackingNumber: key, recipientName: 'Lina' }
})

describe('hub-sync log and apply', () => {
  it('logs a registered shipment and its status events once, in order', () => {
    const { db, repo } = memoryStore()
    const id = repo.insert({ carrier: 'ecotrack', account: 'main', trackingNumber: 'EC1', recipientName: 'A', createdAt: 5 })
    repo.appendEvents(id, [{ at: 6, unifiedStatus: 'shipped', nativeStatus: 'PICKED', dedupeKey: 'k1', source: 'poll' }], 7)
    repo.appendEvents(id, [{ at: 6, unifiedStatus: 'shipped', nativeStatus: 'PICKED', dedupeKey: 'k1', source: 'poll' }], 8)
    const log = db.prepare('SELECT seq, kind, tracking_key AS key FROM hub_log ORDER BY seq').all()
    expect(log).toEqual([
      { seq: 1, kind: 'shipment', key: 'EC1' },
      { seq: 2, kind: 'status', key: 'EC1' }
    ])
  })

  it('applies a page once, whatever the replays, and does not log it back', () => {
    const { db } = memoryStore()
    db.prepare(
      `INSERT INTO hub_link (id, url, desk_id, credential, role, point_id) VALUES (1, 'http://x', 'desk-p', 'c', 'point', 'P1')`
    ).run()
    const events = [page(3, 1, 'EC7'), page(4, 2, 'EC8')]
    applyPulled(db, events, 4, 10)
    applyPulled(db, events, 4, 11)
    expect(db.prepare('SELECT count(*) AS n FROM shipments').get()).toEqual({ n: 2 })
    expect(db.prepare('SELECT count(*) AS n FROM hub_inbox').get()).toEqual({ n: 2 })
    expect(db.prepare('SELECT count(*) AS n FROM hub_log').get()).toEqual({ n: 0 })
    expect(db.prepare('SELECT cursor FROM hub_link').get()).toEqual({ cursor: 4 })
    // A local write afterwards is logged again.
    db.prepare(`INSERT INTO remarks (shipment_id, text, created_at) VALUES (1, 'ok', 12)`).run()
    expect(db.prepare('SELECT kind FROM hub_log').all()).toEqual([{ kind: 'remark' }])
  })

  it('polls alone while no hub is linked or the hub has never been reached', async () => {
    const { db } = memoryStore()
    const clock = new ManualClock(1_000_000)
    const sync = new HubSync({
      db,
      clock,
      logger: silentLogger,
      secrets: vaultHubSecrets(memoryOwnSecrets()),
      accountsInUse: () => ['ecotrack/main'],
      leaseTtlMs: 30_000
    })
    const acc = { carrier: 'ecotrack', account: 'main' }
    expect(sync.mayPoll(acc)).toBe(true)
    db.prepare(`INSERT INTO hub_link (id, url, desk_id, credential, role) VALUES (1, 'http://127.0.0.1:9', 'd', 'c', 'point')`).run()
    // Never reached: the desk keeps its parcels moving.
    expect((await sync.round()).reachable).toBe(false)
    expect(sync.mayPoll(acc)).toBe(true)
  })

  it('moves a credential an older version kept in hub_link into the vault, once, and keeps using it', () => {
    const { db } = memoryStore()
    const vault = memoryOwnSecrets()
    db.prepare(
      `INSERT INTO hub_link (id, url, desk_id, credential, role) VALUES (1, 'http://127.0.0.1:9', 'desk-a', 'plain-secret', 'point')`
    ).run()
    const sync = new HubSync({
      db,
      clock: new ManualClock(1),
      logger: silentLogger,
      secrets: vaultHubSecrets(vault),
      accountsInUse: () => []
    })
    expect(sync.link()?.credential).toBe('plain-secret')
    expect(db.prepare('SELECT credential FROM hub_link').get()).toEqual({ credential: '' })
    expect(vault.held.get('hub-link')).toEqual({ deskId: 'desk-a', credential: 'plain-secret' })
    // Read back from the vault by a fresh start.
    const again = new HubSync({
      db,
      clock: new ManualClock(1),
      logger: silentLogger,
      secrets: vaultHubSecrets(vault),
      accountsInUse: () => []
    })
    expect(again.link()?.credential).toBe('plain-secret')
    // A vault holding another desk's credential, or none: no credential, and the desk polls alone.
    vault.held.set('hub-link', { deskId: 'desk-b', credential: 'x' })
    const other = new HubSync({
      db,
      clock: new ManualClock(1),
      logger: silentLogger,
      secrets: vaultHubSecrets(vault),
      accountsInUse: () => []
    })
    expect(other.link()?.credential).toBeNull()
    expect(other.mayPoll({ carrier: 'ecotrack', account: 'main' })).toBe(true)
  })

  it('leaves a plain credential where it is while the vault cannot store, and never enrols then', async () => {
    const { db } = memoryStore()
    const vault = { ...memoryOwnSecrets(), available: () => false }
    db.prepare(
      `INSERT INTO hub_link (id, url, desk_id, credential, role) VALUES (1, 'http://127.0.0.1:9', 'desk-a', 'plain-secret', 'point')`
    ).run()
    const sync = new HubSync({
      db,
      clock: new ManualClock(1),
      logger: silentLogger,
      secrets: vaultHubSecrets(vault),
      accountsInUse: () => []
    })
    expect(sync.link()?.credential).toBe('plain-secret')
    expect(db.prepare('SELECT credential FROM hub_link').get()).toEqual({ credential: 'plain-secret' })
    // The hub is never asked (the one-time code is not spent): the port below is closed anyway.
    expect(await sync.enrol('http://127.0.0.1:9', 'ABCDE-FGHJK', 'd')).toEqual({ ok: false, unreachable: 'vault_unavailable' })
  })

  it('refuses a plain http hub off this computer, before the code or the credential leaves', async () => {
    const { db } = memoryStore()
    const sync = new HubSync({
      db,
      clock: new ManualClock(1),
      logger: silentLogger,
      secrets: vaultHubSecrets(memoryOwnSecrets()),
      accountsInUse: () => []
    })
    const refused = { ok: false, refusal: { refused: 'hub.insecure_url', field: 'url' }, status: 0 }
    expect(await sync.enrol('http://10.0.0.5:8740', 'ABCDE-FGHJK', 'd')).toEqual(refused)
    expect(await sync.enrol('http://hub.example.com', 'ABCDE-FGHJK', 'd')).toEqual(refused)
    expect(await sync.enrol('ftp://hub.example.com', 'ABCDE-FGHJK', 'd')).toEqual(refused)
    expect(sync.link()).toBeNull()
    // Loopback in plain http and https anywhere are called (nothing listens here: unreachable, not refused).
    expect(await sync.enrol('http://127.0.0.1:9', 'ABCDE-FGHJK', 'd')).toMatchObject({ ok: false, unreachable: 'network' })
    expect(await sync.enrol('http://[::1]:9', 'ABCDE-FGHJK', 'd')).toMatchObject({ ok: false, unreachable: 'network' })
    // A link an older version stored with such a URL: never called, the refusal is kept for the clerk.
    db.prepare(`INSERT INTO hub_link (id, url, desk_id, credential, role) VALUES (1, 'http://192.168.1.20:8740', 'd', 'c', 'point')`).run()
    expect(await sync.round()).toEqual({ pushed: 0, pulled: 0, refusal: 'hub.insecure_url', reachable: false })
    expect(sync.link()?.lastRefusal).toBe('hub.insecure_url')
  })
})
