// The ECOTRACK simulator: the API of the contract note §1 (same paths, methods, parameter rules,
// business errors 10001-10003 with HTTP 200, Laravel 422s, pagination, batch limits and the
// 50/min, 1500/h, 15000/day limits with their headers), on a clock the test controls.
import type { Clock } from '../../../platform/clock'
import { DAY } from '../../../platform/clock'
import { startSimServer, type SimReply, type SimRequest, type SimServer } from '../../sim/server'
import { ECO_FORWARD, ECO_RETURN, ECO_STEP_GAP_MS, ECOTRACK_FIXTURES, type EcoFixture, type EcoStep } from './fixtures'
// The courier's reference data, copied (minified) from ../shared/carriers/data so the simulator
// runs anywhere the app does, demo mode in a packaged build included.
import communesData from './data/ecotrack-communes.json'
import feesData from './data/ecotrack-fees.json'
import wilayasData from './data/ecotrack-wilayas.json'
import { minimalPdf } from '../../sim/pdf'

interface Wilaya {
  wilaya_id: number
  wilaya_name: string
}
interface Commune {
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

interface Parcel {
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

export interface EcotrackSimOptions {
  clock: Clock
  port?: number
  /** Valid API tokens. */
  tokens: string[]
  parcels?: readonly EcoFixture[]
  shopName?: string
  /** Tokens whose API access is disabled (validate/token says TOKEN_NOT_ALLOWED). */
  disabledTokens?: string[]
}

export interface EcotrackSim extends SimServer {
  /** Adds a parcel directly (tests), returns its tracking. */
  addParcel(f: EcoFixture): string
  /** Current order status of a parcel (null if unknown). */
  statusOf(tracking: string): string | null
  /** Calls counted against a token's limits, and 429s served. */
  stats: { calls: number; tooMany: number }
  /** The courier starts or stops serving a wilaya (create/order then answers error 10002). */
  setServed(wilaya: number, served: boolean): void
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')
// ECOTRACK speaks Algiers wall time (UTC+1, no daylight saving).
const ALGIERS = 3_600_000
const ymd = (ms: number) => {
  const d = new Date(ms + ALGIERS)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
}
const hms = (ms: number) => {
  const d = new Date(ms + ALGIERS)
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
}

/** The order status filter values, in the documented order (contract note §1.7.2). */
const ORDER_STATUSES = new Set([
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
const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim()
    .replace(/[\s'’-]+/g, '_')
/** The reason under which get/orders/status lists a remark: not a delivery attempt. */
const REMARK_REASON = 'Écrire une remarque'
/** Order status -> the French display status get/trackings/info documents (contract note §1.7.3). */
const DISPLAY_STATUS: Record<string, string> = {
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
const ARCHIVED = new Set(['paye_et_archive', 'retour_archive'])
const OUT_FOR_DELIVERY = new Set(['en_livraison'])

const invalid = (errors: Record<string, string[]>): SimReply => ({ status: 422, body: { message: 'The given data was invalid.', errors } })
const business = (error: number, message: string): SimReply => ({ status: 200, body: { success: false, error, message } })
const unknownTracking = () => invalid({ tracking: ['Le champ tracking sélectionné est invalide.'] })

/** ECOTRACK's label: one A6 landscape page with the parcel's line. */
const labelPdf = (p: Parcel): Buffer =>
  minimalPdf([`ECOTRACK ${p.tracking} - ${p.client} - ${p.commune} (${p.wilaya_id}) - ${p.montant} DA`], {
    widthPt: 420,
    heightPt: 298,
    fontSize: 14
  })

export async function startEcotrackSimulator(opts: EcotrackSimOptions): Promise<EcotrackSim> {
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

  // Fixed windows from the first hit, as Laravel's throttle does; one set per token.
  const windows = new Map<string, Array<{ start: number; count: number }>>()
  const spans = [60_000, 3_600_000, DAY]
  const limits = [ECOTRACK_LIMITS.minute, ECOTRACK_LIMITS.hour, ECOTRACK_LIMITS.day]
  const names = ['Minute', 'Hour', 'Day']
  const throttle = (key: string): { headers: Record<string, string>; blocked?: SimReply } => {
    const t = clock.now()
    const ws = windows.get(key) ?? spans.map(() => ({ start: t, count: 0 }))
    windows.set(key, ws)
    ws.forEach((w, i) => {
      if (t >= w.start + spans[i]!) {
        w.start = t
        w.count = 0
      }
    })
    const full = ws.findIndex((w, i) => w.count >= limits[i]!)
    const headers: Record<string, string> = {}
    const fill = () =>
      ws.forEach((w, i) => {
        headers[`X-RateLimit-Limit-${names[i]}`] = String(limits[i])
        headers[`X-RateLimit-Remaining-${names[i]}`] = String(Math.max(0, limits[i]! - w.count))
        headers[`X-RateLimit-Reset-${names[i]}`] = String(Math.ceil((w.start + spans[i]!) / 1000))
      })
    if (full >= 0) {
      fill()
      const reset = ws[full]!.start + spans[full]!
      stats.tooMany++
      return {
        headers,
        blocked: {
          status: 429,
          body: { message: 'Too Many Attempts.' },
          headers: {
            ...headers,
            'Retry-After': String(Math.max(1, Math.ceil((reset - t) / 1000))),
            'X-RateLimit-Reset': String(Math.ceil(reset / 1000)),
            'X-RateLimit-Limit': String(limits[full]),
            'X-RateLimit-Remaining': '0'
          }
        }
      }
    }
    ws.forEach((w) => w.count++)
    stats.calls++
    fill()
    return { headers }
  }

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

  /** Laravel-style validation of create/order fields; returns the errors map (empty when fine). */
  const validateOrder = (get: (k: string) => string | undefined, bulk = false): Record<string, string[]> => {
    const errors: Record<string, string[]> = {}
    const add = (k: string, m: string) => (errors[k] ??= []).push(m)
    const labels: Record<string, string> = {
      nom_client: 'nom client',
      telephone: 'téléphone',
      adresse: 'adresse',
      commune: 'commune',
      code_wilaya: 'code wilaya',
      montant: 'montant',
      type: 'type'
    }
    for (const [k, label] of Object.entries(labels)) if (!present(get(k))) add(k, `Le champ ${label} est obligatoire.`)
    for (const k of ['reference', 'nom_client', 'adresse', 'commune', 'remarque', 'produit', 'produit_a_recuperer', 'boutique']) {
      const v = get(k)
      if (v && v.length > 255) add(k, `Le texte ${k.replace(/_/g, ' ')} ne peut contenir plus de 255 caractères.`)
    }
    // create/order documents 9 to 10 digits; the bulk call's saved example accepts "05600000001"
    // (11 digits), so create/orders checks only that the number is numeric.
    for (const k of ['telephone', 'telephone_2']) {
      const v = get(k)
      if (present(v) && !(bulk ? /^\d+$/ : /^\d{9,10}$/).test(v))
        add(k, `Le champ ${k === 'telephone' ? 'téléphone' : 'téléphone 2'} doit contenir entre 9 et 10 chiffres.`)
    }
    const w = get('code_wilaya')
    if (present(w) && (!/^\d+$/.test(w) || Number(w) < 1 || Number(w) > 58))
      add('code_wilaya', 'La valeur de code wilaya doit être comprise entre 1 et 58.')
    const m = get('montant')
    if (present(m) && !/^\d+(\.\d+)?$/.test(m)) add('montant', 'Le champ montant doit être un nombre.')
    const ty = get('type')
    if (present(ty) && !['1', '2', '3', '4'].includes(ty)) add('type', 'Le champ type sélectionné est invalide.')
    for (const k of ['stop_desk', 'fragile', 'stock']) {
      const v = get(k)
      if (present(v) && !['0', '1'].includes(v)) add(k, `Le champ ${k.replace(/_/g, ' ')} doit être 0 ou 1.`)
    }
    if (get('stock') === '1' && !present(get('quantite'))) add('quantite', 'Le champ quantite est obligatoire quand stock est 1.')
    const c = get('commune')
    // Without a usable wilaya the API cannot place the commune either and says both (official sample).
    if (present(c) && (!present(w) || errors.code_wilaya)) {
      add('commune', 'Commune mal écrite, ou désactivée.')
      add('commune', 'Wilaya mal écrite, ou désactivée.')
    }
    if (present(c) && present(w) && !errors.code_wilaya) {
      const key = fold(c)
      if (!communes.some((x) => x.wilaya_id === Number(w) && fold(x.nom) === key)) add('commune', 'Commune mal écrite, ou désactivée.')
    }
    return errors
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

  const tokenOf = (req: SimRequest): { token: string | null; viaQuery: boolean } => {
    const q = req.query.get('api_token')
    if (q) return { token: q, viaQuery: true }
    const auth = req.headers.authorization
    const m = auth && /^Bearer\s+(.+)$/i.exec(auth)
    return { token: m ? m[1]!.trim() : null, viaQuery: false }
  }

  const handler = (req: SimRequest): SimReply => {
    const path = req.path.replace(/\/+$/, '') || '/'
    const { token, viaQuery } = tokenOf(req)
    if (path === '/api/v1/validate/token') {
      // Documented: the token goes in api_token here, the Bearer header alone is not enough.
      if (!viaQuery || !token) return { status: 200, body: { success: false, message: 'INVALID_TOKEN' } }
      if (opts.disabledTokens?.includes(token)) return { status: 200, body: { success: false, message: 'TOKEN_NOT_ALLOWED' } }
      return {
        status: 200,
        body: opts.tokens.includes(token) ? { success: true, message: 'VALID_TOKEN' } : { success: false, message: 'INVALID_TOKEN' }
      }
    }
    if (!token || !opts.tokens.includes(token) || (path === '/api/v1/get/orders/status' && !viaQuery)) {
      return { status: 401, body: { message: 'Unauthenticated.' } }
    }
    const th = throttle(token)
    if (th.blocked) return th.blocked
    const reply = route(req, path)
    reply.headers = { ...th.headers, ...reply.headers }
    return reply
  }

  const route = (req: SimRequest, path: string): SimReply => {
    const m = req.method
    const get = (k: string) => param(req, k)
    switch (`${m} ${path}`) {
      case 'GET /api/v1':
        return { status: 200, body: { success: true, message: 'API ECOTRACK' } }
      case 'POST /api/v1/create/order': {
        const errors = validateOrder(get)
        if (Object.keys(errors).length) return invalid(errors)
        if (!served.has(Number(get('code_wilaya')))) return business(10002, 'Pas de livraison pour la wilaya sélectionnée')
        return { status: 200, body: { success: true, tracking: createFrom(get).tracking } }
      }
      case 'POST /api/v1/create/orders': {
        const orders = req.form.orders as Record<string, Record<string, unknown>> | undefined
        if (!orders || typeof orders !== 'object') return invalid({ orders: ['Le champ orders est obligatoire.'] })
        const list = Object.values(orders)
        if (list.length > 100) return invalid({ orders: ['Le champ orders ne peut contenir plus de 100 éléments.'] })
        const results: Record<string, unknown> = {}
        let anyFailed = false
        list.forEach((o, i) => {
          const g = (k: string) => (o[k] === undefined || o[k] === null ? undefined : String(o[k]))
          const key = g('reference') ?? String(i)
          const errors = validateOrder(g, true)
          if (!errors.code_wilaya && present(g('code_wilaya')) && !served.has(Number(g('code_wilaya'))))
            (errors.code_wilaya ??= []).push('Pas de livraison pour la wilaya sélectionnée')
          if (Object.keys(errors).length) {
            anyFailed = true
            results[key] = errors
          } else results[key] = { success: true, tracking: createFrom(g).tracking }
        })
        return { status: anyFailed ? 422 : 200, body: { results } }
      }
      case 'POST /api/v1/update/order': {
        const p = findParcel(req)
        if (!p) return unknownTracking()
        if (p.validated) return business(10001, 'Commande non modifiable')
        const errors: Record<string, string[]> = {}
        // The item lists `wilaya`; its saved example sends `code_wilaya=17`: both name the wilaya.
        const wKey = present(get('wilaya')) ? 'wilaya' : 'code_wilaya'
        const w = get(wKey)
        if (present(w) && (!/^\d+$/.test(w) || Number(w) < 1 || Number(w) > 58))
          errors[wKey] = [`La valeur de ${wKey.replace('_', ' ')} doit être comprise entre 1 et 58.`]
        for (const k of ['tel', 'tel2'])
          if (present(get(k)) && !/^\d{9,10}$/.test(get(k)!)) errors[k] = [`Le champ ${k} doit contenir entre 9 et 10 chiffres.`]
        const ty = get('type')
        if (present(ty) && !['1', '2', '3', '4'].includes(ty)) errors.type = ['Le champ type sélectionné est invalide.']
        for (const k of ['stop_desk', 'fragile'])
          if (present(get(k)) && !['0', '1'].includes(get(k)!)) errors[k] = [`Le champ ${k.replace(/_/g, ' ')} doit être 0 ou 1.`]
        if (Object.keys(errors).length) return invalid(errors)
        if (present(ty)) p.type_id = Number(ty)
        if (present(get('stop_desk'))) p.stop_desk = get('stop_desk') === '1' ? 1 : 0
        if (present(get('client'))) p.client = get('client')!
        if (present(get('tel'))) p.phone = get('tel')!
        if (present(get('adresse'))) p.adresse = get('adresse')!
        if (present(get('commune'))) p.commune = get('commune')!
        if (present(w)) p.wilaya_id = Number(w)
        if (present(get('montant'))) p.montant = Number(get('montant'))
        if (present(get('reference'))) p.reference = get('reference')!
        return { status: 200, body: { success: true, message: 'Commande modifiée avec succès' } }
      }
      // The item says DELETE; its saved success example was sent as POST and answered: both work.
      case 'DELETE /api/v1/delete/order':
      case 'POST /api/v1/delete/order': {
        const p = findParcel(req)
        if (!p) return unknownTracking()
        if (p.validated) return business(10001, 'Commande non modifiable')
        p.deleted = true
        return { status: 200, body: { success: true, message: 'Commande supprimée' } }
      }
      case 'POST /api/v1/valid/order': {
        const p = findParcel(req)
        if (!p) return unknownTracking()
        if (!p.validated) {
          p.validated = true
          const t = clock.now()
          p.plan = [p.plan[0]!, ...ECO_FORWARD.slice(1).map((s, i) => ({ ...s, at: t + (i + 1) * ECO_STEP_GAP_MS }))]
        }
        return { status: 200, body: { success: true, message: 'Commande expedier avec succès' } }
      }
      case 'POST /api/v1/valid/returns': {
        const list = req.form.trackings
        if (!Array.isArray(list) || list.length === 0) return invalid({ trackings: ['Le champ trackings est obligatoire.'] })
        const bad = list.findIndex((t) => typeof t !== 'string' || !parcels.has(t))
        if (bad >= 0) return invalid({ [`trackings.${bad}`]: [`Le champ trackings.${bad} sélectionné est invalide.`] })
        let any = false
        for (const t of list as string[]) {
          const p = parcels.get(t)!
          if (current(p).order === 'retour_recu') {
            p.plan.push({ activity: 'Return_received', order: 'retour_archive', at: clock.now() })
            any = true
          }
        }
        return { status: 200, body: { returned: any ? 'success' : 'fail' } }
      }
      case 'GET /api/v1/get/order/label': {
        const p = findParcel(req)
        if (!p) return unknownTracking()
        return { status: 200, body: null, raw: { contentType: 'application/pdf', data: labelPdf(p) } }
      }
      case 'POST /api/v1/add/maj': {
        const p = findParcel(req)
        const content = get('content')
        const errors: Record<string, string[]> = {}
        if (!p)
          errors.tracking = [
            present(get('tracking')) ? 'Le champ tracking sélectionné est invalide.' : 'Le champ tracking est obligatoire.'
          ]
        if (!present(content)) errors.content = ['Le champ content est obligatoire.']
        else if (content.length > 255) errors.content = ['Le texte content ne peut contenir plus de 255 caractères.']
        if (Object.keys(errors).length) return invalid(errors)
        p!.remarks.push({ remarque: `${shop} : ${content}`, station: '', livreur: '', at: clock.now() })
        p!.plan.push({ activity: 'notification_on_order', order: current(p!).order, at: clock.now() })
        return { status: 200, body: { success: true, message: 'Mise a jour avec success' } }
      }
      case 'GET /api/v1/get/maj':
      case 'POST /api/v1/get/maj': {
        const p = findParcel(req)
        if (!p) return unknownTracking()
        return {
          status: 200,
          body: p.remarks.map((r) => ({
            remarque: r.remarque,
            station: r.station,
            livreur: r.livreur,
            created_at: `${ymd(r.at)} ${hms(r.at)}`,
            tracking: p.tracking
          }))
        }
      }
      case 'POST /api/v1/ask/for/order/return': {
        const p = findParcel(req)
        if (!p) return unknownTracking()
        if (!OUT_FOR_DELIVERY.has(current(p).order) || p.returnAsked)
          return business(10003, 'Le retour ne peut pas etre demandé pour cette commande')
        p.returnAsked = true
        const t = clock.now()
        // The courier acts on it: the rest of the forward path is replaced by the return path.
        p.plan = [...past(p), ...ECO_RETURN.map((s, i) => ({ ...s, at: t + 60_000 + i * ECO_STEP_GAP_MS }))]
        return { status: 200, body: { success: true, message: 'Retour demandé avec succès' } }
      }
      case 'GET /api/v1/get/tracking/info': {
        const p = findParcel(req)
        if (!p) return unknownTracking()
        return {
          status: 200,
          body: {
            recipientName: p.client,
            shippedBy: shop,
            originCity: 16,
            destLocationCity: p.wilaya_id,
            activity: past(p).map((s) => ({
              date: ymd(s.at),
              time: hms(s.at),
              status: s.activity,
              ...(s.station ? { scanLocation: s.station } : {})
            }))
          }
        }
      }
      case 'GET /api/v1/get/trackings/info': {
        const list = req.query
          .getAll('trackings[]')
          .flatMap((t) => t.replace(/^\[|\]$/g, '').split(','))
          .map((t) => t.trim())
          .filter(Boolean)
        if (!list.length) return invalid({ trackings: ['Le champ trackings est obligatoire.'] })
        if (list.length > 100) return invalid({ trackings: ['Le champ trackings ne peut contenir plus de 100 éléments.'] })
        if (list.some((t) => !parcels.has(t))) return invalid({ tracking: ['Le champ tracking sélectionné est invalide.'] })
        // No success sample is published: the item documents the French display statuses and the
        // activity codes, so each tracking gets both, keyed by tracking as get/orders/status does.
        const out: Record<string, unknown> = {}
        for (const t of list) {
          const p = parcels.get(t)!
          out[t] = {
            status: DISPLAY_STATUS[current(p).order] ?? current(p).order,
            activity: past(p).map((s) => ({ date: ymd(s.at), time: hms(s.at), status: s.activity }))
          }
        }
        return { status: 200, body: { data: out } }
      }
      case 'GET /api/v1/get/orders': {
        const t = clock.now()
        const start = get('start_date')
        const end = get('end_date')
        const errors: Record<string, string[]> = {}
        const dateOk = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s))
        if (present(start) && !dateOk(start)) errors.start_date = ['Le champ start date ne correspond pas au format Y-m-d.']
        if (present(end) && !dateOk(end)) errors.end_date = ['Le champ end date ne correspond pas au format Y-m-d.']
        const pageRaw = get('page')
        if (present(pageRaw) && !/^\d+$/.test(pageRaw)) errors.page = ['Le champ page doit être un entier.']
        if (Object.keys(errors).length) return invalid(errors)
        // Dates are Algiers calendar days.
        const from = (present(start) ? Date.parse(start) : Date.parse(ymd(t - 90 * DAY))) - ALGIERS
        const to = present(end) ? Date.parse(end) + DAY - ALGIERS : t + DAY
        const only = get('tracking')
        const rows = [...parcels.values()]
          .filter(
            (p) =>
              !p.deleted &&
              !ARCHIVED.has(current(p).order) &&
              p.createdAt >= from &&
              p.createdAt < to &&
              (!present(only) || p.tracking === only)
          )
          .sort((a, b) => b.createdAt - a.createdAt || (a.tracking < b.tracking ? 1 : -1))
        const per = 40
        const last = Math.max(1, Math.ceil(rows.length / per))
        const page = Math.max(1, Number(pageRaw ?? 1))
        const base = `http://127.0.0.1:${server.port}/api/v1/get/orders`
        const slice = rows.slice((page - 1) * per, page * per)
        const pageUrl = (n: number) => `${base}?page=${n}`
        return {
          status: 200,
          body: {
            current_page: page,
            data: slice.map(orderRow),
            first_page_url: pageUrl(1),
            from: slice.length ? (page - 1) * per + 1 : null,
            last_page: last,
            last_page_url: pageUrl(last),
            links: [
              { url: page > 1 ? pageUrl(page - 1) : null, label: '&laquo; Précédent', active: false },
              ...Array.from({ length: last }, (_, i) => ({ url: pageUrl(i + 1), label: String(i + 1), active: i + 1 === page })),
              { url: page < last ? pageUrl(page + 1) : null, label: 'Suivant &raquo;', active: false }
            ],
            next_page_url: page < last ? pageUrl(page + 1) : null,
            path: base,
            per_page: per,
            prev_page_url: page > 1 ? pageUrl(page - 1) : null,
            to: slice.length ? (page - 1) * per + slice.length : null,
            total: rows.length
          }
        }
      }
      case 'GET /api/v1/get/orders/status': {
        const trackings = (get('trackings') ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
        const statuses = (get('status') ?? '')
          .split(',')
          .map((s) => fold(s))
          .filter(Boolean)
        const errors: Record<string, string[]> = {}
        if (!trackings.length) errors.trackings = ['Le champ trackings est obligatoire.']
        else if (trackings.length > 100) errors.trackings = ['Le champ trackings ne peut contenir plus de 100 éléments.']
        if (!statuses.length) errors.status = ['Le champ status est obligatoire.']
        else if (statuses.some((s) => s !== 'all' && !ORDER_STATUSES.has(s))) errors.status = ['Le champ status sélectionné est invalide.']
        if (Object.keys(errors).length) return invalid(errors)
        const data: Record<string, unknown> = {}
        for (const t of trackings) {
          const p = parcels.get(t)
          if (!p || p.deleted) continue
          if (!statuses.includes('all') && !statuses.includes(current(p).order)) continue
          data[t] = statusEntry(p)
        }
        return { status: 200, body: { data } }
      }
      case 'GET /api/v1/get/wilayas':
        return { status: 200, body: ref.wilayas }
      case 'GET /api/v1/get/communes': {
        const w = get('wilaya_id')
        if (present(w) && (!/^\d+$/.test(w) || Number(w) < 1 || Number(w) > 58))
          return invalid({ wilaya_id: ['La valeur de wilaya id doit être comprise entre 1 et 58.'] })
        if (!present(w)) return { status: 200, body: ref.communes }
        const out: Record<string, Commune> = {}
        communes.filter((c) => c.wilaya_id === Number(w)).forEach((c, i) => (out[String(i)] = c))
        return { status: 200, body: out }
      }
      case 'GET /api/v1/get/fees':
        return { status: 200, body: ref.fees }
      case 'GET /api/v1/get/products/list':
        return {
          status: 200,
          body: {
            products: [
              {
                reference: '290444',
                barcode: null,
                title: 'Livre',
                is_active: 1,
                image: null,
                stock_disponible: 1,
                stock_reserve: 1,
                stock_phisique: 2
              }
            ],
            pagination: { current_page: 1, last_page: 1, per_page: 15, total: 1, from: 1, to: 1 }
          }
        }
      default:
        return { status: 404, body: { message: 'Not Found' } }
    }
  }

  const server = await startSimServer({ handler, clock, port: opts.port, name: 'ecotrack' })
  return Object.assign(server, {
    addParcel,
    setServed: (w: number, on: boolean) => void (on ? served.add(w) : served.delete(w)),
    statusOf: (t: string) => {
      const p = parcels.get(t)
      return p ? current(p).order : null
    },
    stats
  })
}
