import { z } from 'zod'
import { languageCode, noInput } from './schemas'
import { out } from './types'
import type { AppInfo, Settings } from '../app'

/**
 * Length limits of the sender address, per field: what carriers' address fields take (35 to 80
 * characters) and what still reads on one label line. name1 and city are required, as
 * buildLabelModel's checkAddress requires them of any address it prints.
 */
export const SENDER_LIMITS = { name1: 60, name2: 60, street: 80, houseNo: 10, zip: 10, city: 60, phone: 30 } as const

const requiredText = (max: number) => z.string('required').trim().min(1, 'required').max(max, `at most ${max} characters`)
/** Blank means "not given": stored as null, never as an empty string. */
const blankToNull = (v: string): string | null => v || null
const optionalText = (max: number) =>
  z.string('must be text').trim().max(max, `at most ${max} characters`).transform(blankToNull).nullable().optional()

/** The fields of a sender address; the contract takes them strictly, the settings file leniently. */
export const senderAddressShape = {
  name1: requiredText(SENDER_LIMITS.name1),
  name2: optionalText(SENDER_LIMITS.name2),
  street: optionalText(SENDER_LIMITS.street),
  houseNo: optionalText(SENDER_LIMITS.houseNo),
  zip: optionalText(SENDER_LIMITS.zip),
  city: requiredText(SENDER_LIMITS.city),
  /** ISO 3166-1 alpha-2, upper-cased: "ma" is taken as "MA". */
  country: z
    .string('must be text')
    .trim()
    .toUpperCase()
    .regex(/^([A-Z]{2})?$/, 'a 2-letter ISO 3166-1 country code, e.g. MA, DZ, FR, CH')
    .transform(blankToNull)
    .nullable()
    .optional(),
  phone: z
    .string('must be text')
    .trim()
    .max(SENDER_LIMITS.phone, `at most ${SENDER_LIMITS.phone} characters`)
    .regex(/^(\+?[0-9][0-9 ()./-]*)?$/, 'digits, spaces and + ( ) - . / only')
    .transform(blankToNull)
    .nullable()
    .optional()
}

export const appChannels = {
  'app.info': { input: noInput, output: out<AppInfo>() },
  'settings.get': { input: noInput, output: out<Settings>() },
  'settings.update': {
    input: z.lazy(() =>
      z.strictObject({
        language: languageCode.optional(),
        point: z
          .strictObject({
            id: z.string().trim().max(64),
            name: z.string().trim().max(128),
            carriers: z.array(z.string().max(32)).max(16).optional()
          })
          .nullable()
          .optional(),
        /** The return address printed as "From" on generated labels; null clears it. */
        sender: z.strictObject(senderAddressShape).nullable().optional(),
        /** The default label printer (a printers.list id); null: none, the label dialog offers "save as PDF". */
        labelPrinter: z.string().trim().min(1).max(160).nullable().optional()
      })
    ),
    output: out<Settings>()
  },
  'demo.enable': { input: noInput, output: out<{ shipments: number }>() }
}
