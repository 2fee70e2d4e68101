import { z } from 'zod'
import { CARRIERS, type CarrierId } from '../domain'
import { noInput } from './schemas'
import { out } from './types'

/** A carrier account as the UI sees it: configuration and "has credentials", never a secret. */
export interface AccountInfo {
  carrier: CarrierId
  alias: string
  baseUrl: string
  enabled: boolean
  /** A demo account on a local simulator. */
  demo: boolean
  options: Record<string, string | number | boolean | null>
  hasCredentials: boolean
  /** Guichet has an adapter for this carrier. */
  supported: boolean
}

const carrier = z.enum(CARRIERS)
const alias = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash or underscore (at most 64)')

export const accountChannels = {
  'accounts.list': { input: noInput, output: out<AccountInfo[]>() },
  /** Creates or updates an account's non-secret settings (credentials go through credentials.set). */
  'accounts.save': {
    input: z.strictObject({
      carrier,
      alias,
      baseUrl: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }),
      enabled: z.boolean().default(true),
      options: z.record(z.string().max(64), z.union([z.string().max(1000), z.number(), z.boolean(), z.null()])).default({})
    }),
    output: out<AccountInfo>()
  },
  'accounts.remove': { input: z.strictObject({ carrier, alias }), output: out<{ removed: boolean }>() }
}
