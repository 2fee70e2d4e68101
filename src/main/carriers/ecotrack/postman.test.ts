import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../platform/clock'
import { ECO_FORWARD } from './sim/fixtures'
import { startEcotrackSimulator, type EcotrackSim } from './sim/simulator'

// Walks the official ECOTRACK Postman collection: for every documented example response, asks the
// simulator the matching question and checks its answer has the same shape (same keys at every
// level, same JSON types; null matches anything, as nullable fields do upstream).
// shared/ sits beside the repository (as CI lays it out).
const COLLECTION =
  process.env.ECOTRACK_POSTMAN ?? resolve(__dirname, '../../../../../shared/carriers/specs/ecotrack-postman-collection.json')

interface PmResponse {
  name: string
  code?: number
  body?: string
}
interface PmItem {
  name: string
  item?: PmItem[]
  request?: { method: string }
  response?: PmResponse[]
}

type Shape = string | { obj: Record<string, Shape> } | { arr: Shape | null } | { map: Shape | null }

// Keys that are data, not field names: indexes ("0"), tracking numbers, references ("DEMO852").
const DYNAMIC_KEY = /^(\d+|[A-Z0-9]{6,})$/

function shapeOf(v: unknown): Shape {
  if (v === null) return 'null'
  if (Array.isArray(v)) return { arr: v.map(shapeOf).reduce<Shape | null>((a, b) => (a === null ? b : merge(a, b)), null) }
  if (typeof v === 'object') {
    const keys = Object.keys(v as object)
    if (keys.length && keys.every((k) => DYNAMIC_KEY.test(k)))
      return {
        map: Object.values(v as object)
          .map(shapeOf)
          .reduce<Shape | null>((a, b) => (a === null ? b : merge(a, b)), null)
      }
    return { obj: Object.fromEntries(keys.map((k) => [k, shapeOf((v as Record<string, unknown>)[k])])) }
  }
  return typeof v
}

function merge(a: Shape, b: Shape): Shape {
  if (a === 'null') return b
  if (b === 'null') return a
  if (typeof a === 'object' && typeof b === 'object') {
    if ('obj' in a && 'obj' in b) {
      const out: Record<string, Shape> = { ...a.obj }
      for (const [k, v] of Object.entries(b.obj)) out[k] = k in out ? merge(out[k]!, v) : v
      return { obj: out }
    }
    if ('arr' in a && 'arr' in b) return { arr: a.arr && b.arr ? merge(a.arr, b.arr) : (a.arr ?? b.arr) }
    if ('map' in a && 'map' in b) return { map: a.map && b.map ? merge(a.map, b.map) : (a.map ?? b.map) }
  }
  return a
}

/** Differences between the documented shape and the simulator's, as readable paths. */
function diff(doc: Shape | null, sim: Shape | null, path = '$'): string[] {
  if (doc === null || sim === null || doc === 'null' || sim === 'null') return []
  if (typeof doc === 'string' || typeof sim === 'string')
    return doc === sim ? [] : [`${path}: documented ${JSON.stringify(doc)}, simulator ${JSON.stringify(sim)}`]
  if ('obj' in doc && 'obj' in sim) {
    const out: string[] = []
    for (const k of Object.keys(doc.obj)) if (!(k in sim.obj)) out.push(`${path}.${k}: missing in simulator`)
    for (const k of Object.keys(sim.obj)) if (!(k in doc.obj)) out.push(`${path}.${k}: not documented`)
    for (const k of Object.keys(doc.obj)) if (k in sim.obj) out.push(...diff(doc.obj[k]!, sim.obj[k]!, `${path}.${k}`))
    return out
  }
  if ('arr' in doc && 'arr' in sim) return diff(doc.arr, sim.arr, `${path}[]`)
  if ('map' in doc && 'map' in sim) return diff(doc.map, sim.map, `${path}{}`)
  return [`${path}: documented ${Object.keys(doc)[0]}, simulator ${Object.keys(sim)[0]}`]
}

function examples(): Array<{ request: string; method: string; response: PmResponse }> {
  const c = JSON.parse(readFileSync(COLLECTION, 'utf8')) as { item: PmItem[] }
  const out: Array<{ request: string; method: string; response: PmResponse }> = []
  const walk = (items: PmItem[]) => {
    for (const it of items) {
      if (it.item) walk(it.item)
      else
        for (const r of it.response ?? [])
          if (r.body?.trim()) out.push({ request: it.name.trim(), method: it.request!.method, response: r })
    }
  }
  walk(c.item)
  return out
}

const TOKEN = 'postman-walk-token-01'
const PROBE = 'postman-probe-token-02'
const clock = new ManualClock()
let sim: EcotrackSim
let fresh: () => Promise<string>

