// The offline-first writes, the credentials vault and connectivity, through the same dispatch
// the transports call: typed errors for bad input, no secret in any output, log or file.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createBackend, type Backend } from '../../src/main/backend'
import { browserPlatform } from '../../src/main/platforms'
import { CarrierError } from '../../src/main/carriers/types'
import { createSafeStorageVault, PLAIN_TEXT_REFUSAL, type SafeStorageLike } from '../../src/main/core/credentials/safe-storage'
import { FakeCarrier } from '../../src/main/carriers/testing/fake-carrier.testkit'
import { ManualClock } from '../../src/main/platform/clock'
import { createLogger } from '../../src/main/platform/logger'
import { MemoryStore } from '../../src/main/core/settings/settings'

const TOKEN = 'eco-api-token-0123456789abcdef'
let dataDir: string
let clock: ManualClock
let backend: Backend
let carrier: FakeCarrier
let events: Array<{ name: string; payload: unknown }>

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'guichet-offline-'))
  clock = new ManualClock()
  carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
  backend = createBackend({
    dataDir,
    version: '0.0.0-test',
    settingsStore: new MemoryStore(),
    clock,
    logger: createLogger({ file: join(dataDir, 'logs', 'guichet.log'), console: false }),
    demo: false,
    outboxAutoStart: false,
    adapterFor: (c, a) => (c === 'ecotrack' && a === 'default' ? carrier : null)
  })
  events = []
  backend.events.onAny((name, payload) => events.push({ name, payload }))
})

afterEach(() => {
  backend.close()
  rmSync(dataDir, { recursive: true, force: true })
})

function shipment(tracking = 'ECQFLD2103047673'): number {
  return Number(
    backend.db
      .prepare(
        `INSERT INTO shipments (carrier, account, tracking_number, tracking_key, recipient_name, created_at, updated_at)
         VALUES ('ecotrack', 'default', ?, ?, 'Karim T.', ?, ?)`
      )
      .run(tracking, tracking, clock.now(), clock.now()).lastInsertRowid
  )
}

// Loosely typed on purpose: these tests also send what the contract forbids.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = { ok: boolean; value?: any; error?: any }
async function call(channel: string, input: unknown): Promise<Loose> {
  return (await backend.dispatch(channel, input)) as Loose
}

describe('remarks and return requests over IPC', () => {
  it('records a remark at once, sends it, and the shipment detail follows', async () => {
    const id = shipment()
    const r = await call('remarks.add', { shipmentId: id, text: '  Appeler avant 12h  ' })
    expect(r.ok).toBe(true)
    expect(r.value.remark).toMatchObject({ text: 'Appeler avant 12h', state: 'pending' })
    expect(r.value.outbox).toMatchObject({ state: 'pending', summary: 'Remark: Appeler avant 12h' })
    expect((await call('outbox.pending', {})).value).toEqual({
      pending: 1,
      failed: 0,
      byShipment: [{ shipmentId: id, pending: 1, failed: 0 }]
    })
    expect(events.map((e) => e.name)).toEqual(['outbox.changed', 'shipment.changed'])

    expect(backend.offline.hasUnsent()).toBe(true) // due now: an update waits for it
    await backend.offline.worker.runOnce()
    expect(backend.offline.hasUnsent()).toBe(false)
    expect(carrier.remarks.map((x) => x.text)).toEqual(['Appeler avant 12h'])
    const detail = (await call('shipments.get', { id })).value
    expect(detail.remarks[0]).toMatchObject({ text: 'Appeler avant 12h', state: 'sent' })
    expect((await call('outbox.pending', {})).value).toEqual({ pending: 0, failed: 0, byShipment: [] })
    expect(events.at(-2)).toEqual({ name: 'outbox.changed', payload: { pending: 0, failed: 0, byShipment: [], shipmentIds: [id] } })
  })

  it('refuses a remark over 255 characters (ECOTRACK add/maj content) naming the field, and writes nothing', async () => {
    const id = shipment()
    const long = await call('remarks.add', { shipmentId: id, text: 'x'.repeat(256) })
    expect(long).toEqual({ ok: false, error: expect.objectContaining({ code: 'invalid_input', field: 'text' }) })
    expect(long.error.message).toContain('255')
    expect((await call('remarks.add', { shipmentId: id, text: '   ' })).error).toMatchObject({ code: 'invalid_input', field: 'text' })
    expect((await call('remarks.add', { shipmentId: id, text: 'ok', extra: 1 })).error).toMatchObject({ code: 'invalid_input' })
    expect((await call('remarks.add', { shipmentId: 'x', text: 'ok' })).error).toMatchObject({ code: 'invalid_input', field: 'shipmentId' })
    expect((await call('remarks.add', { shipmentId: 9999, text: 'ok' })).error).toMatchObject({ code: 'not_found', field: 'shipmentId' })
    expect((await call('remarks.add', { shipmentId: id, text: 'x'.repeat(255) })).ok).toBe(true)
    expect((await call('outbox.list', {})).value).toHaveLength(1)
  })

  it('shows a refused return request on its shipment, and lets the clerk discard it', async () => {
    const id = shipment()
    carrier.script = [new CarrierError('carrier_refused', 'error 10003', { carrierCode: 10003 })]
    const r = await call('returns.request', { shipmentId: id })
    expect(r.value).toMatchObject({ kind: 'return_request', state: 'pending' })
    await backend.offline.worker.runOnce()
    expect(backend.offline.hasUnsent()).toBe(false) // stopped rows wait for the clerk, not for updates
    const [row] = (await call('outbox.list', { shipmentId: id })).value
    expect(row).toMatchObject({ state: 'failed', editable: false, lastError: { code: 'carrier_refused' } })
    expect(row.lastError.message).toContain('out for delivery')
    expect((await call('outbox.pending', {})).value.failed).toBe(1)
    expect((await call('outbox.discard', { id: row.id })).value.state).toBe('discarded')
    expect((await call('outbox.discard', { id: 0 })).error).toMatchObject({ code: 'invalid_input', field: 'id' })
  })

  it('resends a failed remark with fixed text', async () => {
    const id = shipment()
    carrier.script = [new CarrierError('invalid_input', 'content invalide', { field: 'content' })]
    const { value } = await call('remarks.add', { shipmentId: id, text: 'v1' })
    await backend.offline.worker.runOnce()
    expect((await call('outbox.resend', { id: value.outbox.id, text: 'x'.repeat(256) })).error).toMatchObject({ field: 'text' })
    expect((await call('outbox.resend', { id: value.outbox.id, text: 'v2' })).value).toMatchObject({
      state: 'pending',
      summary: 'Remark: v2'
    })
    await backend.offline.worker.runOnce()
    expect(carrier.remarks.map((x) => x.text)).toEqual(['v2'])
  })
})

