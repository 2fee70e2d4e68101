import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CarrierError } from '../../carriers/types'
import { ConnectivityMonitor } from '../connectivity/monitor'
import type { Database } from '../../platform/db/database'
import { ManualClock } from '../../platform/clock'
import { sharedRedactor, silentLogger } from '../../platform/logger'
import { ActionService } from './actions'
import { Outbox } from './outbox'
import { BUILTIN_KINDS } from './kinds'
import { durably, OutboxStore } from './store'
import { FakeCarrier } from '../../carriers/testing/fake-carrier.testkit'
import { openOutboxDatabase } from './outbox.testkit'
import { OutboxKinds, OutboxWorker } from './worker'

let dir: string
let file: string
let db: Database
let clock: ManualClock
const open: Database[] = []

function openStore(): Database {
  const d = openOutboxDatabase(file)
  open.push(d)
  return d
}

function seedShipment(d: Database, tracking = 'ECQFLD2103047673', carrier = 'ecotrack'): number {
  const info = d
    .prepare(
      `INSERT INTO shipments (carrier, account, tracking_number, tracking_key, recipient_name, created_at, updated_at)
       VALUES (?, 'default', ?, ?, 'Amina B.', ?, ?)`
    )
    .run(carrier, tracking, tracking, clock.now(), clock.now())
  return Number(info.lastInsertRowid)
}

function build(d: Database, carrier: FakeCarrier | null, extra: { connectivity?: ConnectivityMonitor } = {}) {
  const store = new OutboxStore(d)
  const kinds = new OutboxKinds(BUILTIN_KINDS)
  const worker = new OutboxWorker({
    store,
    kinds,
    clock,
    logger: silentLogger,
    adapterFor: () => carrier,
    random: () => 0,
    connectivity: extra.connectivity
  })
  const actions = new ActionService(d, new Outbox(d, store, kinds), store, clock)
  return { store, kinds, worker, actions }
}

const remarkState = (d: Database, id: number) => (d.prepare('SELECT state FROM remarks WHERE id = ?').get(id) as { state: string }).state

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'guichet-outbox-'))
  file = join(dir, 'guichet.sqlite')
  clock = new ManualClock()
  db = openStore()
})

