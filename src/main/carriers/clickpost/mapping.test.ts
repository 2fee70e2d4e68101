import { describe, expect, it } from 'vitest'
import { mapStatus } from '../types'
import { CLICKPOST_NDR_REASONS, CLICKPOST_ROWS, clickpostMapping, ndrReason } from './mapping'

describe('Clickpost clickpost_status_code', () => {
  it.each(CLICKPOST_ROWS.map((r) => [r.native, r.description ?? '', r.unified, r.kind ?? 'status'] as const))(
    '%s %s -> %s (%s)',
    (native, _d, unified, kind) => {
      expect(mapStatus(clickpostMapping, native)).toEqual({ unified, kind, known: true })
    }
  )
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
  it.each(Object.entries(CLICKPOST_NDR_REASONS).map(([k, v]) => [Number(k), v] as const))('NDR %i: %s', (code, text) => {
    expect(ndrReason(code)).toBe(`NDR ${code}: ${text}`)
    expect(ndrReason(String(code))).toBe(`NDR ${code}: ${text}`)
  })
  it('falls back to the carrier description for an unknown code', () => {
    expect(ndrReason(99, 'Consignee shifted')).toBe('Consignee shifted')
    expect(ndrReason(undefined)).toBeNull()
  })
})
