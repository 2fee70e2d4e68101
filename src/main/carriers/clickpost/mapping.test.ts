import { describe, expect, it } from 'vitest'
import { mapStatus } from '../types'
import { mappingProblems, pairProblems } from '../testing/mapping.testkit'
import { CLICKPOST_NDR_REASONS, CLICKPOST_ROWS, clickpostMapping, ndrReason } from './mapping'

describe('Clickpost clickpost_status_code', () => {
  it('the table is consistent', () => {
    expect(mappingProblems(clickpostMapping)).toEqual([])
  })
  it('maps the codes whose official name says the outcome (contract note §5.2)', () => {
    const pairs = [
      ['8', 'delivered'], // DELIVERED
      ['10', 'cancelled'], // CANCELLED_ORDER
      ['14', 'return'], // RTO_DELIVERED
      ['12', 'return'], // RTO
      ['5', 'shipping_in_progress'], // INTRANSIT
      ['6', 'shipping_in_progress'], // OUT_FOR_DELIVERY
      ['4', 'shipped'] // PICKED_UP
    ] as const
    expect(pairProblems(clickpostMapping, pairs)).toEqual([])
    expect(mapStatus(clickpostMapping, '6').kind).toBe('out_for_delivery')
  })
  it('covers the official codes 1-21, 25-28, 30-32 and 101', () => {
    expect(CLICKPOST_ROWS.map((r) => r.native).join(',')).toBe(
      '1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,25,26,27,28,30,31,32,101'
    )
  })
  it('keeps an unknown code visible through the fallback', () => {
    expect(mapStatus(clickpostMapping, '29')).toEqual({ unified: 'shipping_in_progress', kind: 'info', known: false })
  })
})

describe('Clickpost NDR reasons', () => {
  it('words a known code the same whether it arrives as a number or as text', () => {
    for (const [k, text] of Object.entries(CLICKPOST_NDR_REASONS)) {
      expect(ndrReason(Number(k))).toBe(`NDR ${k}: ${text}`)
      expect(ndrReason(k)).toBe(`NDR ${k}: ${text}`)
    }
  })
  it('falls back to the carrier description for an unknown code', () => {
    expect(ndrReason(99, 'Consignee shifted')).toBe('Consignee shifted')
    expect(ndrReason(undefined)).toBeNull()
  })
})
