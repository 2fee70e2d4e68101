import { z } from 'zod'
import { CARRIERS, type CarrierId } from '../domain'
import type { ErrorParams } from '../result'
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
  /** The last connection test with the settings and secrets saved now; null when none was made since they changed. */
  connection: ConnectionCheck | null
}

/**
 * connected: the carrier accepted the credentials; refused: it did not (see error); unreachable:
 * no answer (offline desk: the account is saved all the same); unverified: it answered with
 * something that proves neither; no_credentials: nothing to test with yet.
 */
export type ConnectionState = 'connected' | 'refused' | 'unreachable' | 'unverified' | 'no_credentials'

export interface ConnectionCheck {
  state: ConnectionState
  at: string
  /** Which call was made: the carrier's own credentials check, or tracking a number nobody issued. */
  call: 'credentials' | 'track' | 'none'
  /** Why, as a code the renderer words (never main's sentence). */
  error?: { code: string; field?: string; params?: ErrorParams }
}

const carrier = z.lazy(() => z.enum(CARRIERS))
const alias = z.lazy(() =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash or underscore (at most 64)')
)

export const accountChannels = {
  'accounts.list': { input: noInput, output: out<AccountInfo[]>() },
  /** Creates or updates an account's non-secret settings (credentials go through credentials.set). */
  'accounts.save': {
    input: z.lazy(() =>
      z.strictObject({
        carrier,
        alias,
        baseUrl: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }),
        enabled: z.boolean().default(true),
        options: z.record(z.string().max(64), z.union([z.string().max(1000), z.number(), z.boolean(), z.null()])).default({})
      })
    ),
    output: out<AccountInfo>()
  },
  /** Tests the account's connection with the cheapest real call its carrier allows; never writes at the carrier. */
  'accounts.test': { input: z.lazy(() => z.strictObject({ carrier, alias })), output: out<ConnectionCheck>() },
  'accounts.remove': { input: z.lazy(() => z.strictObject({ carrier, alias })), output: out<{ removed: boolean }>() }
}
