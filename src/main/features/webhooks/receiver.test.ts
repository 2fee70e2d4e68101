import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { DEMO_SHIPROCKET, demoShiprocketAccount, startWarehouseSlice } from '../../demo/warehouse-slice'
import { openAggregatorDatabase } from '../warehouse/warehouse.testkit'
import { startShiprocketSimulator } from '../../carriers/shiprocket/sim/simulator'
import { captureLogger, findLeaks } from '../../carriers/testing/capture.testkit'
import type { CarrierAccount } from '../../carriers/types'
import { OutboxStore } from '../../core/outbox/store'
import { OutboxKinds, OutboxWorker } from '../../core/outbox/worker'
import { HOUR, ManualClock } from '../../platform/clock'
import { deliverWebhook } from '../../carriers/sim/webhook-sender'
import { FORWARD_KIND, forwardingLog, forwardKind, validateForwardUrl } from './forwarding'
import { MAX_FAILURES_PER_MINUTE, validateBindHost } from './receiver'

let cleanup: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanup.reverse()) await c()
  cleanup = []
})

const CLICKPOST_KEY = 'cp-hook-key-93ab-test-only-5d1e7b3a9c2f'
const SHIPWAY_SECRET = 'sw-secret-41f0-test-only-8c2a6e1d4b7f'

async function setup(opts: { forwardUrl?: string; shipwaySecret?: string } = {}) {
  const clock = new ManualClock()
  const logger = captureLogger()
  const db = openAggregatorDatabase()
  const sim = await startShiprocketSimulator({ clock, users: { [DEMO_SHIPROCKET.email]: DEMO_SHIPROCKET.password } })
  const sr = demoShiprocketAccount(sim.apiBase)
  if (opts.forwardUrl) sr.options = { ...sr.options, forwardUrl: opts.forwardUrl }
  const accounts: CarrierAccount[] = [
    sr,
    {
      carrier: 'clickpost',
      alias: 'cp-main',
      baseUrl: 'http://127.0.0.1:9',
      credentials: { username: 'u', key: 'k', webhookKey: CLICKPOST_KEY }
    },
    {
      carrier: 'shipway',
      alias: 'sw-main',
      baseUrl: 'http://127.0.0.1:9',
      credentials: { username: 'u', password: 'p', webhookSecret: opts.shipwaySecret ?? SHIPWAY_SECRET }
    }
  ]
  const slice = await startWarehouseSlice({ db, clock, logger, accounts })
  cleanup.push(
    () => void db.close(),
    () => sim.close(),
    () => slice.close()
  )
  const base = `${slice.receiver.url}/webhooks`
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body)
    })
    return {
      status: res.status,
      body: (await res.json()) as {
        ok: boolean
        added?: number
        duplicates?: number
        error?: { code: string; field?: string; message: string }
      }
    }
  }
  return { clock, logger, db, sim, slice, base, post }
}

/** A shipment known locally under an AWB, for notifications to land on. */
function shipment(
  slice: Awaited<ReturnType<typeof setup>>['slice'],
  carrier: 'shiprocket' | 'clickpost' | 'shipway',
  account: string,
  awb: string,
  clock: ManualClock
) {
  return slice.repo.insert({
    carrier,
    account,
    trackingNumber: awb,
    recipientName: 'Priya',
    createdAt: clock.now() - 48 * HOUR,
    nextCheckAt: clock.now() + HOUR
  })
}

const srHook = (awb: string, id: number, label: string, stamp: string) => ({
  awb,
  current_status: label,
  current_status_id: 20,
  shipment_status: label,
  shipment_status_id: id,
  current_timestamp: stamp,
  order_id: 'GCH-1',
  is_return: 0,
  scans: []
})

