// Swiss Post serves token, labels, location search and the PickPost user ID from different hosts
// (SWISSPOST-DCAPI.md, CONTRACTS §4): each is an account option with the documented default.
import type { CarrierAccount } from '../types'

const SP_HOST_OPTIONS = ['tokenUrl', 'barcodeUrl', 'placesUrl', 'userIdUrl'] as const
type SpHostOption = (typeof SP_HOST_OPTIONS)[number]

const SP_DEFAULT_HOSTS: Record<SpHostOption, string> = {
  /** Third-party token URL (CONTRACTS §4.1); the WEDEC generation uses https://wedec.post.ch/WEDECOAuth/token. */
  tokenUrl: 'https://api.post.ch/OAuth/token',
  barcodeUrl: 'https://dcapi.apis.post.ch/barcode/v1',
  /** The public backend of places.post.ch (CONTRACTS §4.3): no official location API was found. */
  placesUrl: 'https://places.post.ch/StandortSuche/StaoCacheServiceV2/api/v1',
  /** Only documented on the WEDEC hosts (DCAPI reference §2.1, §7). */
  userIdUrl: 'https://wedec.post.ch/api/pickpost/v1'
}

/** The account's hosts, each falling back to its documented default. */
export function swissPostHosts(account: Pick<CarrierAccount, 'options'>): Record<SpHostOption, string> {
  const out = { ...SP_DEFAULT_HOSTS }
  for (const k of SP_HOST_OPTIONS) {
    const v = account.options?.[k]
    if (typeof v === 'string' && v.trim()) out[k] = v.trim().replace(/\/+$/, '')
  }
  return out
}

/** "https://api.post.ch/OAuth/token" -> base "https://api.post.ch/OAuth", path "/token". */
export function splitUrl(url: string): { base: string; path: string } {
  const i = url.lastIndexOf('/')
  return i > url.indexOf('//') + 1 ? { base: url.slice(0, i), path: url.slice(i) } : { base: url, path: '/' }
}
