// The ECOTRACK API paths (contract note §1.6 and the official Postman collection): each request's
// parameter rules, business errors and answer, over the simulator's state.
import type { SimReply, SimRequest } from '../../sim/server'
import { business, invalid, unknownTracking } from './faults'
import { ECO_FORWARD, ECO_RETURN, ECO_STEP_GAP_MS } from './fixtures'
import { DAY } from '../../../platform/clock'
import {
  ALGIERS,
  ARCHIVED,
  DISPLAY_STATUS,
  fold,
  hms,
  labelPdf,
  OUT_FOR_DELIVERY,
  ORDER_STATUSES,
  ymd,
  type Commune,
  type EcotrackState
} from './state'

/** `serverUrl` gives the simulator's own address, for the paginator's links. */
export function ecotrackRoutes(st: EcotrackState, serverUrl: () => string) {
  const { clock, shop, ref, served, communes, parcels, past, current, param, present, findParcel, createFrom, orderRow, statusEntry } = st

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
        const base = `${serverUrl()}/api/v1/get/orders`
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
  return route
}