/** For each documented example (by response name): the question that makes the simulator give it. */
const TRIGGERS: Record<string, () => Promise<{ method: string; path: string; body?: unknown; token?: string; expectStatus: number }>> = {
  "Vérification de validité d'un token": async () => ({
    method: 'GET',
    path: `/api/v1/validate/token?api_token=${TOKEN}`,
    expectStatus: 200
  }),
  'Taux limite': async () => {
    for (let i = 0; i < 50; i++) await fetch(`${sim.url}/api/v1/?api_token=${PROBE}`)
    return { method: 'GET', path: '/api/v1/', token: PROBE, expectStatus: 429 }
  },
  'Ajouter une commande - Erreur parametres': async () => ({
    method: 'POST',
    path: '/api/v1/create/order?reference&nom_client=&telephone=&adresse=&code_wilaya=&montant=&type=',
    expectStatus: 422
  }),
  'Ajouter une commande': async () => ({ method: 'POST', path: `/api/v1/create/order?${order({})}`, expectStatus: 200 }),
  'Ajouter une commande - Erreur wilaya': async () => ({
    method: 'POST',
    path: `/api/v1/create/order?${order({ code_wilaya: '12', commune: 'Tebessa' })}`,
    expectStatus: 200
  }),
  'Ajouter plusieurs commandes - Erreur parametres': async () => ({
    method: 'POST',
    path: '/api/v1/create/orders',
    body: {
      orders: {
        '0': {
          reference: 'DEMO852',
          nom_client: 'client 1',
          telephone: '',
          adresse: '17 rue med',
          commune: 'Oum Touyour',
          code_wilaya: '',
          montant: '5000',
          type: '1'
        },
        '1': {
          reference: 'DEMO853',
          nom_client: 'client 2',
          telephone: '0500000002',
          adresse: '17 rue med',
          commune: 'Batna',
          code_wilaya: '5',
          montant: '5000',
          type: '1'
        }
      }
    },
    expectStatus: 422
  }),
  'Modifier une commande': async () => ({
    method: 'POST',
    path: `/api/v1/update/order?tracking=${await fresh()}&reference=2904&montant=7000`,
    expectStatus: 200
  }),
  'Modifier une commande - Erreur tracking': async () => ({
    method: 'POST',
    path: '/api/v1/update/order?tracking=ECQFLD0000000000',
    expectStatus: 422
  }),
  'Modifier une commande - Erreur commande non modifiable': async () => ({
    method: 'POST',
    path: '/api/v1/update/order?tracking=ECQFLD2611240017&montant=1',
    expectStatus: 200
  }),
  'Supprimer une commande - Erreur commande non modifiable': async () => ({
    method: 'DELETE',
    path: '/api/v1/delete/order?tracking=ECQFLD2611240017',
    expectStatus: 200
  }),
  'Supprimer une commande': async () => ({ method: 'DELETE', path: `/api/v1/delete/order?tracking=${await fresh()}`, expectStatus: 200 }),
  'Valider & Expedier une commande': async () => ({
    method: 'POST',
    path: `/api/v1/valid/order?tracking=${await fresh()}`,
    expectStatus: 200
  }),
  'Ajouter une information de suivi sur le colis': async () => ({
    method: 'POST',
    path: '/api/v1/add/maj?tracking=ECQFLD2611240017&content=Livraison%20avant%2017:00%20h',
    expectStatus: 200
  }),
  'Liste des mise a jours appliquées sur un colis': async () => ({
    method: 'GET',
    path: '/api/v1/get/maj?tracking=ECQFLD2611240017',
    expectStatus: 200
  }),
  "Demander le retour d'un colis - Erreur": async () => ({
    method: 'POST',
    path: '/api/v1/ask/for/order/return?tracking=ECQFLD2611260021',
    expectStatus: 200
  }),
  "Demander le retour d'un colis": async () => ({
    method: 'POST',
    path: '/api/v1/ask/for/order/return?tracking=ECQFLDOUT0000001',
    expectStatus: 200
  }),
  'Suivi et historique des operations sur une commande - Erreur tracking': async () => ({
    method: 'GET',
    path: '/api/v1/get/tracking/info?tracking=ECQFLD0000000000',
    expectStatus: 422
  }),
  'Suivi et historique des operations sur une commande': async () => ({
    method: 'GET',
    path: '/api/v1/get/tracking/info?tracking=ECQFLDOUT0000001',
    expectStatus: 200
  }),
  'Liste des commandes avec status': async () => ({ method: 'GET', path: '/api/v1/get/orders?page=1', expectStatus: 200 }),
  'Filtre des commandes par status': async () => ({
    method: 'GET',
    path: `/api/v1/get/orders/status?api_token=${TOKEN}&trackings=ECQFLDPREP000001,ECQFLDOUT0000001,ECQFLDCASH000001&status=all`,
    expectStatus: 200
  }),
  'Liste des wilayas actives': async () => ({ method: 'GET', path: '/api/v1/get/wilayas', expectStatus: 200 }),
  'Liste des communes actives': async () => ({ method: 'GET', path: '/api/v1/get/communes', expectStatus: 200 }),
  'Tarifs des prestations': async () => ({ method: 'GET', path: '/api/v1/get/fees', expectStatus: 200 }),
  'Liste des produits': async () => ({ method: 'GET', path: '/api/v1/get/products/list', expectStatus: 200 })
}

