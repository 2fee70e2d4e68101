import type { ConnectionCheck, ConnectionState } from '../../../shared/contract/accounts'
import { GuichetError, type ErrorCode } from '../../../shared/result'
import type { CarrierAdapter } from '../../carriers/types'

// The connection test run when an account's settings or secrets are saved: the cheapest real
// call each carrier allows, through its own adapter, so a wrong token shows at once in Settings
// rather than at the first lookup. Nothing is written at the carrier.

/** A tracking number no carrier issues: asking for it costs one read and proves the credentials. */
export const PROBE_TRACKING = 'GUICHET-TEST-0000'

type Check = () => Promise<boolean | { valid: boolean | null }>
/**
 * The carrier's own credentials call, where its adapter has one: ECOTRACK checkToken
 * (validate/token), Express Relais checkCredentials (getInfoClient), Swiss Post
 * checkCredentials (a token from its OAuth host). The others track a number nobody issued.
 */
function ownCheck(a: CarrierAdapter): Check | null {
  const x = a as { checkCredentials?: Check; checkToken?: Check }
  if (typeof x.checkCredentials === 'function') return () => x.checkCredentials!()
  if (typeof x.checkToken === 'function') return () => x.checkToken!()
  return null
}

const REFUSED = new Set<string>(['unauthorized', 'forbidden'])
const UNREACHABLE = new Set<string>(['offline', 'timeout'])
/** Answers about the made-up parcel: the carrier took the credentials and looked. */
const ANSWERED = new Set<string>(['not_found', 'invalid_input'])

function verdict(code: string | null, call: ConnectionCheck['call']): ConnectionState {
  if (code === null) return 'connected'
  if (REFUSED.has(code)) return 'refused'
  if (UNREACHABLE.has(code)) return 'unreachable'
  if (call === 'track' && ANSWERED.has(code)) return 'connected'
  return 'unverified'
}

/** Runs the probe; never throws: whatever happens is the check's outcome. */
export async function probeConnection(adapter: CarrierAdapter, at: string): Promise<ConnectionCheck> {
  const check = ownCheck(adapter)
  const call: ConnectionCheck['call'] = check ? 'credentials' : 'track'
  let error: { code: string; field?: string; params?: Record<string, string | number> } | null = null
  try {
    if (check) {
      const r = await check()
      const valid = typeof r === 'boolean' ? r : r.valid
      if (valid === false) error = { code: 'unauthorized' }
    } else {
      const [r] = await adapter.track([PROBE_TRACKING])
      if (r && !r.ok) error = asError(r.error)
    }
  } catch (e) {
    error = asError(e)
  }
  const state = verdict(error?.code ?? null, call)
  return { state, at, call, ...(error && state !== 'connected' ? { error } : {}) }
}

function asError(e: unknown): { code: string; field?: string; params?: Record<string, string | number> } {
  if (!(e instanceof GuichetError)) return { code: 'internal' satisfies ErrorCode }
  return { code: e.code, ...(e.field ? { field: e.field } : {}), ...(e.params ? { params: e.params } : {}) }
}
