import { describe, expect, it } from 'vitest'
import { CARRIERS, RETURN_REQUEST_CARRIERS } from '../../shared/domain'
import { silentLogger } from '../platform/logger'
import { carrierModule } from './registry'

// The renderer offers "request return" from RETURN_REQUEST_CARRIERS; the truth is each adapter.
describe('RETURN_REQUEST_CARRIERS', () => {
  for (const id of CARRIERS) {
    it(`${id}: offered exactly when its adapter can request a return`, () => {
      const mod = carrierModule(id)
      const adapter = mod?.createAdapter(
        { carrier: id, alias: 'x', baseUrl: 'http://127.0.0.1:9', credentials: {}, options: {} },
        { now: () => 0, logger: silentLogger }
      )
      expect(RETURN_REQUEST_CARRIERS.has(id)).toBe(typeof adapter?.requestReturn === 'function')
    })
  }
})
