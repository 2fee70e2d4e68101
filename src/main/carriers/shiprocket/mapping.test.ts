import { describe, expect, it } from 'vitest'
import { mapStatus } from '../types'
import { SHIPROCKET_ORDER_ROWS, SHIPROCKET_RETURN_ROWS, SHIPROCKET_SHIPMENT_ROWS, shiprocketMapping } from './mapping'

// One test per row: the table is the spec.
const cases = (rows: typeof SHIPROCKET_ORDER_ROWS) =>
  rows.map((r) => [r.native, r.description ?? '', r.unified, r.kind ?? 'status'] as const)

describe('Shiprocket shipment-status ids', () => {
  it.each(cases(SHIPROCKET_SHIPMENT_ROWS))('%s %s -> %s (%s)', (native, _d, unified, kind) => {
    expect(mapStatus(shiprocketMapping, native)).toEqual({ unified, kind, known: true })
  })
})

describe('Shiprocket order-status ids', () => {
  it.each(cases(SHIPROCKET_ORDER_ROWS))('%s %s -> %s (%s)', (native, _d, unified, kind) => {
    expect(mapStatus(shiprocketMapping, native)).toEqual({ unified, kind, known: true })
  })
})

describe('Shiprocket return-flow statuses', () => {
  it.each(cases(SHIPROCKET_RETURN_ROWS))('%s %s -> %s (%s)', (native, _d, unified, kind) => {
    expect(mapStatus(shiprocketMapping, native)).toEqual({ unified, kind, known: true })
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
