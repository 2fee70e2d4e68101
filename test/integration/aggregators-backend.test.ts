// The warehouse slice through the backend's own dispatch, in demo mode on the simulators: the
// same calls the renderer makes (orders.*, returns.*, webhooks.*, forwarding.log, labels.print).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createBackend, type Backend } from '../../src/main/backend'
import { sampleWarehouseOrder } from '../../src/main/demo/warehouse-slice'
import { systemClock } from '../../src/main/platform/clock'
import { createLogger } from '../../src/main/platform/logger'
import { MemoryStore } from '../../src/main/core/settings/settings'

let dataDir: string
let backend: Backend

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'guichet-aggregators-'))
  backend = createBackend({
    dataDir,
    version: '0.0.0-test',
    settingsStore: new MemoryStore(),
    clock: systemClock,
    logger: createLogger({ file: join(dataDir, 'logs', 'guichet.log'), console: false }),
    demo: true,
    outboxAutoStart: false
  })
  await backend.start()
})
afterEach(async () => {
  backend.close()
  await new Promise((r) => setTimeout(r, 50))
  rmSync(dataDir, { recursive: true, force: true })
})

async function call<T>(channel: string, input: unknown): Promise<T> {
  const r = await backend.dispatch(channel as never, input as never)
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`)
  return r.value as T
}

describe('warehouse through the backend (demo mode, Shiprocket simulator)', () => {
  it('create, AWB, label stored, OUT_FOR_DELIVERY then DELIVERED by webhook, return with RETURN_PICKED_UP', async () => {
    const status = await call<{ listening: boolean; baseUrl: string }>('webhooks.status', {})
    expect(status.listening).toBe(true)
    expect(status.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhooks$/)

    const order = await call<{ shipmentId: number; account: string }>('orders.create', {
      carrier: 'shiprocket',
      account: 'demo',
      order: sampleWarehouseOrder('GCH-E2E-1')
    })
    expect(order.account).toBe('demo')
    const { awb } = await call<{ awb: string }>('orders.assignAwb', { shipmentId: order.shipmentId })
    const label = await call<{ labelId: number; contentType: string }>('orders.label', { shipmentId: order.shipmentId })
    expect(label.contentType).toBe('application/pdf')
    // The carrier's label is stored against the shipment: the printer gets it as it came, not a generated one.
    expect(backend.printing.preview(order.shipmentId)).toMatchObject({ source: 'carrier', format: 'pdf' })

    const sim = (await call<Array<{ carrier: string; alias: string; baseUrl: string }>>('accounts.list', {})).find(
      (a) => a.carrier === 'shiprocket' && a.alias === 'demo'
    )!
    const move = async (a: string, id: number) => {
      const res = await fetch(new URL('/__sim/advance', sim.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ awb: a, shipment_status_id: id })
      })
      expect(((await res.json()) as { webhook: { delivered: boolean } }).webhook.delivered).toBe(true)
    }
    await move(awb, 17)
    let detail = await call<{ shipment: { unifiedStatus: string; statusKind: string } }>('shipments.get', { id: order.shipmentId })
    expect(detail.shipment).toMatchObject({ unifiedStatus: 'shipping_in_progress', statusKind: 'out_for_delivery' })
    await move(awb, 7)
    detail = await call('shipments.get', { id: order.shipmentId })
    expect(detail.shipment.unifiedStatus).toBe('delivered')

    const ret = await call<{ awb: string; shipmentId: number; parentShipmentId: number }>('returns.createAwb', {
      shipmentId: order.shipmentId
    })
    expect(ret.parentShipmentId).toBe(order.shipmentId)
    expect(await call<{ direction: string; awb: string | null } | null>('returns.getAwb', { shipmentId: order.shipmentId })).toMatchObject({
      direction: 'return',
      awb: ret.awb
    })
    await move(ret.awb, 42)
    const fwd = await call<{ shipment: { unifiedStatus: string; nativeStatusLabel: string }; events: Array<{ nativeLabel: string }> }>(
      'shipments.get',
      { id: order.shipmentId }
    )
    expect(fwd.shipment).toMatchObject({ unifiedStatus: 'return', nativeStatusLabel: 'RETURN_PICKED_UP' })
    expect(fwd.events.map((e) => e.nativeLabel)).toContain('RETURN_PICKED_UP')
    expect((await call<unknown[]>('orders.list', { limit: 10 })).length).toBe(2)
  })

  it('typed errors: bad order input, unknown alias, bad bind address; receiver can be turned off', async () => {
    const bad = await backend.dispatch('orders.create', {
      carrier: 'shiprocket',
      account: 'demo',
      order: { ...sampleWarehouseOrder('X'), recipient: { ...sampleWarehouseOrder('X').recipient, pincode: '12' } }
    } as never)
    expect(!bad.ok && bad.error).toMatchObject({ code: 'invalid_input' })
    const noAlias = await backend.dispatch('orders.create', {
      carrier: 'shiprocket',
      account: 'nobody',
      order: sampleWarehouseOrder('GCH-E2E-2')
    } as never)
    expect(!noAlias.ok && noAlias.error).toMatchObject({ code: 'not_found', field: 'account' })
    const host = await backend.dispatch('webhooks.configure', { enabled: true, host: 'example.com' } as never)
    expect(!host.ok && host.error).toMatchObject({ code: 'invalid_input', field: 'host' })
    const off = await call<{ listening: boolean }>('webhooks.configure', { enabled: false })
    expect(off.listening).toBe(false)
    expect(await call<unknown[]>('forwarding.log', { limit: 5 })).toEqual([])
  })
})

describe('demo parcels on the aggregator simulators', () => {
  it('the demo store’s Shiprocket, Clickpost and Shipway parcels are known to the simulators (no "unknown AWB" in demo)', async () => {
    const refreshed = await backend.dispatch('shipments.refresh', {
      ids: backend.db
        .prepare(`SELECT id FROM shipments WHERE carrier IN ('shiprocket','clickpost','shipway') AND direction = 'forward'`)
        .all()
        .map((r) => (r as { id: number }).id)
    } as never)
    expect(refreshed.ok).toBe(true)
    const errors = backend.db
      .prepare(
        `SELECT tracking_number, last_error FROM shipments WHERE carrier IN ('shiprocket','clickpost','shipway') AND last_error IS NOT NULL`
      )
      .all()
    expect(errors).toEqual([])
    const checked = backend.db
      .prepare(
        `SELECT count(*) AS n FROM shipments WHERE carrier IN ('shiprocket','clickpost','shipway') AND last_good_check_at IS NOT NULL`
      )
      .get() as { n: number }
    expect(checked.n).toBe(5)
  })
})