afterEach(() => {
  for (const d of open.splice(0)) if (d.open) d.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('recording a write', () => {
  it('writes the local remark and its outbox row together, durably, and both survive a restart', () => {
    const id = seedShipment(db)
    const { actions } = build(db, null)
    const { remark, outbox } = actions.addRemark(id, 'Appeler avant midi')
    expect(remark).toMatchObject({ state: 'pending', origin: 'local', text: 'Appeler avant midi' })
    expect(outbox).toMatchObject({
      kind: 'remark',
      state: 'pending',
      attempts: 0,
      shipmentId: id,
      actedAt: new Date(clock.now()).toISOString()
    })
    db.close()
    const again = openStore()
    const rows = new OutboxStore(again).list({ limit: 10 })
    expect(rows).toHaveLength(1)
    expect(rows[0]!.payload).toMatchObject({ text: 'Appeler avant midi', trackingNumber: 'ECQFLD2103047673', remarkId: remark.id })
    expect(rows[0]!.idempotencyKey).toMatch(/^guichet-remark-/)
    expect(remarkState(again, remark.id)).toBe('pending')
  })

  it('writes neither when the outbox row cannot be written', () => {
    const id = seedShipment(db)
    db.exec("CREATE TRIGGER no_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk trouble'); END")
    const { actions } = build(db, null)
    expect(() => actions.addRemark(id, 'x')).toThrow(/disk trouble/)
    expect((db.prepare('SELECT count(*) AS n FROM remarks').get() as { n: number }).n).toBe(0)
  })

  it('runs outbox transactions with synchronous=FULL and puts NORMAL back after', () => {
    let inside = -1
    durably(db, () => {
      inside = db.pragma('synchronous', { simple: true }) as number
    })
    expect(inside).toBe(2)
    expect(db.pragma('synchronous', { simple: true })).toBe(1)
  })

  it('treats a double click as one action, and keeps one open return request per parcel', () => {
    const id = seedShipment(db)
    const { actions, store } = build(db, null)
    const a = actions.addRemark(id, 'Fragile')
    const b = actions.addRemark(id, 'Fragile')
    expect(b.outbox.id).toBe(a.outbox.id)
    const r1 = actions.requestReturn(id)
    clock.advance(60_000)
    const r2 = actions.requestReturn(id)
    expect(r2.id).toBe(r1.id)
    expect(store.counts()).toEqual({ pending: 2, failed: 0, byShipment: [{ shipmentId: id, pending: 2, failed: 0 }] })
  })

  it('refuses an unknown shipment with a typed error naming the field', () => {
    const { actions } = build(db, null)
    expect(() => actions.addRemark(999, 'x')).toThrow(expect.objectContaining({ code: 'not_found', field: 'shipmentId' }))
  })
})

describe('sending', () => {
  it('sends once with the idempotency key, then marks the remark sent', async () => {
    const id = seedShipment(db)
    const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
    const { actions, worker, store } = build(db, carrier)
    const { remark, outbox } = actions.addRemark(id, 'Sonner deux fois')
    expect(await worker.runOnce()).toEqual({ sent: 1, retried: 0, failed: 0, reconciled: 0 })
    expect(await worker.runOnce()).toEqual({ sent: 0, retried: 0, failed: 0, reconciled: 0 })
    expect(carrier.remarks).toEqual([
      {
        tracking: 'ECQFLD2103047673',
        text: 'Sonner deux fois',
        key: store.get(outbox.id)!.idempotencyKey,
        at: clock.now(),
        actedAt: clock.now()
      }
    ])
    expect(remarkState(db, remark.id)).toBe('sent')
    expect(store.get(outbox.id)).toMatchObject({ state: 'sent', attempts: 1, sentAt: clock.now() })
    expect(store.counts().pending).toBe(0)
  })

  it('backs off exponentially on transient errors, on the injected clock', async () => {
    const id = seedShipment(db)
    const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
    const e503 = () => new CarrierError('carrier_error', 'ECOTRACK answered 503', { httpStatus: 503 })
    carrier.script = [e503(), e503(), new CarrierError('timeout', 'no answer in 15 s')]
    const { actions, worker, store } = build(db, carrier)
    const { outbox } = actions.addRemark(id, 'x')
    const t0 = clock.now()

    expect((await worker.runOnce()).retried).toBe(1)
    // random() = 0: half of base 5 s
    expect(store.get(outbox.id)).toMatchObject({ state: 'pending', attempts: 1, nextAttemptAt: t0 + 2_500, lastErrorCode: 'carrier_error' })
    clock.advance(2_499)
    expect((await worker.runOnce()).retried).toBe(0)
    expect(carrier.calls).toHaveLength(1)
    clock.advance(1)
    expect((await worker.runOnce()).retried).toBe(1)
    expect(store.get(outbox.id)!.nextAttemptAt).toBe(clock.now() + 5_000)
    clock.advance(5_000)
    expect((await worker.runOnce()).retried).toBe(1)
    expect(store.get(outbox.id)).toMatchObject({
      nextAttemptAt: clock.now() + 10_000,
      lastErrorCode: 'timeout',
      lastError: 'no answer in 15 s'
    })
    clock.advance(10_000)
    expect((await worker.runOnce()).sent).toBe(1)
    expect(carrier.remarks).toHaveLength(1)
    expect(store.get(outbox.id)).toMatchObject({ state: 'sent', attempts: 4, lastError: null })
  })

  it('honours Retry-After and holds the whole account meanwhile', async () => {
    const id = seedShipment(db)
    const id2 = seedShipment(db, 'ECQFLD0000000002')
    const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
    carrier.script = [new CarrierError('rate_limited', 'Too Many Attempts.', { retryAfterMs: 60_000, httpStatus: 429 })]
    const { actions, worker, store } = build(db, carrier)
    const a = actions.addRemark(id, 'one').outbox
    const b = actions.addRemark(id2, 'two').outbox
    expect(await worker.runOnce()).toMatchObject({ retried: 1, sent: 0 })
    expect(carrier.calls).toHaveLength(1) // the second row was not tried against a 429
    expect(store.get(a.id)!.nextAttemptAt).toBe(clock.now() + 60_000)
    expect(store.get(b.id)!.attempts).toBe(0)
    clock.advance(30_000)
    expect(await worker.runOnce()).toMatchObject({ sent: 1 }) // b was due all along
    clock.advance(30_000)
    expect(await worker.runOnce()).toMatchObject({ sent: 1 })
    expect(carrier.remarks.map((r) => r.text).sort()).toEqual(['one', 'two'])
  })

  it('waits for an account cooling down (budget blockedUntil) without spending an attempt', async () => {
    const id = seedShipment(db)
    const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
    carrier.blockedUntil = clock.now() + 45_000
    const { actions, worker, store } = build(db, carrier)
    const { outbox } = actions.addRemark(id, 'x')
    await worker.runOnce()
    expect(carrier.calls).toHaveLength(0)
    expect(store.get(outbox.id)).toMatchObject({ attempts: 0, nextAttemptAt: clock.now() + 45_000 })
  })

  it('keeps a write for an account that is not configured, saying why', async () => {
    const id = seedShipment(db)
    const { actions, worker, store } = build(db, null)
    const { outbox } = actions.addRemark(id, 'x')
    await worker.runOnce()
    expect(store.get(outbox.id)).toMatchObject({ state: 'pending', attempts: 0, lastErrorCode: 'unauthorized' })
    expect(store.get(outbox.id)!.lastError).toContain('No ECOTRACK account "default"')
  })
})

describe('permanent errors', () => {
  it("stops on a refusal, shows it on the shipment, and resends with the clerk's fix under a fresh key", async () => {
    const id = seedShipment(db)
    const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
    carrier.script = [new CarrierError('invalid_input', 'content: trop long', { field: 'content' })]
    const { actions, worker, store } = build(db, carrier)
    const { remark, outbox } = actions.addRemark(id, 'premier texte')
    const firstKey = store.get(outbox.id)!.idempotencyKey
    expect(await worker.runOnce()).toMatchObject({ failed: 1 })
    clock.advance(3_600_000)
    expect(await worker.runOnce()).toMatchObject({ failed: 0, sent: 0 }) // stopped: never retried alone
    expect(remarkState(db, remark.id)).toBe('failed')
    const [shown] = actions.list({ shipmentId: id, limit: 10 })
    expect(shown).toMatchObject({ state: 'failed', editable: true, lastError: { code: 'invalid_input', message: 'content: trop long' } })
    expect(actions.counts()).toMatchObject({ pending: 0, failed: 1, byShipment: [{ shipmentId: id, pending: 0, failed: 1 }] })

    const resent = actions.resend(outbox.id, { text: 'texte corrigé' })
    expect(resent).toMatchObject({
      state: 'pending',
      attempts: 0,
      lastError: null,
      summary: 'Remark: texte corrigé',
      details: { text: 'texte corrigé' }
    })
    expect(store.get(outbox.id)!.idempotencyKey).not.toBe(firstKey)
    expect(remarkState(db, remark.id)).toBe('pending')
    expect(await worker.runOnce()).toMatchObject({ sent: 1 })
    expect(carrier.remarks.map((r) => r.text)).toEqual(['texte corrigé'])
    expect(db.prepare('SELECT text, state FROM remarks WHERE id = ?').get(remark.id) as object).toEqual({
      text: 'texte corrigé',
      state: 'sent'
    })
  })

  it('discards a stopped write, keeps what the clerk typed, and refuses to discard a sent one', async () => {
    const id = seedShipment(db)
    const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
    carrier.script = [new CarrierError('not_found', 'Tracking inconnu')]
    const { actions, worker } = build(db, carrier)
    const { remark, outbox } = actions.addRemark(id, 'x')
    await worker.runOnce()
    expect(actions.discard(outbox.id)).toMatchObject({ state: 'discarded', nextAttemptAt: null })
    expect(remarkState(db, remark.id)).toBe('failed')
    expect(actions.counts()).toEqual({ pending: 0, failed: 0, byShipment: [] })
    expect(() => actions.resend(outbox.id)).toThrow(expect.objectContaining({ code: 'conflict' }))

    const other = actions.addRemark(id, 'y').outbox
    await worker.runOnce()
    expect(() => actions.discard(other.id)).toThrow(expect.objectContaining({ code: 'conflict' }))
    expect(() => actions.discard(424242)).toThrow(expect.objectContaining({ code: 'not_found', field: 'id' }))
  })

  it('refuses to edit the text of a write that has none', async () => {
    const id = seedShipment(db)
    const { actions } = build(db, null)
    const r = actions.requestReturn(id)
    expect(() => actions.resend(r.id, { text: 'x' })).toThrow(expect.objectContaining({ code: 'invalid_input', field: 'text' }))
  })

  it("says in words why a return request was refused (ECOTRACK 10003, or the carrier's own message)", async () => {
    const id = seedShipment(db)
    const id2 = seedShipment(db, 'ECQFLD0000000002')
    const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
    carrier.script = [new CarrierError('carrier_refused', 'error 10003', { carrierCode: 10003 })]
    const { actions, worker, store } = build(db, carrier)
    const r = actions.requestReturn(id)
    await worker.runOnce()
    expect(store.get(r.id)).toMatchObject({ state: 'failed', lastErrorCode: 'carrier_refused' })
    expect(store.get(r.id)!.lastError).toBe('ECOTRACK error 10003: a return can only be requested while the parcel is out for delivery.')

    carrier.returnAnswer = { accepted: false, message: "Le colis n'est pas en livraison" }
    const r2 = actions.requestReturn(id2)
    await worker.runOnce()
    expect(store.get(r2.id)!.lastError).toBe("ECOTRACK refused the return request: Le colis n'est pas en livraison")
    expect(carrier.returns).toHaveLength(0)
  })

  it("keeps the carrier's reason for the UI: code, refused field, HTTP status, carrier code and which carrier", async () => {
    const id = seedShipment(db)
    const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
    carrier.script = [new CarrierError('invalid_input', 'ECOTRACK rejected the data: phone: invalide', { field: 'phone', httpStatus: 422 })]
    const { actions, worker } = build(db, carrier)
    const { outbox } = actions.addRemark(id, 'x')
    await worker.runOnce()
    const shown = actions.list({ limit: 10 }).find((i) => i.id === outbox.id)!
    expect(shown.lastError).toMatchObject({ code: 'invalid_input', field: 'phone', params: { httpStatus: 422 }, carrier: 'ecotrack' })
    // Read back through a fresh store: it is on disk, not only in memory.
    expect(new OutboxStore(db).get(outbox.id)).toMatchObject({ lastErrorField: 'phone', lastErrorParams: { httpStatus: 422 } })
  })

  it('words a known carrier code as a reason, and reads a row stored before (a bare message) as a message', async () => {
    const id = seedShipment(db)
    const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
    carrier.script = [new CarrierError('carrier_refused', 'error 10003', { carrierCode: 10003 })]
    const { actions, worker, store } = build(db, carrier)
    const r = actions.requestReturn(id)
    await worker.runOnce()
    expect(actions.list({ limit: 10 }).find((i) => i.id === r.id)!.lastError).toMatchObject({
      code: 'carrier_refused',
      params: { reason: 'return_not_out_for_delivery', carrierCode: 10003 }
    })
    db.prepare('UPDATE outbox SET last_error = ? WHERE id = ?').run('Older build: refused', r.id)
    expect(store.get(r.id)).toMatchObject({ lastError: 'Older build: refused', lastErrorField: null, lastErrorParams: null })
  })

  it('drops a param that reads as a sentence rather than a value', async () => {
    const id = seedShipment(db)
    const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
    const sentence = 'The recipient phone number must contain exactly ten digits, starting with 05, 06 or 07'
    carrier.script = [new CarrierError('carrier_refused', 'no', { params: { detail: sentence, code: 'E12' } })]
    const { actions, worker, store } = build(db, carrier)
    const { outbox } = actions.addRemark(id, 'x')
    await worker.runOnce()
    expect(store.get(outbox.id)!.lastErrorParams).toEqual({ code: 'E12' })
  })

  it('never stores a registered secret that a carrier echoes in its error', async () => {
    const id = seedShipment(db)
    const secret = 'tok-5ecret-value-0042'
    sharedRedactor.add(secret)
    const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
    carrier.script = [new CarrierError('unauthorized', `api_token ${secret} is not valid`)]
    const { actions, worker, store } = build(db, carrier)
    const { outbox } = actions.addRemark(id, 'x')
    await worker.runOnce()
    expect(store.get(outbox.id)!.lastError).toBe('api_token [redacted] is not valid')
    expect(JSON.stringify(actions.list({ limit: 10 }))).not.toContain(secret)
  })

  it('stops with a clear message when the carrier has no such action', async () => {
    const id = seedShipment(db)
    const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
    carrier.requestReturn = undefined as never
    const { actions, worker, store } = build(db, carrier)
    const r = actions.requestReturn(id)
    await worker.runOnce()
    expect(store.get(r.id)).toMatchObject({
      state: 'failed',
      lastErrorCode: 'unsupported',
      lastError: 'ECOTRACK does not accept return requests through its API.'
    })
  })
})

describe('exactly once across a crash', () => {
  /** The carrier accepts, then the process dies before the answer is recorded. */
  function crashAfterAccept(carrier: FakeCarrier, d: Database): void {
    carrier.afterAccept = () => {
      d.close() // what SIGKILL leaves: the row is on disk as inflight, the answer is not
      return new Promise<void>(() => {})
    }
  }

  it('a remark the carrier got before the crash is found in its list and never sent again', async () => {
    const id = seedShipment(db)
    const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
    const { actions, worker } = build(db, carrier)
    const { remark, outbox } = actions.addRemark(id, 'Client absent le matin')
    crashAfterAccept(carrier, db)
    void worker.runOnce()
    await new Promise((r) => setImmediate(r))
    expect(db.open).toBe(false)
    carrier.afterAccept = null

    const d2 = openStore()
    const after = build(d2, carrier)
    expect(after.store.get(outbox.id)!.state).toBe('inflight')
    expect(await after.worker.runOnce()).toMatchObject({ reconciled: 1, sent: 0 })
    expect(carrier.remarks).toHaveLength(1)
    expect(after.store.get(outbox.id)).toMatchObject({ state: 'sent', result: { reconciled: true } })
    expect(remarkState(d2, remark.id)).toBe('sent')
    await after.worker.runOnce()
    expect(carrier.remarks).toHaveLength(1)
  })

  it('a remark claimed but never received is sent once after the restart', async () => {
    const id = seedShipment(db)
    const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
    const { actions, store } = build(db, carrier)
    const { outbox } = actions.addRemark(id, 'x')
    durably(db, () => store.claim(outbox.id, clock.now())) // crash right after the claim
    db.close()

    const d2 = openStore()
    const after = build(d2, carrier)
    expect(await after.worker.runOnce()).toMatchObject({ reconciled: 1, sent: 1 })
    expect(carrier.remarks).toHaveLength(1)
    expect(carrier.calls.filter((c) => c.startsWith('remark:'))).toHaveLength(1)
  })

  it('tells a crashed remark from an earlier one with the same text (counted, not timed)', async () => {
    const id = seedShipment(db)
    const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
    const { actions, worker, store } = build(db, carrier)
    actions.addRemark(id, 'Appeler')
    await worker.runOnce()
    clock.advance(86_400_000)
    const { outbox } = actions.addRemark(id, 'Appeler') // the same words the next day
    durably(db, () => store.claim(outbox.id, clock.now())) // killed before the call left
    db.close()
    const d2 = openStore()
    const after = build(d2, carrier)
    expect(await after.worker.runOnce()).toMatchObject({ reconciled: 1, sent: 1 })
    expect(carrier.remarks.map((r) => r.text)).toEqual(['Appeler', 'Appeler'])
  })

  it('without a remark list to ask, it stops for the clerk rather than risk a duplicate', async () => {
    const id = seedShipment(db)
    const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now(), listRemarks: false })
    const { actions, worker } = build(db, carrier)
    const { remark, outbox } = actions.addRemark(id, 'x')
    crashAfterAccept(carrier, db)
    void worker.runOnce()
    await new Promise((r) => setImmediate(r))
    carrier.afterAccept = null

    const d2 = openStore()
    const after = build(d2, carrier)
    await after.worker.runOnce()
    expect(carrier.remarks).toHaveLength(1)
    expect(after.store.get(outbox.id)).toMatchObject({ state: 'failed', lastErrorCode: 'conflict' })
    expect(after.store.get(outbox.id)!.lastError).toContain('cannot tell whether ECOTRACK received it')
    expect(remarkState(d2, remark.id)).toBe('failed')
  })

  it('a repeat-safe return request is sent again with the same key, and the carrier keeps one', async () => {
    const id = seedShipment(db)
    const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
    carrier.honoursKeys = true
    const { actions, worker, store } = build(db, carrier)
    const r = actions.requestReturn(id)
    const key = store.get(r.id)!.idempotencyKey
    crashAfterAccept(carrier, db)
    void worker.runOnce()
    await new Promise((res) => setImmediate(res))
    carrier.afterAccept = null

    const d2 = openStore()
    const after = build(d2, carrier)
    expect(await after.worker.runOnce()).toMatchObject({ reconciled: 1, sent: 1 })
    expect(carrier.calls).toEqual([`return:${key}`, `return:${key}`])
    expect(carrier.returns).toHaveLength(1)
  })

  it('an inflight row waits (never resent) while its reconcile cannot reach the carrier', async () => {
    const id = seedShipment(db)
    const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
    const { actions, store } = build(db, carrier)
    const { outbox } = actions.addRemark(id, 'x')
    durably(db, () => store.claim(outbox.id, clock.now()))
    carrier.script = [new CarrierError('offline', 'ENETUNREACH')]
    const after = build(db, carrier)
    expect(await after.worker.runOnce()).toMatchObject({ reconciled: 0, sent: 0 })
    expect(store.get(outbox.id)!.state).toBe('inflight')
    expect(carrier.remarks).toHaveLength(0)
    // Asked again after a backoff, not at every run.
    const asked = carrier.calls.filter((c) => c.startsWith('list:')).length
    expect(await after.worker.runOnce()).toMatchObject({ reconciled: 0, sent: 0 })
    expect(carrier.calls.filter((c) => c.startsWith('list:'))).toHaveLength(asked)
    clock.advance(60_000)
    expect(await after.worker.runOnce()).toMatchObject({ reconciled: 1, sent: 1 })
    expect(carrier.remarks).toHaveLength(1)
  })
})

