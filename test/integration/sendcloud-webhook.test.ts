// Sendcloud's parcel_status_changed through the local webhook receiver: the simulator signs and
// POSTs to /webhooks/sendcloud/<alias>, the receiver routes to the module's handler, the status
// pipeline stores "waiting at the point" then "collected"; a forged or unsigned request is
// refused with 401 and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { carrierModule } from '../../src/main/carriers/registry'
import { createSendcloudAdapter, type SendcloudAdapter } from '../../src/main/carriers/sendcloud/client'
import { startSendcloudSimulator, type SendcloudSim } from '../../src/main/carriers/sendcloud/sim/simulator'
import { signSendcloud } from '../../src/main/carriers/sendcloud/webhook'
import type { CarrierAccount } from '../../src/main/carriers/types'
import { StatusPipeline } from '../../src/main/core/pipeline/pipeline'
import { memoryStore } from '../../src/main/core/pipeline/pipeline.testkit'
import { ManualClock } from '../../src/main/platform/clock'
import { EventBus } from '../../src/main/platform/events'
import { silentLogger } from '../../src/main/platform/logger'
import { startWebhookReceiver, type WebhookReceiver } from '../../src/main/features/webhooks/receiver'

const SECRET = 'sc-webhook-secret-9f8e7d'
const clock = new ManualClock(Date.UTC(2026, 10, 27, 9, 0, 0))
const { db, repo } = memoryStore()
let sim: SendcloudSim
let receiver: WebhookReceiver
let sc: SendcloudAdapter
let account: CarrierAccount

beforeAll(async () => {
  sim = await startSendcloudSimulator({ clock, keys: [{ publicKey: 'pk-demo', secretKey: SECRET }] })
  account = { carrier: 'sendcloud', alias: 'shop', baseUrl: sim.url, credentials: { public_key: 'pk-demo', secret_key: SECRET } }
  sc = createSendcloudAdapter(account, { now: () => clock.now(), logger: silentLogger })
  const pipeline = new StatusPipeline({
    db,
    clock,
    events: new EventBus(),
    logger: silentLogger,
    mappingFor: (c) => carrierModule(c)?.mapping
  })
  receiver = await startWebhookReceiver({
    db,
    pipeline,
    logger: silentLogger,
    moduleFor: carrierModule,
    accountFor: (c, a) => (c === 'sendcloud' && a === 'shop' ? account : null)
  })
  sim.configure({ webhookUrl: `${receiver.url}/webhooks/sendcloud/shop` })
})
afterAll(async () => {
  await sim?.close()
  await receiver?.close()
  db.close()
})

const status = (id: number) =>
  db.prepare('SELECT unified_status, status_kind, native_status FROM shipments WHERE id = ?').get(id) as {
    unified_status: string
    status_kind: string
    native_status: string
  }
const eventCount = (id: number) =>
  (db.prepare('SELECT COUNT(*) AS n FROM tracking_events WHERE shipment_id = ?').get(id) as { n: number }).n

describe('Sendcloud webhook through the receiver', () => {
  it('12 then 93 arrive signed and move the shipment: waiting at the point, then delivered', async () => {
    const p = await sc.createParcel({
      externalReference: 'WH-1',
      name: 'Eva',
      address: 'Markt',
      houseNumber: '4',
      city: 'Eindhoven',
      postalCode: '5611 EB',
      country: 'NL',
      servicePointId: 10001,
      shippingMethodId: 1318
    })
    const id = repo.insert({
      carrier: 'sendcloud',
      account: 'shop',
      trackingNumber: p.trackingNumber,
      recipientName: 'Eva',
      createdAt: clock.now()
    })
    clock.advance(3_600_000)
    await sim.setStatus(p.id, 12)
    expect(status(id)).toEqual({ unified_status: 'shipping_in_progress', status_kind: 'waiting_at_point', native_status: '12' })
    clock.advance(3_600_000)
    await sim.setStatus(p.id, 93)
    expect(status(id).unified_status).toBe('delivered')
    expect(sim.stats.webhooksSent).toBe(2)
  })

  it('a forged signature or none at all: 401, nothing written', async () => {
    const p = await sc.createParcel({
      externalReference: 'WH-2',
      name: 'Jan',
      address: 'Markt',
      houseNumber: '5',
      city: 'Eindhoven',
      postalCode: '5611 EB',
      country: 'NL',
      servicePointId: 10001,
      shippingMethodId: 1318
    })
    const id = repo.insert({
      carrier: 'sendcloud',
      account: 'shop',
      trackingNumber: p.trackingNumber,
      recipientName: 'Jan',
      createdAt: clock.now()
    })
    await sim.setStatus(p.id, 12)
    const events = eventCount(id)
    const forged = sim.webhookFor(p.id).body.replace('"id":12', '"id":93')
    for (const sig of [signSendcloud(forged, 'guessed-secret'), undefined]) {
      const r = await fetch(`${receiver.url}/webhooks/sendcloud/shop`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(sig ? { 'sendcloud-signature': sig } : {}) },
        body: forged
      })
      expect(r.status).toBe(401)
      const text = await r.text()
      expect(text).not.toContain(SECRET)
    }
    expect(eventCount(id)).toBe(events)
    expect(status(id).native_status).toBe('12')
  })
})