describe('webhook receiver', () => {
  it('Shiprocket: three notifications, each delivered three times and out of order -> one timeline entry each, latest status wins', async () => {
    const { slice, post, clock } = await setup()
    const id = shipment(slice, 'shiprocket', DEMO_SHIPROCKET.alias, '19041424751540', clock)
    const transit = srHook('19041424751540', 18, 'IN TRANSIT', '27 11 2026 09:00:00')
    const ofd = srHook('19041424751540', 17, 'OUT FOR DELIVERY', '28 11 2026 08:00:00')
    const delivered = srHook('19041424751540', 7, 'DELIVERED', '28 11 2026 13:30:00')
    const h = { 'x-api-key': DEMO_SHIPROCKET.webhookToken }
    const order = [delivered, transit, ofd, delivered, ofd, transit, transit, delivered, ofd]
    const answers = []
    for (const n of order) answers.push(await post(`shiprocket/${DEMO_SHIPROCKET.alias}`, n, h))
    expect(answers.every((a) => a.status === 200 && a.body.ok)).toBe(true)
    expect(answers.map((a) => a.body.added)).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0])
    const events = slice.repo.events(id).filter((e) => e.source === 'webhook')
    expect(events.map((e) => e.nativeStatus)).toEqual(['shipment:7', 'shipment:17', 'shipment:18'])
    expect(slice.repo.get(id)).toMatchObject({
      unifiedStatus: 'delivered',
      nativeStatus: 'shipment:7',
      statusAt: '2026-11-28T08:00:00.000Z'
    })
  })

  it('Clickpost: retries and reordering; additional.latest_status wins, NDR reason kept', async () => {
    const { slice, post, clock } = await setup()
    const id = shipment(slice, 'clickpost', 'cp-main', '785578015860', clock)
    const latestDelivered = {
      clickpost_status_code: 8,
      clickpost_status_description: 'Delivered',
      timestamp: '2026-11-28T12:00:00+05:30',
      location: 'Pune'
    }
    const failed = {
      waybill: '785578015860',
      cp_id: 1,
      clickpost_status_code: 9,
      clickpost_status_description: 'FailedDelivery',
      status: 'Customer not available',
      timestamp: '2026-11-27T18:00:00+05:30',
      location: 'Pune',
      remark: '',
      additional: { ndr_status_code: 1, ndr_status_description: 'Customer Unavailable', latest_status: latestDelivered }
    }
    const delivered = {
      waybill: '785578015860',
      cp_id: 1,
      ...latestDelivered,
      status: 'Delivered',
      remark: '',
      additional: { latest_status: latestDelivered }
    }
    const h = { webhook_key: CLICKPOST_KEY }
    // The delivered notification arrives first, the failed attempt (older) three times after.
    for (const n of [delivered, failed, failed, delivered, failed]) expect((await post('clickpost/cp-main', n, h)).status).toBe(200)
    const events = slice.repo.events(id)
    expect(events.map((e) => e.nativeStatus)).toEqual(['8', '9'])
    expect(events[1]!.comment).toBe('NDR 1: Customer Unavailable')
    expect(slice.repo.get(id)).toMatchObject({ unifiedStatus: 'delivered', nativeStatus: '8' })
  })

  it('refuses every notification for an account whose stored secret is under 32 bytes (typed by hand before), even the right one', async () => {
    const weak = 'sw-short-typed-1'
    const { slice, post, clock, logger } = await setup({ shipwaySecret: weak })
    const id = shipment(slice, 'shipway', 'sw-main', 'SW123456789', clock)
    const n = { awbno: 'SW123456789', current_status_code: 'DEL', status_time: '2026-11-28 14:00:00' }
    const refused = await post('shipway/sw-main', n, { 'x-shipway-token': weak })
    // The same answer as a wrong secret: nothing tells a weak secret from a wrong one outside.
    expect(refused).toEqual(await post('shipway/sw-main', n, { 'x-shipway-token': 'wrong' }))
    expect(refused).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } })
    expect(slice.repo.events(id)).toHaveLength(0)
    expect(logger.lines.some((l) => l.includes('webhook.weak_secret'))).toBe(true)
  })

  it('Shipway: the shared secret in the callback URL or header; codes onto the timeline', async () => {
    const { slice, post, clock } = await setup()
    const id = shipment(slice, 'shipway', 'sw-main', 'SW123456789', clock)
    const n = {
      awbno: 'SW123456789',
      current_status_code: 'OOD',
      current_status: 'Out for delivery',
      status_time: '2026-11-28 09:15:00',
      location: 'Jaipur'
    }
    expect((await post(`shipway/sw-main?token=${SHIPWAY_SECRET}`, n)).status).toBe(200)
    expect(
      (
        await post(
          'shipway/sw-main',
          { ...n, current_status_code: 'DEL', status_time: '2026-11-28 14:00:00' },
          { 'x-shipway-token': SHIPWAY_SECRET }
        )
      ).status
    ).toBe(200)
    expect((await post('shipway/sw-main?token=wrong', n)).status).toBe(401)
    expect(slice.repo.get(id)).toMatchObject({ unifiedStatus: 'delivered', nativeStatus: 'DEL' })
  })

  it('refuses a wrong or missing secret, an unknown carrier or alias with one same answer (401), GET (405); writes nothing', async () => {
    const { slice, post, base, clock, db } = await setup()
    const id = shipment(slice, 'shiprocket', DEMO_SHIPROCKET.alias, '19041424751540', clock)
    const n = srHook('19041424751540', 18, 'IN TRANSIT', '27 11 2026 09:00:00')
    const e1 = await post(`shiprocket/${DEMO_SHIPROCKET.alias}`, n, { 'x-api-key': 'guess' })
    expect(e1).toMatchObject({ status: 401, body: { ok: false, error: { code: 'unauthorized' } } })
    expect((await post(`shiprocket/${DEMO_SHIPROCKET.alias}`, n)).status).toBe(401)
    expect((await post('clickpost/cp-main', { waybill: 'x' }, { webhook_key: 'nope' })).status).toBe(401)
    // Nothing tells an unknown account from a wrong secret: account names cannot be enumerated.
    const unknownAlias = await post('shiprocket/other-alias', n, { 'x-api-key': DEMO_SHIPROCKET.webhookToken })
    expect(unknownAlias).toEqual(e1)
    expect(await post('ecotrack/default', n)).toEqual(e1)
    expect(await post('sendcloud/default', n)).toEqual(e1)
    expect((await fetch(`${base}/shiprocket/${DEMO_SHIPROCKET.alias}`)).status).toBe(405)
    expect((await fetch(`${base.replace('/webhooks', '')}/other`, { method: 'POST' })).status).toBe(401)
    expect(slice.repo.events(id)).toHaveLength(0)
    expect((db.prepare('SELECT count(*) AS n FROM tracking_events').get() as { n: number }).n).toBe(0)
  })

  it.each([
    ['not JSON', '{"awb": ', 'invalid_input', undefined],
    ['no awb', { current_timestamp: '27 11 2026 09:00:00', shipment_status_id: 18 }, 'invalid_input', 'awb'],
    ['a bad time', { awb: '19041424751540', current_timestamp: 'soon', shipment_status_id: 18 }, 'invalid_input', 'current_timestamp'],
    ['no status', { awb: '19041424751540', current_timestamp: '27 11 2026 09:00:00' }, 'invalid_input', 'shipment_status_id']
  ])('a payload with %s gets a typed 400 and nothing is written', async (_n, body, code, field) => {
    const { slice, post, clock } = await setup()
    const id = shipment(slice, 'shiprocket', DEMO_SHIPROCKET.alias, '19041424751540', clock)
    const r = await post(`shiprocket/${DEMO_SHIPROCKET.alias}`, body, { 'x-api-key': DEMO_SHIPROCKET.webhookToken })
    expect(r.status).toBe(400)
    expect(r.body.error?.code).toBe(code)
    if (field) expect(r.body.error?.field).toBe(field)
    expect(slice.repo.events(id)).toHaveLength(0)
  })

  it('acknowledges (200) a notification for an AWB this desk does not know, so the aggregator stops retrying', async () => {
    const { post } = await setup()
    const r = await post(`shiprocket/${DEMO_SHIPROCKET.alias}`, srHook('99999999999999', 18, 'IN TRANSIT', '27 11 2026 09:00:00'), {
      'x-api-key': DEMO_SHIPROCKET.webhookToken
    })
    expect(r).toMatchObject({ status: 200, body: { ok: true, added: 0, unknown: 1 } })
  })

  it('the simulator sender retries until it gets a 200', async () => {
    let calls = 0
    const flaky: Server = createServer((req, res) => {
      calls++
      req.resume()
      res.writeHead(calls < 3 ? 503 : 200).end()
    })
    await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', r))
    cleanup.push(() => new Promise<void>((r) => flaky.close(() => r())))
    const out = await deliverWebhook(`http://127.0.0.1:${(flaky.address() as AddressInfo).port}/`, { a: 1 }, {}, { delayMs: () => 1 })
    expect(out).toEqual({ delivered: true, attempts: 3, lastStatus: 200 })
  })

  it('refuses a browser: a cross-origin text/plain POST with the right ?token= writes nothing', async () => {
    const { slice, clock, base } = await setup()
    const id = shipment(slice, 'shipway', 'sw-main', 'SW123456789', clock)
    const body = JSON.stringify({
      awbno: 'SW123456789',
      current_status_code: 'DEL',
      current_status: 'Delivered',
      status_time: '2026-11-28 14:00:00'
    })
    for (const headers of [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { origin: 'null' }]) {
      const res = await fetch(`${base}/shipway/sw-main?token=${SHIPWAY_SECRET}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', ...headers },
        body
      })
      expect(res.status).toBe(403)
    }
    expect(slice.repo.events(id)).toHaveLength(0)
  })

  it('checks a header secret before reading the body, and throttles an address that keeps failing', async () => {
    const { base } = await setup()
    const { request } = await import('node:http')
    // A body that never ends: the answer still comes, so it was given before the body was read.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}/shiprocket/${DEMO_SHIPROCKET.alias}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'guess', 'transfer-encoding': 'chunked' }
      })
      req.on('response', (r) => {
        resolve(r.statusCode ?? 0)
        req.destroy()
      })
      req.on('error', (e) => (e.message.includes('socket hang up') ? undefined : reject(e)))
      req.write('{"padding":"')
    })
    expect(status).toBe(401)
    const codes: number[] = []
    for (let i = 0; i < MAX_FAILURES_PER_MINUTE + 2; i++)
      codes.push((await fetch(`${base}/shiprocket/x`, { method: 'POST', body: '{}', headers: { 'x-api-key': 'guess' } })).status)
    expect(codes.at(-1)).toBe(429)
    // Now even the right secret waits out the minute.
    const ok = await fetch(`${base}/shiprocket/${DEMO_SHIPROCKET.alias}`, {
      method: 'POST',
      body: '{}',
      headers: { 'x-api-key': DEMO_SHIPROCKET.webhookToken }
    })
    expect(ok.status).toBe(429)
  })

  it('validates the bind address: IP literals or localhost only', () => {
    expect(validateBindHost(undefined)).toBe('127.0.0.1')
    expect(validateBindHost('::1')).toBe('::1')
    expect(validateBindHost('localhost')).toBe('127.0.0.1')
    // Plain HTTP: never on the shop's network.
    for (const lan of ['0.0.0.0', '192.168.1.20', '::'])
      expect(() => validateBindHost(lan)).toThrow(
        expect.objectContaining({ code: 'forbidden', field: 'host', params: { reason: 'loopback_only' } })
      )
    for (const bad of ['example.com', '300.1.1.1', '127.0.0.1:80', '', 'a b'])
      expect(() => validateBindHost(bad)).toThrow(
        expect.objectContaining({ code: 'invalid_input', field: 'host', params: { reason: 'not_an_ip' } })
      )
  })
})

describe('forwarding', () => {
  it('forwards each new notification once through the outbox, retrying until the external URL takes it; the log shows it', async () => {
    let calls = 0
    const received: Array<{ body: string; key: string | undefined }> = []
    const external: Server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        calls++
        if (calls === 1) return void res.writeHead(502).end()
        received.push({ body: Buffer.concat(chunks).toString(), key: req.headers['idempotency-key'] as string | undefined })
        res.writeHead(200).end()
      })
    })
    await new Promise<void>((r) => external.listen(0, '127.0.0.1', r))
    cleanup.push(() => new Promise<void>((r) => external.close(() => r())))
    const url = `http://127.0.0.1:${(external.address() as AddressInfo).port}/hooks/shiprocket`
    const { slice, post, clock, db, logger } = await setup({ forwardUrl: url })
    shipment(slice, 'shiprocket', DEMO_SHIPROCKET.alias, '19041424751540', clock)
    const n = srHook('19041424751540', 18, 'IN TRANSIT', '27 11 2026 09:00:00')
    const h = { 'x-api-key': DEMO_SHIPROCKET.webhookToken }
    await post(`shiprocket/${DEMO_SHIPROCKET.alias}`, n, h)
    await post(`shiprocket/${DEMO_SHIPROCKET.alias}`, n, h) // a retry of the same: not forwarded again
    expect(forwardingLog(slice.outbox, 10)).toHaveLength(1)

    const worker = new OutboxWorker({
      store: new OutboxStore(db),
      kinds: new OutboxKinds([forwardKind()]),
      clock,
      logger,
      adapterFor: (c, a) =>
        slice.list.some((x) => x.carrier === c && x.alias === a) ? slice.accounts.opsFor(c as 'shiprocket', a).adapter : null,
      random: () => 0
    })
    expect(await worker.runOnce()).toMatchObject({ retried: 1 })
    expect(forwardingLog(slice.outbox, 10)[0]).toMatchObject({ state: 'pending', attempts: 1, lastError: { code: 'carrier_error' }, url })
    clock.advance(HOUR)
    expect(await worker.runOnce()).toMatchObject({ sent: 1 })
    const [entry] = forwardingLog(slice.outbox, 10)
    expect(entry).toMatchObject({
      kind: FORWARD_KIND,
      state: 'sent',
      attempts: 2,
      trackingNumber: '19041424751540',
      account: DEMO_SHIPROCKET.alias
    })
    expect(received).toHaveLength(1)
    expect(JSON.parse(received[0]!.body)).toEqual(n)
    expect(received[0]!.key).toMatch(/^fwd-shiprocket-warehouse-north-/)
    expect(findLeaks([DEMO_SHIPROCKET.webhookToken, DEMO_SHIPROCKET.password])).toEqual([])
  })

  it('a 4xx from the external system stops the row for the clerk (no endless retries)', async () => {
    const payload = { url: 'https://example.test/x', body: '', contentType: 'application/json', tracking: '' }
    const row = { payload, idempotencyKey: 'k', carrier: 'shiprocket', account: 'a' }
    await expect(forwardKind(async () => 410).send({ row, payload } as never)).rejects.toMatchObject({ code: 'carrier_refused' })
    await expect(forwardKind(async () => 503).send({ row, payload } as never)).rejects.toMatchObject({
      code: 'carrier_error',
      retryable: true
    })
  })

  it('validates forwarding URLs', () => {
    expect(validateForwardUrl('https://erp.example.in/hook')).toBe('https://erp.example.in/hook')
    for (const bad of ['ftp://x', 'not a url', 'https://user:pass@x.in/'])
      expect(() => validateForwardUrl(bad)).toThrow(expect.objectContaining({ code: 'invalid_input', field: 'forwardUrl' }))
  })
})