describe('exactly once when the network cuts the answer', () => {
  const cut = () => new CarrierError('offline', 'ECOTRACK unreachable (UND_ERR_SOCKET)', { retryable: true, mayHaveArrived: true })

  it('a remark the carrier got, whose answer was cut, is found in its list and never sent again', async () => {
    const id = seedShipment(db)
    const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
    const { actions, worker, store } = build(db, carrier)
    const { remark, outbox } = actions.addRemark(id, 'Livrer après 17 h')
    carrier.afterAccept = () => Promise.reject(cut())
    expect(await worker.runOnce()).toMatchObject({ retried: 1, sent: 0 })
    expect(store.get(outbox.id)).toMatchObject({ state: 'inflight', lastError: 'ECOTRACK unreachable (UND_ERR_SOCKET)' })
    carrier.afterAccept = null
    expect(await worker.runOnce()).toMatchObject({ reconciled: 0, sent: 0 }) // after the backoff, not before
    clock.advance(60_000)
    expect(await worker.runOnce()).toMatchObject({ reconciled: 1, sent: 0 }) // not resent blindly: the carrier was asked
    expect(carrier.remarks).toHaveLength(1)
    expect(store.get(outbox.id)).toMatchObject({ state: 'sent' })
    expect(remarkState(db, remark.id)).toBe('sent')
  })

  it('a remark whose request was cut before the carrier took it is sent again, once, after asking', async () => {
    const id = seedShipment(db)
    const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
    const { actions, worker, store } = build(db, carrier)
    const { outbox } = actions.addRemark(id, 'Fragile')
    carrier.script = [cut()]
    await worker.runOnce()
    expect(store.get(outbox.id)!.state).toBe('inflight')
    clock.advance(60_000)
    expect(await worker.runOnce()).toMatchObject({ reconciled: 1, sent: 1 })
    expect(carrier.remarks).toHaveLength(1)
    expect(carrier.calls.filter((c) => c.startsWith('remark:'))).toHaveLength(2)
  })

  it('a connection that was never made is retried later as before: nothing can have arrived', async () => {
    const id = seedShipment(db)
    const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
    const { actions, worker, store } = build(db, carrier)
    const { outbox } = actions.addRemark(id, 'Appeler')
    carrier.unreachable = true // ECONNREFUSED
    await worker.runOnce()
    expect(store.get(outbox.id)).toMatchObject({ state: 'pending', lastError: 'connect ECONNREFUSED 127.0.0.1' })
  })
})

