import { describe, expect, it } from 'vitest'
import { mapStatus } from '../types'
import { SHIPWAY_ROWS, shipwayMapping } from './mapping'

describe('Shipway event codes', () => {
  it.each(SHIPWAY_ROWS.map((r) => [r.native, r.description ?? '', r.unified, r.kind ?? 'status'] as const))(
    '%s %s -> %s (%s)',
    (native, _d, unified, kind) => {
      expect(mapStatus(shipwayMapping, native)).toEqual({ unified, kind, known: true })
    }
  )
  it('has the six core webhook events', () => {
    for (const c of ['INT', 'OOD', 'DEL', 'UND', 'RTO', 'RTD']) expect(mapStatus(shipwayMapping, c.toLowerCase()).known).toBe(true)
  })
  it('keeps an unknown code visible', () => {
    expect(mapStatus(shipwayMapping, 'XYZ')).toEqual({ unified: 'shipping_in_progress', kind: 'info', known: false })
  })
})
