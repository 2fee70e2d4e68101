import { describe, expect, it } from 'vitest'
import { mapStatus } from '../types'
import { mappingProblems, pairProblems } from '../testing/mapping.testkit'
import { shiprocketMapping } from './mapping'

describe('Shiprocket status tables', () => {
  it('are consistent', () => {
    expect(mappingProblems(shiprocketMapping)).toEqual([])
  })
  it('map the ids the official examples label (contract note §5.1) as their labels say', () => {
    const pairs = [
      ['shipment:5', 'ready_to_ship'], // MANIFEST GENERATED
      ['shipment:6', 'shipped'], // SHIPPED
      ['shipment:7', 'delivered'], // DELIVERED
      ['shipment:17', 'shipping_in_progress'], // OUT FOR DELIVERY
      ['shipment:18', 'shipping_in_progress'], // IN TRANSIT
      ['shipment:42', 'shipped'], // PICKED UP
      ['order:1', 'packaging'], // NEW
      ['order:20', 'shipping_in_progress'], // IN TRANSIT
      ['order:21', 'return'] // RETURN PENDING
    ] as const
    expect(pairProblems(shiprocketMapping, pairs)).toEqual([])
  })
})

describe('Shiprocket numberings are kept apart', () => {
  it('the same integer means different things in the two schemes', () => {
    expect(mapStatus(shiprocketMapping, 'shipment:5').unified).toBe('ready_to_ship') // MANIFEST GENERATED
    expect(mapStatus(shiprocketMapping, 'order:5').unified).toBe('cancelled') // CANCELED
    expect(mapStatus(shiprocketMapping, 'shipment:17').kind).toBe('out_for_delivery')
    expect(mapStatus(shiprocketMapping, 'order:17').unified).toBe('return')
  })
  it('a bare number is unknown (never guessed into one scheme) and stays visible', () => {
    expect(mapStatus(shiprocketMapping, '18')).toEqual({ unified: 'shipping_in_progress', kind: 'info', known: false })
  })
  it('the official ids are all present', () => {
    for (const id of [5, 6, 7, 17, 18, 19, 38, 42]) expect(mapStatus(shiprocketMapping, `shipment:${id}`).known).toBe(true)
    for (const id of [1, 20, 21]) expect(mapStatus(shiprocketMapping, `order:${id}`).known).toBe(true)
  })
})

describe('Shiprocket final statuses', () => {
  it('a return on its way keeps being polled; delivered back, cancelled or delivered stops', async () => {
    const { isFinalStatus } = await import('../../core/pipeline/pipeline')
    expect(isFinalStatus(shiprocketMapping, 'return:42', 'return')).toBe(false)
    expect(isFinalStatus(shiprocketMapping, 'order:21', 'return')).toBe(false)
    expect(isFinalStatus(shiprocketMapping, 'shipment:16', 'cancelled')).toBe(false)
    expect(isFinalStatus(shiprocketMapping, 'return:7', 'return')).toBe(true)
    expect(isFinalStatus(shiprocketMapping, 'shipment:7', 'delivered')).toBe(true)
    expect(isFinalStatus(shiprocketMapping, 'order:5', 'cancelled')).toBe(true)
  })
})
