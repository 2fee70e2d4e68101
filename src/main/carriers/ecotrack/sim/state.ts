// The ECOTRACK simulator's world: the courier's reference data, the parcels with their planned
// steps on the test's clock, and the shapes the API answers with (order rows, status entries).
import type { Clock } from '../../../platform/clock'
import { DAY } from '../../../platform/clock'
import type { SimRequest } from '../../sim/server'
import { ECO_FORWARD, ECO_RETURN, ECO_STEP_GAP_MS, ECOTRACK_FIXTURES, type EcoFixture, type EcoStep } from './fixtures'
// The courier's reference data, copied (minified) from ../shared/carriers/data so the simulator
// runs anywhere the app does, demo mode in a packaged build included.
import communesData from './data/ecotrack-communes.json'
import feesData from './data/ecotrack-fees.json'
import wilayasData from './data/ecotrack-wilayas.json'
import { minimalPdf } from '../../sim/pdf'

export interface Wilaya {
  wilaya_id: number
  wilaya_name: string
}
export interface Commune {
  nom: string
  wilaya_id: number
  code_postal: string
  has_stop_desk: number
}

/** The courier's reference data: wilayas served, communes (an index-keyed object upstream), fees. */
export function ecotrackReferenceData(): { wilayas: Wilaya[]; communes: Record<string, Commune>; fees: Record<string, unknown> } {
  return { wilayas: wilayasData as Wilaya[], communes: communesData as Record<string, Commune>, fees: feesData as Record<string, unknown> }
}

export const ECOTRACK_LIMITS = { minute: 50, hour: 1500, day: 15000 } as const

export interface Parcel {
  tracking: string
  reference: string | null
  client: string
  phone: string
  phone_2: string | null
  adresse: string
  commune: string
  wilaya_id: number
  montant: number
  type_id: number
  stop_desk: 0 | 1
  products: string | null
  createdAt: number
  /** Steps with the time each happens; those in the future are still to come. */
  plan: Array<EcoStep & { at: number }>
  validated: boolean
  deleted: boolean
  returnAsked: boolean
  remarks: Array<{ remarque: string; station: string; livreur: string; at: number }>
  orderId: number
}

export const pad = (n: number, w = 2) => String(n).padStart(w, '0')
// ECOTRACK speaks Algiers wall time (UTC+1, no daylight saving).
export const ALGIERS = 3_600_000
export const ymd = (ms: number) => {
  const d = new Date(ms + ALGIERS)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
}
export const hms = (ms: number) => {
  const d = new Date(ms + ALGIERS)
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
}

