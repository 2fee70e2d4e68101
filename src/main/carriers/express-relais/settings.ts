// Seed 000's Express Relais settings as a schema, with the rules built on them: which mobiles
// may use the delivery, the prefix added on creation, the pickup fields creation needs, and the
// age-based check schedule with its max check period.
import { z } from 'zod'
import { DAY, HOUR } from '../../platform/clock'

const ER_DEFAULT_API_URL = 'https://api-aio-prod.relaisexpress.ma'

export const expressRelaisSettingsSchema = z.lazy(() =>
  z
    .object({
      /** Off: orders are not sent to Express Relais and their status is not updated. */
      enabled: z.boolean().default(false),
      /** "This URL shouldn't be changed." */
      apiUrl: z.url().default(ER_DEFAULT_API_URL),
      username: z.string().default(''),
      password: z.string().default(''),
      /** Comma-separated; only these mobiles may use Express Relais delivery. */
      allowedMobilePrefixes: z
        .string()
        .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'digits separated by commas')
        .default('2126,2127'),
      /** Added to mobile numbers on order creation (the country code). */
      mobilePrefix: z
        .string()
        .regex(/^\d{0,4}$/, 'up to 4 digits')
        .default('212'),
      /** No automatic status checks for orders older than this. */
      maxCheckDays: z.number().int().min(1).max(365).default(14),
      pickupCity: z.string().trim().max(100).default(''),
      pickupAddress: z.string().trim().max(255).default(''),
      pickupContact: z.string().trim().max(100).default(''),
      pickupPhone: z.string().trim().max(20).default(''),
      pickupEmail: z.union([z.literal(''), z.email()]).default('')
    })
    .strict()
)

export type ExpressRelaisSettings = z.infer<typeof expressRelaisSettingsSchema>

const PICKUP_FIELDS = ['pickupCity', 'pickupAddress', 'pickupContact', 'pickupPhone', 'pickupEmail'] as const
type PickupField = (typeof PICKUP_FIELDS)[number]

/** The pickup fields still empty: creation is refused, naming each, until they are filled. */
export function missingPickupFields(s: ExpressRelaisSettings): PickupField[] {
  return PICKUP_FIELDS.filter((f) => !s[f].trim())
}

function allowedPrefixes(s: Pick<ExpressRelaisSettings, 'allowedMobilePrefixes'>): string[] {
  return s.allowedMobilePrefixes
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
}

/**
 * The number as Express Relais wants it: digits only, international, with the configured prefix
 * ("0612345678" -> "212612345678"; "+212 6 12..." -> "2126 12...").
 */
export function normaliseMobile(phone: string, mobilePrefix: string): string {
  let d = phone.replace(/[^\d+]/g, '')
  if (d.startsWith('+')) return d.slice(1)
  if (d.startsWith('00')) return d.slice(2)
  d = d.replace(/\+/g, '')
  if (mobilePrefix && d.startsWith(mobilePrefix) && d.length > 10) return d
  return mobilePrefix + d.replace(/^0/, '')
}

/** May this mobile use Express Relais delivery? */
export function isMobileAllowed(phone: string, s: Pick<ExpressRelaisSettings, 'allowedMobilePrefixes' | 'mobilePrefix'>): boolean {
  const n = normaliseMobile(phone, s.mobilePrefix)
  return allowedPrefixes(s).some((p) => n.startsWith(p))
}

/**
 * Seed 000's check schedule by order age: up to 2 days every hour, 3-5 days every 2 hours,
 * 6-10 days every 6 hours, 11 days up to the max check period every 12 hours, then none (null).
 */
export function checkInterval(ageMs: number, maxCheckDays = 14): number | null {
  const days = ageMs / DAY
  if (days > maxCheckDays) return null
  if (days <= 2) return HOUR
  if (days <= 5) return 2 * HOUR
  if (days <= 10) return 6 * HOUR
  return 12 * HOUR
}
