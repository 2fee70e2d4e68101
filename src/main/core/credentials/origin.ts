import { GuichetError } from '../../../shared/result'

// A credential belongs to the origins (scheme://host:port) it was entered for. Any URL an
// account holds (its API URL, a token endpoint in its options) is one of its origins: a change
// of any of them means the secret would travel somewhere new, so it must be entered again.

const LOOPBACK = /^(127(?:\.\d{1,3}){3}|\[::1\]|localhost)$/i

/** The origin of an http(s) URL, or null for anything else. */
export function originOf(value: unknown): string | null {
  if (typeof value !== 'string' || !/^https?:\/\//i.test(value)) return null
  try {
    const u = new URL(value)
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null
  } catch {
    return null
  }
}

export function isLoopbackOrigin(origin: string): boolean {
  return LOOPBACK.test(new URL(origin).hostname)
}

/** Every distinct origin among the values, sorted (a URL-valued option counts like the base URL). */
export function originsOf(values: Iterable<unknown>): string[] {
  const out = new Set<string>()
  for (const v of values) {
    const o = originOf(v)
    if (o) out.add(o)
  }
  return [...out].sort()
}

/** Plain http only to this machine: off loopback a secret would cross the network readable. */
export function requireSecureUrl(value: string, field: string): void {
  const o = originOf(value)
  if (o && o.startsWith('http:') && !isLoopbackOrigin(o))
    throw new GuichetError('forbidden', `${field}: https is required for a carrier outside this computer`, { field })
}

/** Does a credential bound to `bound` cover every origin the account now calls? */
export function covers(bound: readonly string[], origins: readonly string[]): boolean {
  return origins.every((o) => bound.includes(o))
}
