import { describe, expect, it } from 'vitest'
import { DAY, HOUR } from '../../platform/clock'
import { checkInterval, expressRelaisSettingsSchema, isMobileAllowed, missingPickupFields, normaliseMobile } from './settings'

describe('Express Relais settings (seed 000)', () => {
  it('has the seed defaults: off, prod URL, prefixes 2126,2127, 14 days', () => {
    const s = expressRelaisSettingsSchema.parse({})
    expect(s).toMatchObject({
      enabled: false,
      apiUrl: 'https://api-aio-prod.relaisexpress.ma',
      allowedMobilePrefixes: '2126,2127',
      mobilePrefix: '212',
      maxCheckDays: 14
    })
    expect(missingPickupFields(s)).toEqual(['pickupCity', 'pickupAddress', 'pickupContact', 'pickupPhone', 'pickupEmail'])
  })
  it('rejects bad values and unknown keys', () => {
    expect(expressRelaisSettingsSchema.safeParse({ allowedMobilePrefixes: '2126;abc' }).success).toBe(false)
    expect(expressRelaisSettingsSchema.safeParse({ pickupEmail: 'not-an-email' }).success).toBe(false)
    expect(expressRelaisSettingsSchema.safeParse({ maxCheckDays: 0 }).success).toBe(false)
    expect(expressRelaisSettingsSchema.safeParse({ surprise: 1 }).success).toBe(false)
  })
  it('adds the prefix on creation and checks allowed prefixes', () => {
    expect(normaliseMobile('0612345678', '212')).toBe('212612345678')
    expect(normaliseMobile('+212 6 12 34 56 78', '212')).toBe('212612345678')
    expect(normaliseMobile('00212712345678', '212')).toBe('212712345678')
    expect(normaliseMobile('212612345678', '212')).toBe('212612345678')
    const s = { allowedMobilePrefixes: '2126, 2127', mobilePrefix: '212' }
    expect(isMobileAllowed('+2126123456789', s)).toBe(true)
    expect(isMobileAllowed('0712345678', s)).toBe(true)
    expect(isMobileAllowed('0522123456', s)).toBe(false)
  })
  it('checks by age: 1 h up to 2 days, 2 h to 5, 6 h to 10, 12 h to the max, then none', () => {
    expect(checkInterval(1 * DAY)).toBe(HOUR)
    expect(checkInterval(4 * DAY)).toBe(2 * HOUR)
    expect(checkInterval(8 * DAY)).toBe(6 * HOUR)
    expect(checkInterval(13 * DAY)).toBe(12 * HOUR)
    expect(checkInterval(15 * DAY)).toBeNull()
    expect(checkInterval(15 * DAY, 30)).toBe(12 * HOUR)
  })
})