describe('offline', () => {
  it('goes offline after failed calls, probes with one write per run, and comes back by itself', async () => {
    const ids = [seedShipment(db), seedShipment(db, 'ECQFLD0000000002'), seedShipment(db, 'ECQFLD0000000003')]
    const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
    const connectivity = new ConnectivityMonitor({ clock, failuresToOffline: 1 })
    const seen: boolean[] = []
    connectivity.onChange((s) => seen.push(s.online))
    const { actions, worker, store } = build(db, carrier, { connectivity })
    for (const id of ids) actions.addRemark(id, `r${id}`)
    carrier.script = [new CarrierError('offline', 'getaddrinfo ENOTFOUND'), new CarrierError('offline', 'ECONNREFUSED')]
    await worker.runOnce()
    expect(connectivity.isOnline()).toBe(false)
    expect(carrier.calls).toHaveLength(1) // the account is held after a network failure
    clock.advance(60_000)
    await worker.runOnce()
    expect(carrier.calls).toHaveLength(2) // offline: a single probe per run
    clock.advance(60_000)
    await worker.runOnce()
    expect(connectivity.isOnline()).toBe(true)
    clock.advance(60_000)
    await worker.runOnce()
    expect(carrier.remarks).toHaveLength(3)
    expect(store.counts().pending).toBe(0)
    expect(seen).toEqual([false, true])
    expect(connectivity.state().lastGoodSyncAt).toBe(new Date(clock.now() - 60_000).toISOString())
  })
})

