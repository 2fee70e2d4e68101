// The demo's Swiss Post parcels carry their Name2 line as a real PickPost / My Post 24 creation
// stores it, so the parcel's label (preview and print) shows "<keyword> <User ID>".
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../platform/db/database'
import { ShipmentRepository } from '../core/shipments/shipments.repo'
import { buildLabelModel, draftFromShipment } from '../features/labels/model'
import { seedDemo } from './shipments'

describe('demo Swiss Post parcels', () => {
  it('print the Name2 line of their keyword and User ID, addressed to the point', () => {
    const db = openDatabase(':memory:').db
    const repo = new ShipmentRepository(db)
    seedDemo(db, repo, Date.UTC(2026, 10, 28, 9))
    const { items } = repo.list({ carrier: 'swisspost', limit: 10, offset: 0 }, Date.UTC(2026, 10, 28, 9))
    const lines = items.map((s) => {
      const model = buildLabelModel(draftFromShipment(repo.get(s.id)!, repo.carrierData(s.id), null))
      return [s.trackingNumber, model.recipient.name2, model.recipient.city, model.marks[0]]
    })
    expect(lines.sort()).toEqual([
      ['996012345600004211', 'PickPost PT011227', 'Lausanne', 'PickPost'],
      ['996012345600004228', 'My Post 24 PT020431', 'Zürich', 'My Post 24'],
      ['996012345600004235', 'PickPost PT007812', 'Lausanne', 'PickPost']
    ])
  })
})
