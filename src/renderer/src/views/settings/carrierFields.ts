import type { CarrierId } from '@shared/domain'

// What each carrier's account asks for, in the carrier's own terms (../shared/carriers/CONTRACTS.md),
// and the documented default of every host, shown so a clerk sees what an empty field means.

/** A secret or identity field kept in the vault; `name` is what the carrier's client reads. */
interface SecretField {
  name: string
  /** Identity (an e-mail, a public key): shown as typed, not masked. */
  identity?: boolean
}

/** Vault fields per carrier (src/main/carriers/<carrier>/client.ts reads these names). */
export const SECRET_FIELDS: Record<CarrierId, SecretField[]> = {
  ecotrack: [{ name: 'api_token' }],
  'express-relais': [{ name: 'username', identity: true }, { name: 'password' }],
  shiprocket: [{ name: 'email', identity: true }, { name: 'password' }],
  clickpost: [{ name: 'username', identity: true }, { name: 'key' }],
  // Shipway's newer generation: HTTP Basic with the login e-mail and the licence key
  // (the client still reads `password` for accounts stored before).
  shipway: [{ name: 'email', identity: true }, { name: 'license_key' }],
  sendcloud: [{ name: 'public_key', identity: true }, { name: 'secret_key' }, { name: 'webhook_secret' }],
  swisspost: [{ name: 'client_id', identity: true }, { name: 'client_secret' }]
}

/** The API host each carrier documents; ECOTRACK has one per company (https://<company>.ecotrack.dz). */
export const DEFAULT_URLS: Partial<Record<CarrierId, string>> = {
  'express-relais': 'https://api-aio-prod.relaisexpress.ma',
  sendcloud: 'https://panel.sendcloud.sc',
  shiprocket: 'https://apiv2.shiprocket.in/v1/external',
  clickpost: 'https://api.clickpost.in',
  shipway: 'https://app.shipway.com',
  swisspost: 'https://dcapi.apis.post.ch'
}
export const URL_PLACEHOLDER: Partial<Record<CarrierId, string>> = { ecotrack: 'https://<société>.ecotrack.dz' }

/** A non-secret option: its name in the account's options, its documented default, whether it is a number. */
export interface OptionField {
  name: string
  /** Empty means this (the client's own default), shown as the placeholder and in words. */
  placeholder?: string
  numeric?: boolean
  /** Written left to right whatever the language (URLs, codes). */
  ltr?: boolean
}

/** Seed 000's Express Relais settings, beyond URL and credentials. */
const ER: OptionField[] = [
  { name: 'allowedMobilePrefixes', ltr: true },
  { name: 'mobilePrefix', ltr: true },
  { name: 'pickupCity' },
  { name: 'pickupAddress' },
  { name: 'pickupContact' },
  { name: 'pickupPhone', ltr: true },
  { name: 'pickupEmail', ltr: true }
]

/** Swiss Post's four hosts (carriers/swisspost/hosts.ts) and the Name2 keywords (seed 004). */
const SP: OptionField[] = [
  { name: 'tokenUrl', placeholder: 'https://api.post.ch/OAuth/token', ltr: true },
  { name: 'barcodeUrl', placeholder: 'https://dcapi.apis.post.ch/barcode/v1', ltr: true },
  { name: 'placesUrl', placeholder: 'https://places.post.ch/StandortSuche/StaoCacheServiceV2/api/v1', ltr: true },
  { name: 'userIdUrl', placeholder: 'https://wedec.post.ch/api/pickpost/v1', ltr: true },
  { name: 'frankingLicense', ltr: true },
  { name: 'scope', placeholder: 'DCAPI_BARCODE_READ WEDEC_PICKPOST', ltr: true },
  { name: 'name2PickPost', placeholder: 'PickPost' },
  { name: 'name2MyPost24', placeholder: 'My Post 24' }
]

/** Carrier settings beyond URL and credentials, each in its own fieldset. */
export const OPTION_FIELDS: Partial<Record<CarrierId, OptionField[]>> = {
  'express-relais': ER,
  swisspost: SP,
  clickpost: [
    { name: 'cpId', numeric: true, ltr: true },
    { name: 'accountCode', ltr: true }
  ],
  sendcloud: [{ name: 'shippingMethodId', numeric: true, ltr: true }]
}

/** Every account: the polling cadence (seed 000's defaults when empty). */
export const CADENCE_FIELDS: OptionField[] = [
  { name: 'maxCheckDays', numeric: true, placeholder: '14' },
  { name: 'returnWindowDays', numeric: true },
  { name: 'tiers', ltr: true, placeholder: '2=1,5=2,10=6,14=12' }
]

export const NUMERIC_OPTIONS = new Set(
  [...Object.values(OPTION_FIELDS), CADENCE_FIELDS]
    .flat()
    .filter((f) => f.numeric)
    .map((f) => f.name)
)