describe('background loop', () => {
  it('runs on a kick, sleeps until the next row is due, wakes when back online, and stops cleanly', async () => {
    const id = seedShipment(db)
    const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
    carrier.script = [new CarrierError('carrier_error', 'HTTP 502')]
    const timers: Array<{ fn: () => void; ms: number }> = []
    const connectivity = new ConnectivityMonitor({ clock, failuresToOffline: 1 })
    const store = new OutboxStore(db)
    const kinds = new OutboxKinds(BUILTIN_KINDS)
    const worker = new OutboxWorker({
      store,
      kinds,
      clock,
      logger: silentLogger,
      adapterFor: () => carrier,
      random: () => 0,
      connectivity,
      setTimer: (fn, ms) => {
        const t = { fn, ms }
        timers.push(t)
        return t
      },
      clearTimer: (h) => {
        const i = timers.indexOf(h as (typeof timers)[number])
        if (i >= 0) timers.splice(i, 1)
      }
    })
    const actions = new ActionService(db, new Outbox(db, store, kinds, () => worker.kick()), store, clock)
    worker.start()
    const fire = async () => {
      const t = timers.shift()!
      t.fn()
      await worker.idle()
    }
    expect(timers.map((t) => t.ms)).toEqual([0])
    await fire() // nothing to do: no timer left
    expect(timers).toEqual([])

    actions.addRemark(id, 'x')
    expect(timers.map((t) => t.ms)).toEqual([0])
    await fire() // 502: retry in 2.5 s
    expect(timers.map((t) => t.ms)).toEqual([2_500])
    connectivity.setOsSignal(false)
    connectivity.setOsSignal(true) // back online: run at once
    expect(timers.map((t) => t.ms)).toEqual([0])
    clock.advance(2_500)
    await fire()
    expect(carrier.remarks).toHaveLength(1)
    expect(timers).toEqual([])
    worker.stop()
    actions.addRemark(id, 'y')
    expect(timers).toEqual([]) // stopped: kicks do nothing
  })
})