/** The order status filter values, in the documented order (contract note §1.7.2). */
export const ORDER_STATUSES = new Set([
  'prete_a_expedier',
  'en_ramassage',
  'en_preparation_stock',
  'vers_hub',
  'en_hub',
  'vers_wilaya',
  'en_preparation',
  'en_livraison',
  'suspendu',
  'livre_non_encaisse',
  'encaisse_non_paye',
  'paiements_prets',
  'paye_et_archive',
  'retour_chez_livreur',
  'retour_transit_entrepot',
  'retour_en_traitement',
  'retour_recu',
  'retour_archive',
  'annule'
])
/** Commune names compare as the server's collation does: case and accents ignored. */
export const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim()
    .replace(/[\s'’-]+/g, '_')
/** The reason under which get/orders/status lists a remark: not a delivery attempt. */
const REMARK_REASON = 'Écrire une remarque'
/** Order status -> the French display status get/trackings/info documents (contract note §1.7.3). */
export const DISPLAY_STATUS: Record<string, string> = {
  prete_a_expedier: 'Prêt à expédier',
  en_ramassage: 'En ramassage',
  en_preparation_stock: 'Stock en préparation',
  vers_hub: 'Vers hub',
  en_hub: 'En hub',
  vers_wilaya: 'Vers wilaya',
  en_preparation: 'En préparation',
  en_livraison: 'En livraison',
  suspendu: 'Suspendus',
  livre_non_encaisse: 'Livre non encaissé',
  encaisse_non_paye: 'Livre encaissé non payé',
  paiements_prets: 'Paiement prêt',
  paye_et_archive: 'Paiement archivé',
  retour_chez_livreur: 'Retours chez livreur',
  retour_transit_entrepot: 'Retours en transit stock',
  retour_en_traitement: 'Retours en traitement',
  retour_recu: 'Retours reçu',
  retour_archive: 'Retours archivé'
}
export const ARCHIVED = new Set(['paye_et_archive', 'retour_archive'])
export const OUT_FOR_DELIVERY = new Set(['en_livraison'])

/** ECOTRACK's label: one A6 landscape page with the parcel's line. */
export const labelPdf = (p: Parcel): Buffer =>
  minimalPdf([`ECOTRACK ${p.tracking} - ${p.client} - ${p.commune} (${p.wilaya_id}) - ${p.montant} DA`], {
    widthPt: 420,
    heightPt: 298,
    fontSize: 14
  })

export function createEcotrackState(opts: { clock: Clock; shopName?: string; parcels?: readonly EcoFixture[] }) {
  const { clock } = opts
  const shop = opts.shopName ?? 'Boutique Demo'
  const ref = ecotrackReferenceData()
  const served = new Set(ref.wilayas.map((w) => w.wilaya_id))
  const communes = Object.values(ref.communes)
  const parcels = new Map<string, Parcel>()
  let counter = 0
  const stats = { calls: 0, tooMany: 0 }

  const addParcel = (f: EcoFixture): string => {
    const start = clock.now()
    const createdAt = start - f.ageHours * 3_600_000
    const span = Math.max(start - createdAt - 20 * 60_000, 3_600_000)
    const plan = f.path.map((s, i) => ({
      ...s,
      at: i < f.done ? createdAt + Math.round((span * i) / Math.max(f.done - 1, 1)) : start + 60_000 + (i - f.done) * ECO_STEP_GAP_MS
    }))
    parcels.set(f.tracking, {
      tracking: f.tracking,
      reference: f.reference,
      client: f.client,
      phone: f.phone,
      phone_2: null,
      adresse: f.adresse,
      commune: f.commune,
      wilaya_id: f.wilaya_id,
      montant: f.montant,
      type_id: 1,
      stop_desk: f.stop_desk,
      products: null,
      createdAt,
      plan,
      validated: f.done > 1,
      deleted: false,
      returnAsked: false,
      remarks: [],
      orderId: 1000 + parcels.size
    })
    return f.tracking
  }
  for (const f of opts.parcels ?? ECOTRACK_FIXTURES) addParcel(f)

  // In time order: a remark (add/maj) is appended to a plan whose later steps are already scheduled.
  const past = (p: Parcel) => p.plan.filter((s) => s.at <= clock.now()).sort((a, b) => a.at - b.at)
  const current = (p: Parcel): EcoStep => past(p).at(-1) ?? { activity: 'order_information_received_by_carrier', order: 'prete_a_expedier' }

  const param = (req: SimRequest, k: string): string | undefined => {
    const v = req.query.get(k) ?? (req.form[k] as string | number | undefined)
    return v === undefined || v === null ? undefined : String(v)
  }
  const present = (v: string | undefined): v is string => v !== undefined && v.trim() !== ''
  const findParcel = (req: SimRequest): Parcel | undefined => {
    const t = param(req, 'tracking')?.trim()
    const p = t ? parcels.get(t) : undefined
    return p && !p.deleted ? p : undefined
  }
  const nextTracking = () => {
    counter++
    return `ECQFLD${ymd(clock.now()).slice(2).replace(/-/g, '')}${pad(counter, 4)}`
  }

  const createFrom = (get: (k: string) => string | undefined): Parcel => {
    const tracking = nextTracking()
    const p: Parcel = {
      tracking,
      reference: get('reference') ?? null,
      client: get('nom_client')!,
      phone: get('telephone')!,
      phone_2: get('telephone_2') ?? null,
      adresse: get('adresse')!,
      commune: get('commune')!,
      wilaya_id: Number(get('code_wilaya')),
      montant: Number(get('montant')),
      type_id: Number(get('type')),
      stop_desk: get('stop_desk') === '1' ? 1 : 0,
      products: get('produit') ?? null,
      createdAt: clock.now(),
      plan: [{ ...ECO_FORWARD[0]!, at: clock.now() }],
      validated: false,
      deleted: false,
      returnAsked: false,
      remarks: [],
      orderId: 1000 + parcels.size
    }
    parcels.set(tracking, p)
    return p
  }

  const orderRow = (p: Parcel) => ({
    tracking: p.tracking,
    reference: p.reference,
    client: p.client,
    phone: p.phone,
    phone_2: p.phone_2,
    adresse: p.adresse,
    commune: p.commune,
    wilaya_id: p.wilaya_id,
    montant: String(p.montant),
    tarif_prestation: '400',
    tarif_retour: '200',
    type_id: p.type_id,
    created_at: ymd(p.createdAt),
    payment_id: current(p).order === 'paye_et_archive' ? 312 : null,
    return_id: ECO_RETURN.some((s) => s.order === current(p).order) ? 77 : null,
    // The real API reports the archived state with accents; clients must fold them.
    status: current(p).order === 'paye_et_archive' ? 'payé_et_archivé' : current(p).order,
    products: p.products
  })

  const statusEntry = (p: Parcel): Record<string, unknown> => {
    const cur = current(p)
    const e: Record<string, unknown> = { status: cur.order, order_id: String(p.orderId) }
    if (OUT_FOR_DELIVERY.has(cur.order)) e.driver_phone = '0555123456'
    if (cur.order === 'encaisse_non_paye') e.estimated_fee = 400
    else {
      const desk = p.stop_desk ? communes.find((c) => c.wilaya_id === p.wilaya_id && c.has_stop_desk) : undefined
      e.desk_phone = desk ? '023456789' : ''
      e.desk_commune = desk ? desk.nom : ''
      e.desk_map_link = desk ? 'https://maps.google.com/?q=36.72,3.18' : ''
      e.desk_address = desk ? `Stop desk ${desk.nom}` : ''
    }
    e.activity = [
      ...past(p)
        .filter((s) => s.reason)
        .map((s) => ({
          reason: s.reason,
          details: '',
          station: s.station ?? 'Station principale',
          driver: 'HINI Djamel',
          date: ymd(s.at),
          time: hms(s.at),
          postponed_to: ymd(s.at + DAY)
        })),
      // Every remark, the merchant's (add/maj) and the station's, is listed under this reason.
      ...p.remarks.map((r) => ({
        reason: REMARK_REASON,
        details: r.remarque,
        station: r.station,
        driver: r.livreur,
        date: ymd(r.at),
        time: hms(r.at),
        postponed_to: null
      }))
    ]
    return e
  }

  return {
    clock,
    shop,
    ref,
    served,
    communes,
    parcels,
    stats,
    addParcel,
    past,
    current,
    param,
    present,
    findParcel,
    createFrom,
    orderRow,
    statusEntry
  }
}

export type EcotrackState = ReturnType<typeof createEcotrackState>
