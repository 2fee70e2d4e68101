// Issue 7 end to end through the backend's dispatch (what browser mode serves), on the demo
// simulators: search points near a Swiss postal code, pick a My Post 24 locker, look up the
// customer's User ID, create the shipment, print the label to a ZPL printer on loopback; the
// printed label's Name2 reads "My Post 24 <User ID>" and its Code 128 decodes (zbarimg) to the
// identCode. A PickPost parcel for a customer with status NONE is allowed; a locker one warns.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ready } from 'zpl-renderer-js'
import { createBackend, type Backend } from '../../src/main/backend'
import { ManualClock } from '../../src/main/platform/clock'
import { silentLogger } from '../../src/main/platform/logger'
import { MemoryStore } from '../../src/main/core/settings/settings'
import { LABEL_SIZES } from '../../src/shared/label'
import type { PointSearchResult, ShipmentToPointResult, UserIdLookupResult } from '../../src/shared/contract'
import { requireTools, zbar } from './print-tools'

let dir: string
let backend: Backend
let zebra: Server
const received: Buffer[] = []

async function call<T>(channel: string, input: unknown): Promise<T> {
  const r = await backend.dispatch(channel, input)
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`)
  return r.value as T
}

beforeAll(async () => {
  requireTools('zbarimg')
  dir = mkdtempSync(join(tmpdir(), 'guichet-pickpost-'))
  zebra = createServer((s) => {
    const chunks: Buffer[] = []
    s.on('data', (c) => chunks.push(c))
    s.on('end', () => received.push(Buffer.concat(chunks)))
  })
  await new Promise<void>((r) => zebra.listen(0, '127.0.0.1', () => r()))
  backend = createBackend({
    dataDir: dir,
    version: '0.0.0-test',
    settingsStore: new MemoryStore(),
    clock: new ManualClock(Date.UTC(2026, 10, 27, 9, 0, 0)),
    logger: silentLogger,
    demo: true,
    outboxAutoStart: false
  })
  await backend.start()
}, 60_000)

afterAll(async () => {
  backend?.close()
  await new Promise((r) => zebra?.close(r))
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const ZOE = {
  firstName: 'Zoë',
  lastName: 'Müller',
  email: 'zoe.muller@example.ch',
  street: 'Bahnhofstrasse',
  houseNo: '5',
  zip: '8001',
  city: 'Zürich'
}
const MARC = { firstName: 'Marc', lastName: 'Dubois', email: 'marc.dubois@example.ch', zip: '1204', city: 'Genève' }

describe('PickPost / My Post 24 through the backend on the demo simulators', () => {
  it(
    'search near 8004, pick a My Post 24 locker, User ID, create, print: Name2 and barcode on the printed label',
    { timeout: 90_000 },
    async () => {
      const found = await call<PointSearchResult>('points.search', { country: 'CH', postalCode: '8004', radiusM: 2000 })
      expect(found.source).toBe('live')
      const locker = found.points.find((p) => p.carrier === 'swisspost' && p.type === 'locker')!
      expect(locker.services).toContain('My Post 24')

      const user = await call<UserIdLookupResult>('swisspost.userId', { pointKey: locker.key, orderReference: 'WEB-7001', customer: ZOE })
      expect(user).toMatchObject({ keyword: 'My Post 24', verified: true, warning: null })

      const created = await call<ShipmentToPointResult>('shipments.createToPoint', {
        pointKey: locker.key,
        orderReference: 'WEB-7001',
        customer: ZOE,
        weightGrams: 800
      })
      expect(created).toMatchObject({ keyword: 'My Post 24', userId: user.userId, name2: `My Post 24 ${user.userId}`, warnings: [] })
      expect(created.trackingNumber).toMatch(/^\d{18}$/)

      const printer = await call<{ id: string }>('printers.save', {
        name: 'Zebra desk',
        driver: 'tcp9100',
        target: `127.0.0.1:${(zebra.address() as { port: number }).port}`,
        format: 'zpl',
        size: 'A6',
        dpi: 203
      })
      const job = await call<{ state: string; format: string }>('labels.print', {
        shipmentId: created.shipmentId,
        printerId: printer.id,
        requestedBy: 'e2e'
      })
      expect(job).toMatchObject({ state: 'done', format: 'zpl' })
      for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 50))
      const zpl = received.at(-1)!.toString('utf8')
      expect(zpl).toContain(`My Post 24 ${user.userId}`)
      expect(zpl).toContain('Kasernenstrasse') // the locker's address is the delivery address

      const { api } = await ready
      const png = join(dir, 'mypost24.png')
      writeFileSync(png, Buffer.from(await api.zplToBase64Async(zpl, LABEL_SIZES.A6.widthMm, LABEL_SIZES.A6.heightMm, 8), 'base64'))
      expect(await zbar(png)).toEqual([created.trackingNumber])
    }
  )

  it('a PickPost parcel for a customer with status NONE is allowed; a My Post 24 locker parcel warns', async () => {
    const u = await call<UserIdLookupResult>('swisspost.userId', {
      pointKey: 'swisspost:demo:8004-MP24-HB',
      orderReference: 'WEB-7002',
      customer: MARC
    })
    expect(u).toMatchObject({ customerStatus: 'NONE', verified: false })
    expect(u.warning).toMatch(/not verified/)
    const locker = await call<ShipmentToPointResult>('shipments.createToPoint', {
      pointKey: 'swisspost:demo:8004-MP24-HB',
      orderReference: 'WEB-7002',
      customer: MARC
    })
    expect(locker.warnings).toEqual([{ code: 'locker_unverified', params: { status: 'NONE' } }])
    const pickpost = await call<ShipmentToPointResult>('shipments.createToPoint', {
      pointKey: 'swisspost:demo:8004-SIHLPOST',
      orderReference: 'WEB-7003',
      customer: MARC
    })
    expect(pickpost).toMatchObject({ keyword: 'PickPost', customerStatus: 'NONE', warnings: [] })
  })

  it('bad input is a typed error, nothing created', async () => {
    const before = (await call<{ total: number }>('shipments.list', {})).total
    const r = await backend.dispatch('shipments.createToPoint', {
      pointKey: 'swisspost:demo:8004-MP24-HB',
      orderReference: 'WEB-7004',
      customer: { ...MARC, email: 'nope' }
    })
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    const s = await backend.dispatch('points.search', { country: 'CH' })
    expect(s).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect((await call<{ total: number }>('shipments.list', {})).total).toBe(before)
  })
})
