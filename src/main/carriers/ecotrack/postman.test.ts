// Replays the official ECOTRACK Postman collection VERBATIM against the simulator: every saved
// example's own request (method, URL, body exactly as saved; Postman variables filled from one
// environment, as Postman itself does) must get the example's status and a body of the same shape
// (same keys at every level, same JSON types; null matches anything, as nullable fields do).
// Between examples the test may only change the server's state (clock, served wilayas), never a request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../platform/clock'
import { loadSpec } from '../testing/specs.testkit'
import { ECO_FORWARD } from './sim/fixtures'
import { startEcotrackSimulator, type EcotrackSim } from './sim/simulator'

interface PmRequest {
  method: string
  url: { raw: string } | string
  body?: { mode?: string; raw?: string }
  header?: Array<{ key: string; value: string; disabled?: boolean }>
}
interface PmResponse {
  name: string
  code?: number
  body?: string
  originalRequest: PmRequest
}
interface PmItem {
  name: string
  item?: PmItem[]
  request?: PmRequest
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

function examples(): Array<{ request: string; response: PmResponse }> {
  const c = loadSpec<{ item: PmItem[] }>('ecotrack-postman-collection.json')
  const out: Array<{ request: string; response: PmResponse }> = []
  const walk = (items: PmItem[]) => {
    for (const it of items) {
      if (it.item) walk(it.item)
      else for (const r of it.response ?? []) if (r.body?.trim()) out.push({ request: it.name.trim(), response: r })
    }
  }
  walk(c.item)
  return out
}

const TOKEN = 'postman-walk-token-01'
const clock = new ManualClock(Date.UTC(2026, 10, 24, 9, 0, 0))
let sim: EcotrackSim

/** The Postman environment: one value per variable, for the whole run. `tracking` is not a parcel. */
const env = (): Record<string, string> => ({
  url: sim.url,
  api_token: TOKEN,
  token: TOKEN,
  tracking: 'ECQFLD0000000000',
  int: '1',
  tracking1: 'ECLWIT2505052286',
  tracking2: 'ECLWIT2507162547',
  tracking3: 'ECLWIT2505052287',
  status1: 'en_preparation',
  status2: 'en_livraison',
  status3: 'encaisse_non_paye'
})
const fill = (text: string) => text.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => env()[k] ?? `{{${k}}}`)

/** Server state before an example (by its saved name): what had happened upstream when it was saved. */
const BEFORE: Record<string, () => Promise<void> | void> = {
  'Taux limite': async () => {
    for (let i = 0; i < 50; i++) await fetch(`${sim.url}/api/v1/`, { headers: { authorization: `Bearer ${TOKEN}` } })
  },
  'Ajouter une commande - Erreur parametres': () => clock.advance(61_000), // the minute window is over
  'Ajouter une commande - Erreur wilaya': () => sim.setServed(16, false),
  'Ajouter plusieurs commandes - Erreur parametres': () => sim.setServed(16, true),
  // The parcel the remark, tracking and return examples follow: at the hub, then with its driver.
  'Ajouter une information de suivi sur le colis': () =>
    void sim.addParcel({
      reference: 'R',
      client: 'client',
      phone: '0550000000',
      adresse: 'Alger',
      commune: 'Kouba',
      wilaya_id: 16,
      montant: 1000,
      stop_desk: 0,
      ageHours: 48,
      tracking: 'ECQFLD2103047673',
      done: 3,
      path: ECO_FORWARD
    }),
  // The parcel reaches its driver: a return may now be asked.
  "Demander le retour d'un colis": () => clock.advance(61_000)
}

describe('ECOTRACK simulator replays the official Postman collection verbatim', () => {
  beforeAll(async () => {
    sim = await startEcotrackSimulator({ clock, tokens: [TOKEN], parcels: [], shopName: 'Test Shop' })
    const base = {
      reference: 'R',
      client: 'client',
      phone: '0550000000',
      adresse: 'Alger',
      commune: 'Kouba',
      wilaya_id: 16,
      montant: 1000,
      stop_desk: 0 as const,
      ageHours: 48
    }
    // The parcels the saved examples name, in the state each example shows.
    sim.addParcel({ ...base, tracking: 'ECQFLD2102097671', done: 1, path: ECO_FORWARD }) // editable, then deleted
    sim.addParcel({ ...base, tracking: 'ECQFLD2102097670', done: 1, path: ECO_FORWARD }) // to validate
    sim.addParcel({ ...base, tracking: 'ECQFLD2103057671', done: 2, path: ECO_FORWARD }) // shipped: locked
    sim.addParcel({
      ...base,
      tracking: 'ECLWIT2505052286',
      done: 5,
      path: [...ECO_FORWARD.slice(0, 4), { activity: 'attempt_delivery', order: 'en_preparation', reason: 'Le client est absent' }]
    })
    sim.addParcel({ ...base, tracking: 'ECLWIT2507162547', done: 4, path: ECO_FORWARD.slice(0, 4) })
    sim.addParcel({ ...base, tracking: 'ECLWIT2505052287', done: 7, path: ECO_FORWARD.slice(0, 7) })
  })
  afterAll(async () => {
    await sim.close()
  })

  const all = examples()

  it('walks every saved example of the collection (none skipped)', () => {
    expect(all.length).toBe(25)
  })

  // In collection order: the examples are a story (create, update, delete, validate, follow).
  it.each(all.map((e, i) => [i + 1, e.request, e.response.name.trim(), e] as const))('%i %s | %s', async (_i, _req, name, e) => {
    await BEFORE[name]?.()
    const o = e.response.originalRequest
    const raw = fill(typeof o.url === 'string' ? o.url : o.url.raw)
    const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }
    for (const h of o.header ?? []) if (!h.disabled) headers[h.key] = fill(h.value)
    const body = o.body?.mode === 'raw' && o.body.raw ? fill(o.body.raw) : undefined
    if (body) headers['content-type'] ??= 'application/json'
    const res = await fetch(new URL(raw), { method: o.method, headers, body })
    expect(res.status).toBe(e.response.code ?? 200)
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
