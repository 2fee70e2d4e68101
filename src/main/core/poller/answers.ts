// One batch call's answers, read: per-parcel updates and checks for the status pipeline, a rate
// limit to honour, and whether the whole account failed (the poller then backs the account off).
import type { GuichetError } from '../../../shared/result'
import { sharedRedactor } from '../../platform/logger'
import { classify } from '../outbox/backoff'
import type { TrackResult } from '../../carriers/types'
import type { CheckOutcome, StatusUpdate } from '../pipeline/pipeline'
import type { ShipmentRef } from '../shipments/refs'

/** Turns an adapter's answers into pipeline input, and tells account-wide failures apart. */
export function interpretAnswers(chunk: ReadonlyArray<Pick<ShipmentRef, 'id' | 'trackingNumber'>>, results: readonly TrackResult[]) {
  const byNumber = new Map<string, TrackResult>()
  for (const r of results) byNumber.set(r.trackingNumber, r)
  const updates: StatusUpdate[] = []
  const checks: CheckOutcome[] = []
  let rateLimited: GuichetError | null = null
  const errorCodes = new Set<string>()
  let failedCount = 0
  let firstError = ''
  for (const row of chunk) {
    const r = byNumber.get(row.trackingNumber)
    if (!r) {
      checks.push({
        shipmentId: row.id,
        ok: false,
        error: { code: 'carrier_error', message: 'The carrier gave no answer for this parcel.' }
      })
      failedCount++
      errorCodes.add('carrier_error')
      continue
    }
    if (r.ok) {
      const u: StatusUpdate = { shipmentId: row.id, events: r.events }
      if (r.current) u.current = r.current
      if (r.point !== undefined) u.point = r.point
      if (r.carrierData) u.carrierData = r.carrierData
      updates.push(u)
      checks.push({ shipmentId: row.id, ok: true })
      continue
    }
    if (r.error.code === 'rate_limited') {
      rateLimited = r.error
      continue
    }
    failedCount++
    errorCodes.add(r.error.code)
    // Carrier messages are stored and returned (refresh answer): no secret may ride along.
    const message = sharedRedactor.text(r.error.message)
    if (!firstError) firstError = message
    // The field the carrier refused and what the clerk may quote (HTTP status, its own code), redacted
    // as the outbox keeps them: the parcel view words "<carrier> refused: …" from these, not from message.
    const { field, params } = classify(r.error)
    checks.push({
      shipmentId: row.id,
      ok: false,
      error: { code: r.error.code, message, ...(field ? { field } : {}), ...(params ? { params } : {}) }
    })
  }
  // Every number failing the same way (timeout, offline, unauthorized, HTTP 5xx) is the account's
  // trouble, not the parcels': back the account off. "Unknown tracking number" stays per parcel.
  const accountWide = failedCount === chunk.length && errorCodes.size === 1 && !errorCodes.has('not_found') && chunk.length > 0
  return { updates, checks, rateLimited, accountError: accountWide ? firstError || 'The carrier failed.' : null }
}
