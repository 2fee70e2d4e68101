// ECOTRACK conformance of the client: every request it sends (captured at the simulator) is a
// request of the official Postman collection: a documented method and path, and only the query
// parameters that item documents. Plus the behaviours the collection's examples show.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../platform/clock'
import { silentLogger } from '../../platform/logger'
import { loadSpec } from '../testing/specs.testkit'
import { createEcotrackAdapter, type EcotrackAdapter } from './client'
import { ECO_FORWARD } from './sim/fixtures'
import { startEcotrackSimulator, type EcotrackSim } from './sim/simulator'

interface PmRequest {
  method: string
  url: { raw: string; query?: Array<{ key: string }> }
}
interface PmItem {
  item?: PmItem[]
  request?: PmRequest
  response?: Array<{ originalRequest: PmRequest }>
}

/** "METHOD /api/v1/path" -> the query names its item (or a saved example of it) documents. */
function documented(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>()
  const add = (r: PmRequest) => {
    const path = new URL(r.url.raw.replace('{{url}}', 'http://x').split('?')[0]!).pathname.replace(/\/+$/, '')
    const key = `${r.method} ${path}`
    const names = out.get(key) ?? new Set<string>()
    for (const q of r.url.query ?? []) names.add(q.key)
    for (const k of new URLSearchParams(r.url.raw.split('?')[1] ?? '').keys()) names.add(k)
    out.set(key, names)
  }
  const walk = (items: PmItem[]) => {
    for (const it of items) {
      if (it.item) walk(it.item)
      if (it.request) add(it.request)
      for (const r of it.response ?? []) add(r.originalRequest)
    }
  }
  walk(loadSpec<{ item: PmItem[] }>('ecotrack-postman-collection.json').item!)
  return out
}

describe('ECOTRACK client against the official Postman collection', () => {
  const clock = new ManualClock(Date.UTC(2026, 10, 24, 9, 0, 0))
  const TOKEN = 'conformance-token-0001'
  let sim: EcotrackSim
  let eco: EcotrackAdapter

  beforeAll(async () => {
    sim = await startEcotrackSimulator({ clock, tokens: [TOKEN], shopName: 'Test Shop' })
    eco = createEcotrackAdapter(
      { carrier: 'ecotrack', alias: 'c', baseUrl: sim.url, credentials: { token: TOKEN } },
      { now: () => clock.now(), logger: silentLogger, timeoutMs: 2000, maxRetries: 0 }
    )
  })
  afterAll(() => sim.close())

  it('sends only documented methods, paths and query parameter names', async () => {
    const from = sim.log.length
    await eco.checkToken()
    const { trackingNumber: t } = await eco.createOrder({
      nom_client: 'Mohamed Tahar',
      telephone: '0560000000',
      adresse: 'rue med slimani',
      commune: 'Kouba',
      code_wilaya: 16,
      montant: 2900,
      type: 1,
      reference: 'CF-1'
    })
    await eco.updateOrder(t, { montant: 3000, reference: 'CF-1b' })
    await eco.validateOrder(t)
    await eco.addRemark!(t, 'Livraison avant 17:00 h', { idempotencyKey: 'k' })
    await eco.listRemarks(t)
    await eco.history(t)
    await eco.histories([t])
    await eco.track([t])
    await eco.filterByStatus([t], 'all')
    await eco.listOrders({ page: 1 })
    await eco.wilayas()
    await eco.communes(16)
    await eco.fees()
    const { trackingNumber: t2 } = await eco.createOrder({
      nom_client: 'B',
      telephone: '0560000001',
      adresse: 'rue',
      commune: 'Kouba',
      code_wilaya: 16,
      montant: 100,
      type: 1
    })
    await eco.cancel!(t2, { idempotencyKey: 'c' })

    const docs = documented()
    const sent = sim.log.slice(from)
    expect(sent.length).toBeGreaterThan(14)
    for (const e of sent) {
      const u = new URL(e.url, sim.url)
      const key = `${e.method} ${u.pathname.replace(/\/+$/, '')}`
      expect(docs.has(key), key).toBe(true)
      const allowed = docs.get(key)!
      for (const name of u.searchParams.keys()) expect(allowed.has(name) || name === 'api_token', `${key} ?${name}`).toBe(true)
      expect(e.status, key).toBe(200)
    }
    expect(sent.some((e) => e.url.startsWith('/api/v1/get/trackings/info?trackings%5B%5D='))).toBe(true)
  })

  it('a merchant remark shows in the status activity as a remark, not as a delivery attempt', async () => {
    const t = sim.addParcel({
      reference: 'R',
      client: 'client',
      phone: '0550000000',
      adresse: 'Alger',
      commune: 'Kouba',
      wilaya_id: 16,
      montant: 1000,
      stop_desk: 0,
      ageHours: 48,
      tracking: 'ECQFLD2611300001',
      done: 4,
      path: ECO_FORWARD
    })
    await eco.addRemark!(t, 'Appelez avant de passer', { idempotencyKey: 'r' })
    const [r] = await eco.track([t])
    if (!r!.ok) throw new Error('unreachable')
    const remark = r!.events.find((e) => e.comment?.includes('Appelez avant de passer'))
    expect(remark).toMatchObject({ nativeStatus: 'notification_on_order', label: 'Écrire une remarque' })
    expect(r!.events.filter((e) => e.nativeStatus === 'attempt_delivery')).toEqual([])
  })

  it('get/trackings/info: activity codes of several parcels in one call; an unknown one is the documented 422', async () => {
    const h = await eco.histories(['ECQFLD2611300001'])
    expect(h.get('ECQFLD2611300001')!.map((e) => e.nativeStatus)).toContain('dispatched_to_driver')
    await expect(eco.histories(['ECQFLD2611300001', 'ECQFLD0000000000'])).rejects.toMatchObject({ code: 'not_found' })
  })
})
