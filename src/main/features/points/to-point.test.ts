import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../platform/clock'
import { EventBus } from '../../platform/events'
import { silentLogger } from '../../platform/logger'
import { memoryStore } from '../../core/pipeline/pipeline.testkit'
import { createSendcloudAdapter, type SendcloudAdapter } from '../../carriers/sendcloud/client'
import { createSwissPostAdapter } from '../../carriers/swisspost/client'
import type { CarrierAdapter } from '../../carriers/types'
import type { SimServer } from '../../carriers/sim/server'
import { durably } from '../../core/outbox/store'
import { outboxForTests } from '../../core/outbox/outbox.testkit'
import { trackingKey } from '../../../shared/scan'
import { demoPointAccount, startPointSimulator } from '../../demo/points'
import { createPointsFeature } from './feature'
import { toPointPayload } from './to-point'

// A shipment to a point goes through the outbox: a crash after the carrier's answer and before
// the shipment is recorded leaves a row the next start reconciles, never a parcel nobody knows.

const SANNE = {
  firstName: 'Sanne',
  lastName: 'de Vries',
  email: 'sanne@example.nl',
  street: 'Kerkstraat',
  houseNo: '3',
  zip: '5611 GH',
  city: 'Eindhoven',
  country: 'NL'
}

describe('shipments to a point, through the outbox', () => {
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 9, 0, 0))
  const { db, repo } = memoryStore()
  let sc: SimServer
  let sp: SimServer
  let adapters: CarrierAdapter[]
  const adapterFor = (c: string, a: string) => adapters.find((x) => x.carrier === c && x.account === a)
  const { outbox, store } = outboxForTests(db, clock, adapterFor)
  let feature: ReturnType<typeof createPointsFeature>

  beforeAll(async () => {
    sc = await startPointSimulator('sendcloud', { clock })
    sp = await startPointSimulator('swisspost', { clock })
    const deps = { now: () => clock.now(), logger: silentLogger, timeoutMs: 1500, maxRetries: 0 }
    adapters = [
      createSendcloudAdapter(demoPointAccount('sendcloud', sc.url), deps),
      createSwissPostAdapter(demoPointAccount('swisspost', sp.url), deps)
    ]
    feature = createPointsFeature({ db, clock, logger: silentLogger, events: new EventBus(), repo, adapters: () => adapters, outbox })
  })
  afterAll(async () => {
    await sc?.close()
    await sp?.close()
    db.close()
  })

  /** A row as createToPoint queues it, left inflight as if Guichet stopped during the carrier call. */
  async function crashedRow(kind: string, pointKey: string, orderReference: string, sender: unknown = null) {
    const point = await feature.handlers['points.get']({ key: pointKey })
    const request = toPointPayload.shape.request.parse({ pointKey, orderReference, customer: SANNE })
    const row = outbox.enqueue(outbox.kinds.get(kind)!, {
      shipmentId: null,
      carrier: point.carrier,
      account: point.account,
      actedAt: clock.now(),
      payload: { request, point, sender }
    })
    durably(db, () => store.claim(row.id, clock.now()))
    return row.id
  }

  it('Sendcloud: the parcel the carrier made before the crash is found again and recorded, not made twice', async () => {
    const id = await crashedRow('sendcloud_to_point', 'sendcloud:demo:10001', 'NL-CRASH-1')
    // The carrier had answered: the parcel exists there, and nothing here knows it yet.
    const sendcloud = adapters[0] as SendcloudAdapter
    const made = await sendcloud.createParcel({
      externalReference: 'NL-CRASH-1',
      orderNumber: 'NL-CRASH-1',
      name: 'Sanne de Vries',
      address: 'Kerkstraat',
      houseNumber: '3',
      city: 'Eindhoven',
      postalCode: '5611 GH',
      country: 'NL',
      email: SANNE.email,
      servicePointId: 10001
    })
    expect(repo.byTrackingKey(trackingKey(made.trackingNumber))).toEqual([])

    // The next start: a new worker on the same store.
    const next = outboxForTests(db, clock, adapterFor, [outbox.kinds.get('sendcloud_to_point')!])
    expect(await next.worker.runOnce()).toMatchObject({ reconciled: 1, sent: 1 })
    expect(outbox.get(id)).toMatchObject({ state: 'sent', result: { trackingNumber: made.trackingNumber, parcelId: made.id } })
    const [shipment] = repo.byTrackingKey(trackingKey(made.trackingNumber))
    expect(shipment).toMatchObject({ carrier: 'sendcloud', reference: 'NL-CRASH-1' })
    expect(repo.get(shipment!.id)?.point?.id).toBe('10001')
  })

  it('Swiss Post: a label call cut by a crash stops for the clerk, with no shipment invented', async () => {
    const search = { country: 'CH', postalCode: '8004', radiusM: 2000, limit: 1, carriers: ['swisspost' as const] }
    const [p] = (await feature.handlers['points.search'](search)).points
    const sender = { name1: 'Boutique Léa', street: 'Rue du Rhône 1', zip: '1204', city: 'Genève' }
    const id = await crashedRow('swisspost_to_point', p!.key, 'CH-CRASH-1', sender)
    const before = repo.count()
    const next = outboxForTests(db, clock, adapterFor, [outbox.kinds.get('swisspost_to_point')!])
    expect(await next.worker.runOnce()).toMatchObject({ reconciled: 1, sent: 0 })
    expect(outbox.itemById(id)).toMatchObject({ state: 'failed', lastError: { code: 'conflict' } })
    expect(outbox.itemById(id)!.lastError!.message).toMatch(/cannot tell whether Swiss Post received it/)
    expect(repo.count()).toBe(before)
  })

  it('a double click sends one request: the second finds the first row, already sent, and the same shipment', async () => {
    const input = { pointKey: 'sendcloud:demo:10001', orderReference: 'NL-TWICE', customer: SANNE, layout: 'A6', fileType: 'PDF' } as const
    const [a, b] = await Promise.all([
      feature.handlers['shipments.createToPoint'](input),
      feature.handlers['shipments.createToPoint'](input)
    ])
    expect(b.shipmentId).toBe(a.shipmentId)
    const rows = outbox.listKind('sendcloud_to_point', 50).filter((r) => JSON.stringify(r.payload).includes('"NL-TWICE"'))
    expect(rows.map((r) => r.state)).toEqual(['sent'])
  })
})
