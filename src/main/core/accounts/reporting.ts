import type { CarrierAdapter, TrackResult } from '../../carriers/types'
import { CarrierError } from '../../carriers/types'

/** What connectivity needs to hear from every carrier call. */
export interface CallReporter {
  reportSuccess(): void
  reportNetworkFailure(message: string): void
}

const NETWORK_CODES = new Set(['offline', 'timeout'])

/**
 * Wraps an adapter so every carrier answer (or network failure) tells connectivity: the app has
 * one view of online/offline, learned from real calls as well as from the OS.
 */
export function reportingAdapter(adapter: CarrierAdapter, reporter: CallReporter): CarrierAdapter {
  const judge = (e: unknown) => {
    if (e instanceof CarrierError && NETWORK_CODES.has(e.code)) reporter.reportNetworkFailure(e.message)
    else reporter.reportSuccess() // the carrier answered, even if with an error
  }
  const wrapped: CarrierAdapter = Object.create(adapter) as CarrierAdapter
  Object.defineProperty(wrapped, 'track', {
    value: async (numbers: string[]): Promise<TrackResult[]> => {
      try {
        const results = await adapter.track(numbers)
        const networkFailures = results.filter((r) => !r.ok && NETWORK_CODES.has(r.error.code))
        if (results.length > 0 && networkFailures.length === results.length) {
          const first = networkFailures[0]!
          reporter.reportNetworkFailure(first.ok ? '' : first.error.message)
        } else reporter.reportSuccess()
        return results
      } catch (e) {
        judge(e)
        throw e
      }
    }
  })
  return wrapped
}
