import { afterEach, describe, expect, it } from 'vitest'
import { HOUR, ManualClock } from '../../platform/clock'
import { EventBus } from '../../platform/events'
import { silentLogger } from '../../platform/logger'
import { GuichetError } from '../../../shared/result'
import { StatusPipeline, isFinalStatus } from './pipeline'
import { memoryStore, mappingForAll, TEST_MAPPING } from './pipeline.testkit'
import type { Database } from '../../platform/db/database'

let db: Database | undefined
afterEach(() => db?.close())

function setup() {
  const store = memoryStore()
  db = store.db
  const clock = new ManualClock()
  const bus = new EventBus()
  const emitted: unknown[] = []
  bus.on('shipment.changed', (p) => emitted.push(p))
  const pipeline = new StatusPipeline({ db: store.db, clock, events: bus, logger: silentLogger, mappingFor: mappingForAll() })
  const id = store.repo.insert({
    carrier: 'express-relais',
    trackingNumber: 'ER0001',
    recipientName: 'A',
    createdAt: clock.now() - HOUR,
    nextCheckAt: clock.now()
  })
  return { ...store, clock, bus, emitted, pipeline, id }
}

describe('status pipeline', () => {
  it('maps, appends, moves the status to the latest event, and emits once per batch', () => {
    const { pipeline, repo, id, emitted, clock } = setup()
    const t = clock.now()
    const r = pipeline.apply({
      source: 'poll',
      updates: [
        {
          shipmentId: id,
          events: [
            { at: t - 3000, nativeStatus: 'ORDER_CONFIRMED' },
            { at: t - 1000, nativeStatus: 'waiting_in_locker', location: 'Casa' }
          ]
        }
      ],
      checks: [{ shipmentId: id, ok: true }]
    })
    expect(r.added).toBe(2)
    expect(r.changed).toEqual([id])
    const s = repo.get(id)!
    expect(s.unifiedStatus).toBe('shipping_in_progress')
    expect(s.statusKind).toBe('waiting_at_point')
    expect(s.nativeStatus).toBe('waiting_in_locker')
    expect(s.lastGoodCheckAt).toBe(new Date(t).toISOString())
    expect(s.nextCheckAt).not.toBeNull()
    expect(repo.events(id).map((e) => e.source)).toEqual(['poll', 'poll'])
    expect(emitted).toEqual([{ ids: [id], reason: 'poll', statuses: { [id]: 'shipping_in_progress' } }])
  })

  it('dedupes the same carrier event from two sources (poll then webhook) and keeps the newest status', () => {
    const { pipeline, repo, id, clock } = setup()
    const t = clock.now()
    const ev = { at: t - 1000, nativeStatus: 'PARCEL_IN_TRANSIT', dedupeKey: 'evt-7' }
    pipeline.apply({ source: 'poll', updates: [{ shipmentId: id, events: [ev] }] })
    const again = pipeline.apply({ source: 'webhook', updates: [{ shipmentId: id, events: [ev], current: ev }] })
    expect(again.added).toBe(0)
    expect(again.duplicates).toBe(2)
    expect(again.touched).toEqual([])
    // An older event arriving late joins the timeline but does not move the status back.
    pipeline.apply({ source: 'import', updates: [{ shipmentId: id, events: [{ at: t - 9000, nativeStatus: 'ORDER_CONFIRMED' }] }] })
    expect(repo.get(id)!.unifiedStatus).toBe('shipping_in_progress')
    expect(repo.events(id)).toHaveLength(2)
  })

  it('keeps unknown native statuses visible with the fallback mapping', () => {
    const { pipeline, repo, id, clock } = setup()
    const r = pipeline.apply({
      source: 'poll',
      updates: [{ shipmentId: id, events: [{ at: clock.now(), nativeStatus: 'SOMETHING_NEW' }] }]
    })
    expect(r.unknownStatuses).toEqual(['SOMETHING_NEW'])
    const s = repo.get(id)!
    expect(s.nativeStatus).toBe('SOMETHING_NEW')
    expect(s.unifiedStatus).toBe('shipping_in_progress')
  })

  it('stops polling on a final status from any source, but not on delivered-unsettled', () => {
    const { pipeline, repo, id, clock } = setup()
    pipeline.apply({
      source: 'poll',
      updates: [{ shipmentId: id, events: [{ at: clock.now(), nativeStatus: 'DELIVERED_UNPAID' }] }],
      checks: [{ shipmentId: id, ok: true }]
    })
    expect(repo.get(id)!.nextCheckAt).not.toBeNull()
    clock.advance(1000)
    pipeline.apply({ source: 'webhook', updates: [{ shipmentId: id, events: [{ at: clock.now(), nativeStatus: 'PARCEL_RETRIEVED' }] }] })
    expect(repo.get(id)!.nextCheckAt).toBeNull()
    // A manual refresh of a final shipment records the check without restarting the schedule.
    pipeline.apply({ source: 'manual', checks: [{ shipmentId: id, ok: true }] })
    expect(repo.get(id)!.nextCheckAt).toBeNull()
    expect(isFinalStatus(TEST_MAPPING, 'unknown', 'delivered')).toBe(false)
    expect(isFinalStatus(undefined, null, 'cancelled')).toBe(true)
  })

  it('records failed checks with a redacted error and keeps the last good check time', () => {
    const { pipeline, repo, id, clock } = setup()
    pipeline.apply({ source: 'poll', checks: [{ shipmentId: id, ok: true }] })
    const good = repo.get(id)!.lastGoodCheckAt
    clock.advance(HOUR)
    pipeline.apply({
      source: 'poll',
      checks: [{ shipmentId: id, ok: false, error: { code: 'carrier_error', message: 'boom at /x?api_token=SECRET123' } }]
    })
    clock.advance(HOUR)
    pipeline.apply({ source: 'poll', checks: [{ shipmentId: id, ok: false, error: { code: 'timeout', message: 'no answer' } }] })
    const s = repo.get(id)!
    expect(s.lastGoodCheckAt).toBe(good)
    expect(s.lastError).toMatchObject({ code: 'timeout', message: 'no answer' })
    const row = db!.prepare('SELECT check_failures FROM shipments WHERE id = ?').get(id) as { check_failures: number }
    expect(row.check_failures).toBe(2)
    // Error backoff: 2 failures -> ~10 minutes, not the hourly tier.
    expect(Date.parse(s.nextCheckAt!) - clock.now()).toBeLessThanOrEqual(10 * 60_000)
    pipeline.apply({
      source: 'poll',
      checks: [{ shipmentId: id, ok: false, error: { code: 'carrier_error', message: 'x?api_token=SECRET123' } }]
    })
    expect(repo.get(id)!.lastError!.message).not.toContain('SECRET123')
  })

  it("keeps a failed check's field, params and carrier, and still reads an error stored as a bare message", () => {
    const { pipeline, repo, id } = setup()
    pipeline.apply({
      source: 'poll',
      checks: [
        {
          shipmentId: id,
          ok: false,
          error: {
            code: 'invalid_input',
            message: 'HTTP 422 on /getTrackingParcel',
            field: 'tracking',
            params: { httpStatus: 422, carrierCode: 10003 }
          }
        }
      ]
    })
    // The carrier is the shipment's own: the clerk reads "Express Relais refused: ..." with the reason.
    expect(repo.get(id)!.lastError).toMatchObject({
      code: 'invalid_input',
      message: 'HTTP 422 on /getTrackingParcel',
      carrier: 'express-relais',
      field: 'tracking',
      params: { httpStatus: 422, carrierCode: 10003 }
    })
    // No migration: the same TEXT column holds JSON now, and a row written before holds its bare message.
    db!.prepare(`UPDATE shipments SET last_error_code = 'timeout', last_error = 'The carrier did not answer.' WHERE id = ?`).run(id)
    const old = repo.get(id)!.lastError!
    expect(old).toMatchObject({ code: 'timeout', message: 'The carrier did not answer.' })
    expect(old).not.toHaveProperty('carrier')
    expect(old).not.toHaveProperty('field')
    expect(old).not.toHaveProperty('params')
    // Success clears it.
    pipeline.apply({ source: 'poll', checks: [{ shipmentId: id, ok: true }] })
    expect(repo.get(id)!.lastError).toBeNull()
  })

  it('updates the point and merges carrier data', () => {
    const { pipeline, repo, id } = setup()
    pipeline.apply({
      source: 'poll',
      updates: [
        { shipmentId: id, events: [], point: { id: 'P1', name: 'Relais', address: 'Rue 1', type: 'locker' }, carrierData: { a: 1 } }
      ]
    })
    pipeline.apply({ source: 'poll', updates: [{ shipmentId: id, events: [], carrierData: { b: 2 } }] })
    expect(repo.get(id)!.point).toMatchObject({ id: 'P1', type: 'locker' })
    expect(repo.carrierData(id)).toEqual({ a: 1, b: 2 })
  })

  it('rolls back the whole batch on bad input, with a typed error, and reports missing ids', () => {
    const { pipeline, repo, id, clock } = setup()
    expect(() =>
      pipeline.apply({
        source: 'import',
        updates: [
          { shipmentId: id, events: [{ at: clock.now(), nativeStatus: 'PARCEL_IN_TRANSIT' }] },
          { shipmentId: id, events: [{ at: Number.NaN, nativeStatus: 'X' }] }
        ]
      })
    ).toThrow(GuichetError)
    expect(repo.events(id)).toHaveLength(0)
    expect(() => pipeline.apply({ source: 'import', checks: [{ shipmentId: -1, ok: true }] })).toThrow(GuichetError)
    const r = pipeline.apply({ source: 'poll', checks: [{ shipmentId: 999, ok: true }] })
    expect(r.missing).toEqual([999])
  })
})
