import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Database } from '../../platform/db/database'
import { ManualClock } from '../../platform/clock'
import { silentLogger } from '../../platform/logger'
import { ActionService } from './actions'
import { BUILTIN_KINDS, remarkKind } from './kinds'
import { Outbox } from './outbox'
import { FakeCarrier } from '../../carriers/testing/fake-carrier.testkit'
import { openOutboxDatabase } from './outbox.testkit'
import { OutboxStore } from './store'
import { BAD_PAYLOAD } from './types'
import { OutboxKinds, OutboxWorker } from './worker'

// Payloads are checked against their kind's schema when queued and again before every send.

let dir: string
let db: Database
const clock = new ManualClock()

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'guichet-payload-'))
  db = openOutboxDatabase(join(dir, 'guichet.sqlite'))
})
afterEach(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

function build(carrier: FakeCarrier) {
  const store = new OutboxStore(db)
  const kinds = new OutboxKinds(BUILTIN_KINDS)
  const outbox = new Outbox(db, store, kinds)
  const worker = new OutboxWorker({ store, kinds, clock, logger: silentLogger, adapterFor: () => carrier, random: () => 0 })
  return { store, outbox, worker, actions: new ActionService(db, outbox, store, clock) }
}

function shipment(): number {
  const now = clock.now()
  const info = db
    .prepare(
      `INSERT INTO shipments (carrier, account, tracking_number, tracking_key, recipient_name, created_at, updated_at)
       VALUES ('ecotrack', 'default', 'ECQFLD2103047673', 'ECQFLD2103047673', 'Amina B.', ?, ?)`
    )
    .run(now, now)
  return Number(info.lastInsertRowid)
}

describe('outbox payloads', () => {
  it('refuses to queue a payload that does not fit its kind, and writes nothing', () => {
    const { outbox, store } = build(new FakeCarrier())
    expect(() =>
      outbox.enqueue(remarkKind, {
        shipmentId: null,
        carrier: 'ecotrack',
        account: 'default',
        actedAt: clock.now(),
        payload: { trackingNumber: 'ECQFLD2103047673', text: '', remarkId: 1 }
      })
    ).toThrow(expect.objectContaining({ code: 'internal', message: expect.stringMatching(/text/) }))
    expect(store.list({ limit: 10 })).toEqual([])
  })

  it('stops a row whose stored payload no longer fits, with a code for the clerk, without calling the carrier', async () => {
    const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
    const { actions, worker, outbox } = build(carrier)
    const { outbox: item } = actions.addRemark(shipment(), 'Appeler avant midi')
    // An older build (or a hand edit) left a remark without its text: it must not go out as ''.
    db.prepare(`UPDATE outbox SET payload = json_remove(payload, '$.text') WHERE id = ?`).run(item.id)

    expect(await worker.runOnce()).toMatchObject({ sent: 0, failed: 1 })
    expect(carrier.remarks).toEqual([])
    const after = outbox.itemById(item.id)!
    expect(after).toMatchObject({ state: 'failed', summary: 'remark', editable: false, lastError: { code: BAD_PAYLOAD } })
    expect(after.lastError!.message).toMatch(/text/)
    // Resending cannot help: the clerk is told to discard it instead.
    expect(() => actions.resend(item.id)).toThrow(expect.objectContaining({ code: 'conflict' }))
    expect(actions.discard(item.id)).toMatchObject({ state: 'discarded' })
  })

  it('stops a row whose stored payload is not JSON at all', async () => {
    const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
    const { actions, worker, outbox } = build(carrier)
    const item = actions.requestReturn(shipment())
    db.prepare(`UPDATE outbox SET payload = '{not json' WHERE id = ?`).run(item.id)
    await worker.runOnce()
    expect(carrier.returns).toEqual([])
    expect(outbox.itemById(item.id)).toMatchObject({ state: 'failed', lastError: { code: BAD_PAYLOAD } })
  })
})