describe('hostile input to every offline-writes channel', () => {
  it('answers each with a typed error and writes nothing', async () => {
    const id = shipment()
    const huge = 'x'.repeat(1_000_000)
    const proto = JSON.parse('{"__proto__":{"polluted":1},"shipmentId":1,"text":"a"}')
    const cases: Array<[string, unknown]> = [
      ['remarks.add', null],
      ['remarks.add', 'text'],
      ['remarks.add', { shipmentId: id }],
      ['remarks.add', { shipmentId: id, text: huge }],
      ['remarks.add', { shipmentId: id, text: 'a\u0000b' }],
      ['remarks.add', { shipmentId: id, text: 'broken \ud800 half' }],
      ['remarks.add', { shipmentId: -1, text: 'a' }],
      ['remarks.add', { shipmentId: 1.5, text: 'a' }],
      ['remarks.add', { shipmentId: id, text: ['a'] }],
      ['remarks.add', proto],
      ['returns.request', { shipmentId: '1' }],
      ['returns.request', { shipmentId: id, force: true }],
      ['outbox.list', { limit: 100000 }],
      ['outbox.list', { state: 'DROP TABLE outbox' }],
      ['outbox.pending', { x: 1 }],
      ['outbox.resend', { id: 'all' }],
      ['outbox.resend', { id: 1, text: huge }],
      ['outbox.discard', {}],
      ['credentials.status', []],
      ['credentials.clear', { carrier: 'ecotrack' }],
      ['credentials.acceptPlainTextRisk', {}],
      ['connectivity.state', { online: false }]
    ]
    for (const [channel, input] of cases) {
      const r = await call(channel, input)
      expect(r.ok, `${channel} ${JSON.stringify(input)?.slice(0, 60)}`).toBe(false)
      expect(r.error.code).toBe('invalid_input')
    }
    expect((await call('remarks.add', { shipmentId: id, text: 'ligne 1\r\nligne 2\tfin 😀' })).ok).toBe(true)
    expect((backend.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n).toBe(1)
    expect((backend.db.prepare('SELECT count(*) AS n FROM remarks').get() as { n: number }).n).toBe(1)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('credentials over IPC', () => {
  it('stores secrets without ever returning, logging or writing them in clear', async () => {
    const set = await call('credentials.set', { carrier: 'ecotrack', account: 'default', secrets: { api_token: TOKEN } })
    expect(set).toEqual({
      ok: true,
      value: { carrier: 'ecotrack', account: 'default', configured: true, hints: { api_token: '••••cdef' } }
    })
    const status = await call('credentials.status', {})
    expect(status.value).toMatchObject({
      backend: 'encrypted-file',
      available: true,
      problem: null,
      accounts: [{ carrier: 'ecotrack', configured: true }]
    })
    expect(backend.offline.credentials.secretsFor('ecotrack', 'default')).toEqual({ api_token: TOKEN })

    // An error that would carry the token (a carrier echoing it) comes out redacted.
    carrier.script = [new CarrierError('unauthorized', `Token ${TOKEN} refusé`)]
    const id = shipment()
    await call('remarks.add', { shipmentId: id, text: 'x' })
    await backend.offline.worker.runOnce()
    backend.logger.error('probe', { message: `calling ?api_token=${TOKEN}` })
    const listed = await call('outbox.list', {})
    expect(listed.value[0].lastError).toMatchObject({ code: 'unauthorized', message: 'Token [redacted] refusé' })

    const everything = JSON.stringify([set, status, events, listed])
    expect(everything).not.toContain(TOKEN)
    for (const e of readdirSync(dataDir, { recursive: true, withFileTypes: true })) {
      if (!e.isFile()) continue
      const text = readFileSync(join(e.parentPath, e.name)).toString('latin1')
      expect(text, e.name).not.toContain(TOKEN)
    }
    expect(readFileSync(join(dataDir, 'logs', 'guichet.log'), 'utf8')).toContain('[redacted]')
    expect((await call('credentials.clear', { carrier: 'ecotrack', account: 'default' })).value).toEqual({ cleared: true })
    expect((await call('credentials.status', {})).value.accounts).toEqual([])
  })

  it('rejects hostile or malformed credential input with a typed error', async () => {
    const bad = [
      { carrier: 'ecotrack', account: 'default', secrets: {} },
      { carrier: 'ecotrack', account: 'default', secrets: { api_token: '' } },
      { carrier: 'ecotrack', account: 'default', secrets: { api_token: 5 } },
      { carrier: 'ecotrack', account: '../etc', secrets: { api_token: 'x' } },
      { carrier: 'nope', account: 'default', secrets: { api_token: 'x' } },
      JSON.parse('{"carrier":"ecotrack","account":"default","secrets":{"__proto__":{"polluted":"yes"}}}'),
      { carrier: 'ecotrack', account: 'default', secrets: { API_TOKEN: 'x' } },
      { carrier: 'ecotrack', account: 'default', secrets: { api_token: 'x'.repeat(5000) } }
    ]
    for (const input of bad) {
      const r = await call('credentials.set', input)
      expect(r.ok, JSON.stringify(input).slice(0, 80)).toBe(false)
      expect(r.error.code).toBe('invalid_input')
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect((await call('credentials.status', {})).value.accounts).toEqual([])
  })
})

describe('desktop vault refusing the Linux plain-text key', () => {
  it('refuses credentials.set with a clear message until the user accepts the risk', async () => {
    backend.close()
    const fake: SafeStorageLike = {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'basic_text',
      encryptString: (s) => Buffer.from(s, 'utf8').reverse(),
      decryptString: (b) => Buffer.from(b).reverse().toString('utf8')
    }
    backend = createBackend({
      dataDir,
      version: '0.0.0-test',
      settingsStore: new MemoryStore(),
      clock,
      logger: createLogger({ console: false }),
      demo: false,
      outboxAutoStart: false,
      platform: {
        ...browserPlatform(),
        kind: 'electron',
        createVault: ({ dataDir: dir, plainTextRiskAccepted }) => createSafeStorageVault(dir, fake, plainTextRiskAccepted)
      }
    })
    const refused = await call('credentials.set', { carrier: 'ecotrack', account: 'default', secrets: { api_token: TOKEN } })
    expect(refused).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden', message: PLAIN_TEXT_REFUSAL }) })
    expect((await call('credentials.status', {})).value).toMatchObject({
      backend: 'safe-storage',
      available: false,
      problem: PLAIN_TEXT_REFUSAL
    })
    expect((await call('credentials.acceptPlainTextRisk', { accept: true })).value).toMatchObject({ available: true, problem: null })
    expect((await call('credentials.set', { carrier: 'ecotrack', account: 'default', secrets: { api_token: TOKEN } })).ok).toBe(true)
    expect(JSON.stringify(await call('credentials.status', {}))).not.toContain(TOKEN)
    expect((await call('credentials.acceptPlainTextRisk', { accept: 'yes' })).error).toMatchObject({
      code: 'invalid_input',
      field: 'accept'
    })
  })
})

describe('connectivity over IPC', () => {
  it('reports the state and pushes changes', async () => {
    expect((await call('connectivity.state', {})).value).toMatchObject({ online: true, reason: null })
    backend.offline.connectivity.setOsSignal(false)
    expect((await call('connectivity.state', {})).value).toMatchObject({ online: false })
    backend.offline.connectivity.setOsSignal(true)
    expect(events.filter((e) => e.name === 'connectivity').map((e) => (e.payload as { online: boolean }).online)).toEqual([false, true])
  })
})
