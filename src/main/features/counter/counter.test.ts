// A whole counter day through the real backend and its dispatcher (the IPC boundary): a driver
// drops 12 parcels, customers collect, one parcel expires and leaves with the driver alongside a
// dropped-off return, and the end-of-day report adds up. The Express Relais simulator on loopback
// receives the return request exactly once.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Channel, Input, Output } from '../../../shared/contract'
import { createBackend, type Backend } from '../../backend'
import { carrierModule } from '../../carriers/registry'
import { DEMO_SIM_CREDENTIALS, startSimulator } from '../../demo/simulators'
import type { SimServer } from '../../carriers/sim/server'
import type { CarrierAdapter } from '../../carriers/types'
import { DAY, HOUR, ManualClock } from '../../platform/clock'
import { createLogger, silentLogger } from '../../platform/logger'
import { MemoryStore } from '../../core/settings/settings'
import { FakeCarrier } from '../../carriers/testing/fake-carrier.testkit'
import { canConfirmHandover } from './outbox-kind'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const SIGNATURE =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 120"><path d="M10 60 L120 30 L200 90" stroke="#000" fill="none"/></svg>'
const PHOTO = `data:image/png;base64,${Buffer.from('\x89PNG\r\n\x1a\nfake').toString('base64')}`

async function setup(opts: { adapters?: (carrier: string, sim: SimServer, now: () => number) => CarrierAdapter | null } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-counter-'))
  const clock = new ManualClock(Date.UTC(2026, 10, 28, 8, 0))
  const sim = await startSimulator('express-relais', { clock })
  const erAdapter = carrierModule('express-relais')!.createAdapter(
    {
      carrier: 'express-relais',
      alias: 'demo',
      baseUrl: sim.url,
      credentials: { username: DEMO_SIM_CREDENTIALS['express-relais'].user, password: DEMO_SIM_CREDENTIALS['express-relais'].password },
      options: { enabled: true }
    },
    { now: () => clock.now(), logger: silentLogger }
  )
  // The documents speak the clerk's language: English here, whatever the machine's locale.
  const settingsStore = new MemoryStore()
  settingsStore.set('language', 'en')
  const backend: Backend = createBackend({
    dataDir: dir,
    version: '0.0.0-test',
    settingsStore,
    clock,
    logger: silentLogger,
    demo: true,
    demoSimulators: false,
    outboxAutoStart: false,
    adapterFor: (carrier) =>
      opts.adapters ? opts.adapters(carrier, sim, () => clock.now()) : carrier === 'express-relais' ? erAdapter : null
  })
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  cleanups.push(() => sim.close())
  cleanups.push(() => backend.close())
  const call = async <C extends Channel>(channel: C, input: Input<C>): Promise<Output<C>> => {
    const r = await backend.dispatch(channel, input)
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`)
    return r.value as Output<C>
  }
  const fail = async <C extends Channel>(channel: C, input: Input<C>) => {
    const r = await backend.dispatch(channel, input)
    if (r.ok) throw new Error(`${channel} should have failed`)
    return r.error
  }
  return { dir, clock, sim, backend, call, fail }
}

const DROP = [
  'ERMA2611240042', // Yasmine El Idrissi, COD 349 MAD
  'ERMA2611230031', // Karim Benjelloun: never comes, expires
  '3SYZXG132912361', // Salma Tazi (Sendcloud)
  'ERMA2611270055', // Salma Tazi again, COD 129.90 MAD
  'ERMA2611250064', // Imane Fassi
  'ECQFLD2611220009', // Rachid Belkacem: damaged
  'ECQFLD2611260021',
  '141123221084922',
  '141123221084931',
  'CP2611240012',
  'ERMA2611260077', // Nadia Berrada: for the Twin Center locker, not this point
  'ZZUNKNOWN00012' // no shipment known yet
]

describe('counter day', () => {
  it('drops, hands over, expires, returns, collects and closes the day; the carrier gets each return request once', async () => {
    const { call, fail, clock, sim, backend, dir } = await setup()
    await call('counter.setConfig', { clerk: 'Fatima' })

    // 1. The driver announces 12 parcels.
    const session = await call('counter.checkinStart', { driver: 'Youssef (ER route 4)', announced: 12 })
    const results = []
    for (const code of DROP) {
      const damaged = code === 'ECQFLD2611220009'
      results.push(
        await call('counter.checkinScan', {
          sessionId: session.id,
          code: ` ${code}\n`,
          ...(damaged ? { damaged, note: 'corner crushed', photo: PHOTO } : {})
        })
      )
      clock.advance(20_000)
    }
    expect(results.at(-1)!.session.scanned).toBe(12)
    expect(results.find((r) => r.parcel.trackingNumber === 'ERMA2611260077')!.warnings).toContain('not_for_point')
    const unknown = results.find((r) => r.parcel.trackingNumber === 'ZZUNKNOWN00012')!
    expect(unknown.warnings).toContain('unmatched')
    expect(unknown.parcel.slot).toMatch(/^\?\?28-#$/)
    const damaged = results.find((r) => r.parcel.trackingNumber === 'ECQFLD2611220009')!.parcel
    expect(damaged).toMatchObject({ damaged: true, damageNote: 'corner crushed', hasPhoto: true })
    expect(readdirSync(join(dir, 'counter-photos'))).toHaveLength(1)
    expect(results[0]!.parcel.slot).toBe('ER28-Y')
    // A double beep is the same parcel, not a 13th.
    const again = await call('counter.checkinScan', { sessionId: session.id, code: 'ERMA2611240042' })
    expect(again.warnings).toEqual(['already_here'])
    expect(again.session.scanned).toBe(12)
    await call('counter.checkinClose', { sessionId: session.id })

    // 2. Stock: by slot; the Sendcloud parcel is on the shelf while Sendcloud still says in transit.
    const stock = await call('counter.stock', {})
    // The 12, plus the demo's parcel shelved 10 days ago.
    expect(stock.parcels).toHaveLength(13)
    expect(stock.slots.reduce((n, x) => n + x.count, 0)).toBe(13)
    expect((await call('counter.expired', {})).map((p) => p.trackingNumber)).toEqual(['ERMA2611100003'])
    expect(stock.onShelfCarrierInTransit.map((p) => p.trackingNumber)).toContain('3SYZXG132912361')
    expect(stock.onShelfCarrierInTransit.map((p) => p.trackingNumber)).toContain('ZZUNKNOWN00012')

    // 3. Hand-overs. Salma: one scan finds both her parcels; ID checked (last digits only), COD of one paid by card.
    clock.advance(2 * HOUR)
    const karim = await call('counter.find', { query: '3SYZXG132912361' })
    expect(karim.map((p) => p.trackingNumber).sort()).toEqual(['3SYZXG132912361', 'ERMA2611270055'])
    const full = await fail('counter.handover', {
      parcelIds: karim.map((p) => p.id),
      idType: 'national_id',
      idLast: 'BE123456',
      cod: { amount: 129.9, method: 'card' }
    })
    expect(full.field).toBe('idLast')
    expect(full.message).not.toContain('BE123456')
    const h1 = await call('counter.handover', {
      parcelIds: karim.map((p) => p.id),
      idType: 'national_id',
      idLast: '3456',
      signature: SIGNATURE,
      cod: { amount: 129.9, method: 'card' }
    })
    expect(h1.parcels.every((p) => p.state === 'handed_over')).toBe(true)
    expect(h1.receipt.svg).toContain('••••3456')
    expect(h1.receipt.svg).toContain('<path d="M10 60')
    // No carrier documents a hand-over call: recorded here, and the clerk is told (not the customer's receipt).
    expect(h1.carrierSync.every((c) => c.mode === 'local_only')).toBe(true)
    expect(h1.carrierSync.map((c) => c.note.code)).toEqual(karim.map(() => 'handover_local_only'))
    // A code and params for the renderer to word: no sentence from main.
    expect(h1.carrierSync[0]!.note.params).toEqual({ tracking: karim[0]!.trackingNumber, carrier: karim[0]!.carrier })
    expect(h1.carrierSync[0]).not.toHaveProperty('message')
    expect(h1.receipt.lines.join('\n')).not.toMatch(/hand-over call|Override/)
    // The same click again gives the same receipt, not a second hand-over.
    const h1b = await call('counter.handover', {
      parcelIds: karim.map((p) => p.id),
      idType: 'national_id',
      idLast: '3456',
      signature: SIGNATURE,
      cod: { amount: 129.9, method: 'card' }
    })
    expect(h1b.handoverId).toBe(h1.handoverId)

    // Yasmine: by phone, COD 349 MAD in cash, checked by her pickup code.
    const yasmine = await call('counter.find', { query: '0612345678' })
    expect(yasmine).toHaveLength(1)
    const noCod = await fail('counter.handover', { parcelIds: [yasmine[0]!.id], pickupCode: yasmine[0]!.pickupCode! })
    expect(noCod.field).toBe('cod')
    const badCode = await fail('counter.handover', { parcelIds: [yasmine[0]!.id], pickupCode: '999999x' })
    expect(badCode.field).toBe('pickupCode')
    const h2 = await call('counter.handover', {
      parcelIds: [yasmine[0]!.id],
      pickupCode: yasmine[0]!.pickupCode!,
      cod: { amount: 349, method: 'cash' }
    })
    expect(h2.receipt.lines.join('\n')).toContain('COD: 349.00 MAD (cash)')

    // Priya: by name, no ID and no code: only with a reason (audited).
    const priya = await call('counter.find', { query: 'priya' })
    expect(priya).toHaveLength(1)
    await fail('counter.handover', { parcelIds: [priya[0]!.id] })
    await call('counter.handover', { parcelIds: [priya[0]!.id], overrideReason: 'known customer, ID forgotten' })
    clock.advance(60_000)
    expect((await fail('counter.handover', { parcelIds: [priya[0]!.id], overrideReason: 'again' })).code).toBe('conflict')

    // 4. Days pass: the Express Relais parcels (hold set to 5 days) expire; Sendcloud's 14 would not.
    await call('counter.setConfig', { holdDays: { 'express-relais': 5 } })
    clock.advance(6 * DAY)
    const expired = await call('counter.expired', {})
    expect(expired.map((p) => p.trackingNumber)).toContain('ERMA2611230031')
    expect(expired.every((p) => p.carrier !== 'sendcloud')).toBe(true)
    const imane = expired.find((p) => p.trackingNumber === 'ERMA2611230031')!
    const prepared = await call('counter.prepareReturn', { parcelIds: [imane.id] })
    expect(prepared.carrierSync[0]).toMatchObject({
      mode: 'outbox',
      note: { code: 'return_queued', params: { tracking: 'ERMA2611230031', carrier: 'express-relais' } }
    })
    expect(prepared.manifest.lines.join('\n')).toContain('ERMA2611230031')
    // Twice: still one request.
    await call('counter.prepareReturn', { parcelIds: [imane.id] })

    // 5. A customer drops off a return (its AWB is not known here yet).
    const drop = await call('counter.dropoff', { code: 'RET-ER-000981' })
    expect(drop.parcel).toMatchObject({ origin: 'dropoff', state: 'to_return', shipmentId: null })
    expect(drop.receipt.lines.join('\n')).toContain('RET-ER-000981')

    // 6. The driver collects: both scanned, one stray scan listed, closing needs a reason then.
    const col = await call('counter.collectionStart', { driver: 'Youssef (ER route 4)' })
    expect(col.expected.map((p) => p.trackingNumber).sort()).toEqual(['ERMA2611230031', 'RET-ER-000981'])
    await call('counter.collectionScan', { sessionId: col.session.id, code: 'ERMA2611230031' })
    const stray = await call('counter.collectionScan', { sessionId: col.session.id, code: 'ERMA2611240042' })
    expect(stray.matched).toBe(false)
    const done = await call('counter.collectionScan', { sessionId: col.session.id, code: 'RETER000981' })
    expect(done.missing).toHaveLength(0)
    expect(done.unexpected).toEqual(['ERMA2611240042'])
    await fail('counter.collectionClose', { sessionId: col.session.id, signature: SIGNATURE })
    const closed = await call('counter.collectionClose', {
      sessionId: col.session.id,
      signature: SIGNATURE,
      overrideReason: 'driver scanned a handed-over parcel by mistake'
    })
    expect(closed.manifest.lines.join('\n')).toContain('NOT ON MANIFEST ERMA2611240042')

    // The outbox reaches the carrier: the simulator sees the return request exactly once.
    await backend.offline.worker.runOnce()
    await backend.offline.worker.runOnce()
    const returns = sim.log.filter((l) => l.url.includes('/returnParcel'))
    expect(returns).toHaveLength(1)
    expect(['PARCEL_TO_RETURN', 'RETURN_REQUEST_CONFIRMED', 'PARCEL_RETURNED']).toContain(
      (sim as SimServer & { statusOf(id: string): string | null }).statusOf('ERMA2611230031')
    )
    const rows = await call('outbox.list', { limit: 100 })
    expect(rows.filter((r) => r.kind === 'return_request')).toHaveLength(1)
    expect(rows.find((r) => r.kind === 'return_request')!.state).toBe('sent')

    // 7. End of the day the drop happened on.
    const report = await call('counter.endOfDay', { day: '2026-11-28' })
    expect(report.totals).toMatchObject({ in: 12, handedOver: 4, out: 4, refused: 0 })
    expect(report.exceptions).toMatchObject({ damaged: 1, notForPoint: 1, unmatched: 1 })
    const er = report.carriers.find((c) => c.carrier === 'express-relais')!
    expect(er.cod).toEqual([
      { currency: 'MAD', method: 'card', cents: 12990, count: 1 },
      { currency: 'MAD', method: 'cash', cents: 34900, count: 1 }
    ])
    expect(report.csv.split('\r\n')[0]).toContain('COD amount')
    expect(report.csv).toContain('Express Relais')
    const later = await call('counter.endOfDay', {})
    expect(later.totals).toMatchObject({ in: 1, droppedOff: 1, collected: 2, preparedForReturn: 1 })
    expect(later.exceptions.overrides).toBeGreaterThanOrEqual(1)

    // 8. Audit: every step, with who and the override's reason.
    const audit = await call('counter.audit', { limit: 1000 })
    expect(audit.filter((a) => a.action.startsWith('checkin')).length).toBeGreaterThanOrEqual(13)
    expect(audit.filter((a) => a.action !== 'demo_seed').every((a) => a.clerk === 'Fatima')).toBe(true)
    expect(audit.find((a) => a.action === 'handover_override')!.reason).toBe('known customer, ID forgotten')
    expect(JSON.stringify(audit)).not.toContain('BE123456')
    expect(existsSync(join(dir, 'guichet.sqlite'))).toBe(true)
  })

  it('matches an unknown parcel once its shipment appears, and keeps the count honest', async () => {
    const { call, fail, backend, clock } = await setup()
    const s = await call('counter.checkinStart', { driver: 'D', announced: 2 })
    const r = await call('counter.checkinScan', { sessionId: s.id, code: 'NEWPARCEL123' })
    expect(r.parcel.shipmentId).toBeNull()
    const closing = await fail('counter.checkinClose', { sessionId: s.id })
    expect(closing.code).toBe('conflict')
    await call('counter.checkinClose', { sessionId: s.id, overrideReason: 'driver miscounted' })
    await fail('counter.checkinScan', { sessionId: s.id, code: 'NEWPARCEL124' })
    backend.db
      .prepare(
        `INSERT INTO shipments (carrier, account, tracking_number, tracking_key, recipient_name, created_at, updated_at) VALUES ('ecotrack', 'demo', 'NEWPARCEL123', 'NEWPARCEL123', 'Late Comer', ?, ?)`
      )
      .run(clock.now(), clock.now())
    const stock = await call('counter.stock', {})
    const p = stock.parcels.find((x) => x.trackingNumber === 'NEWPARCEL123')!
    expect(p).toMatchObject({ carrier: 'ecotrack', recipientName: 'Late Comer' })
    expect(p.shipmentId).not.toBeNull()
    expect((await call('counter.find', { query: 'late comer' })).map((x) => x.id)).toEqual([p.id])
    // Refused at the door: recorded with its reason, never on the shelf.
    const s2 = await call('counter.checkinStart', { driver: 'D' })
    const refused = await call('counter.checkinScan', { sessionId: s2.id, code: 'ERMA2611270055', refuse: 'box soaked' })
    expect(refused.parcel).toMatchObject({ state: 'refused', slot: null, refusedReason: 'box soaked' })
    expect((await call('counter.stock', {})).parcels.map((x) => x.trackingNumber)).not.toContain('ERMA2611270055')
  })

  it('refuses bad input with typed errors: full ID numbers, unsafe signatures, foreign sessions', async () => {
    const { call, fail } = await setup()
    const s = await call('counter.checkinStart', { driver: 'D' })
    const p = (await call('counter.checkinScan', { sessionId: s.id, code: 'ERMA2611230031' })).parcel
    expect((await fail('counter.handover', { parcelIds: [p.id], idType: 'passport', idLast: '12345678' })).code).toBe('invalid_input')
    const evil = '<svg onload="alert(1)"><path d="M0 0"/></svg>'
    expect((await fail('counter.handover', { parcelIds: [p.id], idType: 'passport', idLast: '5678', signature: evil })).field).toBe(
      'signature'
    )
    expect((await fail('counter.checkinScan', { sessionId: s.id, code: '??' })).field).toBe('code')
    expect((await fail('counter.collectionScan', { sessionId: s.id, code: 'ERMA2611230031' })).code).toBe('invalid_input')
    expect((await fail('counter.checkinScan', { sessionId: s.id, code: 'X1234567', photo: 'data:text/html;base64,AAAA' })).field).toBe(
      'photo'
    )
    expect((await fail('counter.setSlot', { parcelId: 99999, slot: 'A1' })).code).toBe('not_found')
    expect((await fail('counter.setConfig', { holdDays: { ecotrack: 0 } })).code).toBe('invalid_input')
    const moved = await call('counter.setSlot', { parcelId: p.id, slot: 'B-07' })
    expect(moved.slot).toBe('B-07')
  })

  it('queues the hand-over for a carrier whose adapter can take it (outbox kind), once', async () => {
    const confirmed: string[] = []
    const { call, backend } = await setup({
      adapters: (carrier) =>
        carrier === 'express-relais'
          ? ({
              carrier: 'express-relais',
              account: 'demo',
              capabilities: new Set(),
              batchSize: 1,
              track: async () => [],
              budget: () => ({ remaining: 100, resetAt: null }),
              confirmHandover: async (t: string) => {
                confirmed.push(t)
              }
            } as unknown as CarrierAdapter)
          : null
    })
    const s = await call('counter.checkinStart', { driver: 'D' })
    const p = (await call('counter.checkinScan', { sessionId: s.id, code: 'ERMA2611230031' })).parcel
    const h = await call('counter.handover', { parcelIds: [p.id], idType: 'passport', idLast: '5678' })
    expect(h.carrierSync[0]).toMatchObject({ mode: 'outbox' })
    expect(canConfirmHandover(backend.offline.worker ? ({ confirmHandover() {} } as unknown as CarrierAdapter) : null)).toBe(true)
    await backend.offline.worker.runOnce()
    await backend.offline.worker.runOnce()
    expect(confirmed).toEqual(['ERMA2611230031'])
    const rows = await call('outbox.list', { limit: 10 })
    expect(rows.find((r) => r.kind === 'counter_handover')).toMatchObject({ state: 'sent' })
  })

  it('works offline: every step recorded with its own time; the return request reaches the carrier once when back', async () => {
    let carrier: FakeCarrier | null = null
    const { call, backend, clock } = await setup({
      adapters: (c, _sim, now) =>
        c === 'express-relais' ? (carrier ??= new FakeCarrier({ carrier: 'express-relais', account: 'demo', now: now })) : null
    })
    const t0 = clock.now()
    const s = await call('counter.checkinStart', { driver: 'D' })
    const p = (await call('counter.checkinScan', { sessionId: s.id, code: 'ERMA2611240042' })).parcel
    expect(p.arrivedAt).toBe(new Date(t0).toISOString())
    clock.advance(5 * 60_000)
    const h = await call('counter.handover', {
      parcelIds: [p.id],
      idType: 'passport',
      idLast: '1234',
      cod: { amount: 349, method: 'cash' }
    })
    expect(h.at).toBe(new Date(t0 + 5 * 60_000).toISOString())
    expect((await call('counter.expired', {})).map((x) => x.trackingNumber)).toEqual(['ERMA2611100003'])
    const shelved = (await call('counter.stock', {})).parcels.find((x) => x.trackingNumber === 'ERMA2611100003')!
    carrier!.unreachable = true
    const prep = await call('counter.prepareReturn', { parcelIds: [shelved.id] })
    expect(prep.carrierSync[0]!.outbox?.state).toBe('pending')
    // The carrier cannot be reached: the row waits, nothing is lost.
    await backend.offline.worker.runOnce()
    const waiting = (await call('outbox.list', { limit: 10 })).find((r) => r.kind === 'return_request')!
    expect(waiting.state).toBe('pending')
    expect(waiting.actedAt).toBe(new Date(t0 + 5 * 60_000).toISOString())
    expect(carrier!.returns).toHaveLength(0)
    // Back online: sent once, however many times the worker runs.
    carrier!.unreachable = false
    backend.offline.connectivity.reportSuccess()
    for (let i = 0; i < 3; i++) {
      clock.advance(HOUR)
      await backend.offline.worker.runOnce()
    }
    expect(carrier!.returns.map((r) => r.tracking)).toEqual(['ERMA2611100003'])
    expect((await call('outbox.list', { limit: 10 })).find((r) => r.kind === 'return_request')!.state).toBe('sent')
  })

  it('never writes a secret or a full ID number to the log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-counter-log-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const logger = createLogger({ file: join(dir, 'log.txt') })
    const backend = createBackend({
      dataDir: dir,
      version: '0',
      settingsStore: new MemoryStore(),
      logger,
      demo: true,
      demoSimulators: false,
      outboxAutoStart: false
    })
    cleanups.push(() => backend.close())
    const s = await backend.dispatch('counter.checkinStart', { driver: 'D' })
    expect(s.ok).toBe(true)
    const r = await backend.dispatch('counter.handover', { parcelIds: [1], idType: 'passport', idLast: 'AB1234567' })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.message).not.toContain('AB1234567')
  })
})
