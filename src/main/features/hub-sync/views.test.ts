// The point's expected arrivals and the warehouse's view of the points' steps, read from the
// desk's own store: what the hub brought, who sent it, and when it is due.
import { describe, expect, it } from 'vitest'
import { memoryStore } from '../../core/pipeline/pipeline.testkit'
import type { PulledEvent } from '../../../shared/hub/contract'
import { applyPulled } from './apply'
import { expectedArrivals, pointSteps } from './views'

const NOW = new Date(2026, 11, 3, 15, 0).getTime()
const YESTERDAY = new Date(2026, 11, 2, 10, 0).getTime()
const TODAY = new Date(2026, 11, 3, 9, 0).getTime()

const shipped = (cursor: number, key: string, at: number, status = 'packaging'): PulledEvent => ({
  cursor,
  deskId: 'desk-w',
  deskName: 'Entrepôt Lyon',
  seq: cursor,
  kind: 'shipment',
  at,
  carrier: 'ecotrack',
  account: 'main',
  trackingKey: key,
  pointId: 'P1',
  body: { trackingNumber: key, recipientName: 'Lina', unifiedStatus: status }
})

describe('hub-sync views', () => {
  it('lists what the warehouse sent the point, with its sender, today before tomorrow, until it is checked in', () => {
    const { db, repo } = memoryStore()
    applyPulled(db, [shipped(1, 'EC1', TODAY), shipped(2, 'EC2', YESTERDAY), shipped(3, 'EC3', TODAY, 'shipped')], 3, NOW)
    // Registered here for this point (no sender), and one for another point.
    repo.insert({
      carrier: 'ecotrack',
      trackingNumber: 'EC4',
      recipientName: 'Omar',
      createdAt: YESTERDAY,
      point: { id: 'P1', name: 'P1', address: 'a' }
    })
    repo.insert({
      carrier: 'ecotrack',
      trackingNumber: 'EC5',
      recipientName: 'Nour',
      createdAt: YESTERDAY,
      point: { id: 'P2', name: 'P2', address: 'a' }
    })

    const list = expectedArrivals(db, 'P1', NOW)
    expect(list.map((a) => [a.trackingNumber, a.expectedOn, a.sender])).toEqual([
      ['EC2', 'today', 'Entrepôt Lyon'], // a day old: due today
      ['EC4', 'today', null],
      ['EC3', 'today', 'Entrepôt Lyon'], // registered today but already moving
      ['EC1', 'tomorrow', 'Entrepôt Lyon'] // registered today, not moving yet
    ])
    expect(list[0]).toMatchObject({ carrier: 'ecotrack', recipientName: 'Lina', createdAt: new Date(YESTERDAY).toISOString() })

    // Checked in (a parcel on this desk's counter with its key): no longer expected.
    db.prepare(
      `INSERT INTO counter_parcels (tracking_number, tracking_key, origin, state, arrived_at)
       VALUES ('EC2', 'EC2', 'driver', 'on_shelf', ?)`
    ).run(NOW)
    expect(expectedArrivals(db, 'P1', NOW).map((a) => a.trackingNumber)).toEqual(['EC4', 'EC3', 'EC1'])
    expect(expectedArrivals(db, 'P9', NOW)).toEqual([])
  })

  it("shows the warehouse each point's steps, newest first, with the desk's name", () => {
    const { db } = memoryStore()
    const step = (cursor: number, at: number, action: string, state: string): PulledEvent => ({
      cursor,
      deskId: 'desk-p1',
      deskName: 'Relais Gare',
      seq: cursor,
      kind: 'counter',
      at,
      carrier: 'ecotrack',
      account: null,
      trackingKey: 'EC1',
      pointId: 'P1',
      body: { action, state, trackingNumber: 'EC-1' }
    })
    applyPulled(db, [step(1, TODAY, 'checkin', 'on_shelf'), step(2, NOW, 'handover', 'handed_over')], 2, NOW)
    expect(pointSteps(db, 10)).toEqual([
      {
        deskId: 'desk-p1',
        deskName: 'Relais Gare',
        pointId: 'P1',
        trackingKey: 'EC1',
        trackingNumber: 'EC-1',
        action: 'handover',
        state: 'handed_over',
        at: new Date(NOW).toISOString()
      },
      expect.objectContaining({ action: 'checkin', state: 'on_shelf' })
    ])
  })
})
