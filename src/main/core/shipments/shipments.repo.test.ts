import { beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from '../../platform/db/database'
import { ShipmentRepository } from './shipments.repo'
import { ftsPrefixQuery } from './shipments.rows'

const T0 = Date.UTC(2026, 10, 20, 9)
let db: Database
let repo: ShipmentRepository

beforeEach(() => {
  db = openDatabase(':memory:').db
  repo = new ShipmentRepository(db)
})

const add = (over: Partial<Parameters<ShipmentRepository['insert']>[0]> = {}) =>
  repo.insert({
    carrier: 'ecotrack',
    trackingNumber: 'ECQFLD2611240017',
    recipientName: 'Amina Boudiaf',
    recipientPhone: '0551234567',
    reference: 'DZ-4471',
    createdAt: T0,
    ...over
  })

describe('ShipmentRepository', () => {
  it('finds a shipment by tracking key whatever the case or separators', () => {
    const id = add()
    expect(repo.byTrackingKey('ECQFLD2611240017').map((s) => s.id)).toEqual([id])
    expect(repo.byTrackingPrefix('ECQFLD26', 10).map((s) => s.id)).toEqual([id])
  })

  it('searches names by prefix, ignoring accents', () => {
    const id = add({ recipientName: 'Hélène Bénali' })
    expect(repo.searchText('ben', 10).map((s) => s.id)).toEqual([id])
    expect(repo.searchText('hel ben', 10).map((s) => s.id)).toEqual([id])
    expect(repo.searchText('bex', 10)).toEqual([])
  })

  it('searches phones in local and international form', () => {
    const id = add({ recipientPhone: '+213 551 23 45 67' })
    expect(repo.searchText('0551 23', 10).map((s) => s.id)).toEqual([id])
    expect(repo.searchText('+2135512', 10).map((s) => s.id)).toEqual([id])
  })

  it('searches references by prefix', () => {
    const id = add({ reference: 'CMD-MA-10421' })
    expect(repo.searchText('CMD-MA', 10).map((s) => s.id)).toEqual([id])
  })

  it('keeps search in step with updates and deletes', () => {
    const id = add({ recipientName: 'Omar Alaoui' })
    db.prepare("UPDATE shipments SET recipient_name = 'Nadia Berrada' WHERE id = ?").run(id)
    expect(repo.searchText('omar', 10)).toEqual([])
    expect(repo.searchText('nadia', 10).map((s) => s.id)).toEqual([id])
    db.prepare('DELETE FROM shipments WHERE id = ?').run(id)
    expect(repo.searchText('nadia', 10)).toEqual([])
  })

  it('appends events once and moves the status to the latest event', () => {
    const id = add()
    const ev = { at: T0 + 1000, unifiedStatus: 'shipped' as const, nativeStatus: 'picked', source: 'poll' as const }
    expect(repo.appendEvents(id, [ev, ev], T0 + 2000)).toBe(1)
    expect(repo.appendEvents(id, [ev], T0 + 3000)).toBe(0)
    // An older event arriving late does not move the status back.
    repo.appendEvents(
      id,
      [{ at: T0 + 500, unifiedStatus: 'packaging', nativeStatus: 'order_information_received_by_carrier', source: 'webhook' }],
      T0 + 4000
    )
    const s = repo.get(id)!
    expect(s.unifiedStatus).toBe('shipped')
    expect(s.nativeStatus).toBe('picked')
    expect(repo.events(id).map((e) => e.nativeStatus)).toEqual(['picked', 'order_information_received_by_carrier'])
  })

  it('turns hostile search text into a safe query', () => {
    expect(ftsPrefixQuery('"); DROP TABLE shipments; --')).toBe('"DROP"* "TABLE"* "shipments"*')
    expect(ftsPrefixQuery('***')).toBeNull()
    add()
    expect(() => repo.searchText('NEAR(a b) OR "x', 10)).not.toThrow()
  })
})
