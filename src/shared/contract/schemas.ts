import { z } from 'zod'
import { CARRIERS, UNIFIED_STATUSES } from '../domain'

// Small reusable pieces for channel inputs. Every object is strict: an unexpected key
// (a typo, or a hostile __proto__) is an error, never silently ignored.

export const noInput = z.strictObject({})
export const carrierId = z.enum(CARRIERS)
export const unifiedStatus = z.enum(UNIFIED_STATUSES)
export const shipmentId = z.number().int().positive()
/** Free text a person typed or a scanner sent; control characters are handled by normalizeScan. */
export const queryText = z.string().max(256, 'at most 256 characters')
export const languageCode = z.enum(['fr', 'en', 'ar', 'de'])