const order = (o: Record<string, string>) =>
  new URLSearchParams({
    reference: 'EC2909',
    nom_client: 'Mohamed Tahar',
    telephone: '0560000000',
    telephone_2: '0770000000',
    adresse: 'rue med slimani - Kouba Alger',
    code_postal: '16018',
    commune: 'Kouba',
    code_wilaya: '16',
    montant: '2900',
    remarque: 'Livraison urgente',
    produit: 'Livre',
    boutique: 'Ma boutique',
    type: '1',
    ...o
  }).toString()

describe('ECOTRACK simulator against the official Postman collection', () => {
  beforeAll(async () => {
    sim = await startEcotrackSimulator({ clock, tokens: [TOKEN, PROBE] })
    const base = {
      reference: 'R',
      client: 'Client',
      phone: '0550000000',
      adresse: 'Alger',
      commune: 'Kouba',
      wilaya_id: 16,
      montant: 1000,
      stop_desk: 0 as const,
      ageHours: 48
    }
    // Parcels in the three states of the documented status sample: in preparation with attempt
    // reasons, out for delivery (driver phone), cashed not paid (estimated fee).
    sim.addParcel({
      ...base,
      tracking: 'ECQFLDPREP000001',
      done: 5,
      path: [...ECO_FORWARD.slice(0, 4), { activity: 'attempt_delivery', order: 'en_preparation', reason: 'Le client est absent' }]
    })
    sim.addParcel({ ...base, tracking: 'ECQFLDOUT0000001', done: 4, path: ECO_FORWARD.slice(0, 4) })
    sim.addParcel({ ...base, tracking: 'ECQFLDCASH000001', done: 7, path: ECO_FORWARD.slice(0, 7) })
    fresh = async () => {
      const r = await fetch(`${sim.url}/api/v1/create/order?${order({})}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}` }
      })
      return ((await r.json()) as { tracking: string }).tracking
    }
  })
  afterAll(async () => {
    await sim.close()
  })

  const all = examples()

  it('documents the examples this walk expects (none forgotten, none unknown)', () => {
    const names = [...new Set(all.map((e) => e.response.name.trim()))].sort()
    expect(names).toEqual(Object.keys(TRIGGERS).sort())
  })

  it.each(all.map((e) => [e.request, e.response.name.trim(), e] as const))('%s | %s', async (_req, name, e) => {
    const t = await TRIGGERS[name]!()
    const headers: Record<string, string> = { authorization: `Bearer ${t.token ?? TOKEN}` }
    if (t.body) headers['content-type'] = 'application/json'
    const res = await fetch(`${sim.url}${t.path}`, { method: t.method, headers, body: t.body ? JSON.stringify(t.body) : undefined })
    expect(res.status).toBe(e.response.code ?? t.expectStatus)
    expect(res.headers.get('content-type')).toMatch(/application\/json/)
    // The collection's token sample uses single quotes; it means JSON.
    const documented = JSON.parse(
      e.response.body!.trim().startsWith("{ '") ? e.response.body!.replace(/'/g, '"') : e.response.body!
    ) as unknown
    const answered = (await res.json()) as unknown
    expect(diff(shapeOf(documented), shapeOf(answered))).toEqual([])
  })

  it('the shape check itself notices a missing or extra key and a wrong type', () => {
    expect(diff(shapeOf({ a: 1, b: 'x' }), shapeOf({ a: 1 }))).toEqual(['$.b: missing in simulator'])
    expect(diff(shapeOf({ a: 1 }), shapeOf({ a: 1, c: true }))).toEqual(['$.c: not documented'])
    expect(diff(shapeOf({ a: [{ n: 1 }] }), shapeOf({ a: [{ n: '1' }] }))).toEqual(['$.a[].n: documented "number", simulator "string"'])
    expect(diff(shapeOf({ a: null }), shapeOf({ a: 'x' }))).toEqual([])
  })
})
