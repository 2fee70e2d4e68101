import { describe, expect, it } from 'vitest'
import { mapStatus } from '../types'
import { mappingProblems, pairProblems } from '../testing/mapping.testkit'
import { shipwayMapping } from './mapping'

describe('Shipway event codes', () => {
  it('the table is consistent', () => {
    expect(mappingProblems(shipwayMapping)).toEqual([])
  })
  it('maps the six core webhook events as the contract note names them (§5.3), case-insensitively', () => {
    // INT in transit, OOD out for delivery, DEL delivered, UND undelivered, RTO, RTD RTO delivered.
    const pairs = [
      ['INT', 'shipping_in_progress'],
      ['ood', 'shipping_in_progress'],
      ['DEL', 'delivered'],
      ['UND', 'delivery_failure'],
      ['RTO', 'return'],
      ['RTD', 'return'],
      ['CAN', 'cancelled']
    ] as const
    expect(pairProblems(shipwayMapping, pairs)).toEqual([])
    expect(mapStatus(shipwayMapping, 'OOD').kind).toBe('out_for_delivery')
  })
  it('keeps an unknown code visible', () => {
    expect(mapStatus(shipwayMapping, 'XYZ')).toEqual({ unified: 'shipping_in_progress', kind: 'info', known: false })
  })
})
