import { describe, expect, it } from 'vitest'
import { reportingAdapter } from './reporting'
import { CarrierError, type CarrierAdapter, type TrackResult } from '../../carriers/types'

function fake(answer: () => Promise<TrackResult[]>): CarrierAdapter {
  return {
    carrier: 'ecotrack',
    account: 'a',
    capabilities: new Set(['track_many']),
    batchSize: 100,
    track: answer,
    budget: () => ({ remaining: 5, resetsAt: null, blockedUntil: null })
  }
}

describe('reportingAdapter', () => {
  it('reports an answer as success and an all-network failure as offline, and keeps the rest of the adapter', async () => {
    const calls: string[] = []
    const reporter = { reportSuccess: () => calls.push('ok'), reportNetworkFailure: (m: string) => calls.push(`net:${m}`) }
    const ok = reportingAdapter(
      fake(async () => [{ trackingNumber: 'A', ok: true, events: [] }]),
      reporter
    )
    await ok.track(['A'])
    const down = reportingAdapter(
      fake(async () => [{ trackingNumber: 'A', ok: false, error: new CarrierError('offline', 'ECONNREFUSED') }]),
      reporter
    )
    await down.track(['A'])
    const refused = reportingAdapter(
      fake(async () => [{ trackingNumber: 'A', ok: false, error: new CarrierError('not_found', 'unknown') }]),
      reporter
    )
    await refused.track(['A'])
    const thrown = reportingAdapter(
      fake(async () => Promise.reject(new CarrierError('timeout', 'slow'))),
      reporter
    )
    await expect(thrown.track(['A'])).rejects.toThrow('slow')
    expect(calls).toEqual(['ok', 'net:ECONNREFUSED', 'ok', 'net:slow'])
    expect(ok.budget().remaining).toBe(5)
    expect(ok.batchSize).toBe(100)
  })
})
