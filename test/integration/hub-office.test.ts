// Head office against a real throwaway PostgreSQL cluster: users and sessions (scrypt, a cookie
// kept hashed, expiry, throttled guesses, disabled users), the Host/Origin rules browser mode
// uses, roles, and the typed network read-out fed by a desk's push.
import type { IncomingMessage } from 'node:http'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openHubDatabase, type HubDatabase } from '../../src/hub/db/postgres'
import { startHubHttp, type HubHttp } from '../../src/hub/http'
import { clientAddress, createOffice, SESSION_COOKIE, type Office } from '../../src/hub/office'
import { HubStore } from '../../src/hub/store'
import { userCommand } from '../../src/hub/user-cli'
import { createLogger } from '../../src/main/platform/logger'
import { HubClient } from '../../src/main/features/hub-sync/client'
import { HUB_PROTOCOL } from '../../src/shared/hub/contract'
import { officeInfoSchema, officeNetworkSchema, officePointStockSchema, officeRefusalSchema } from '../../src/shared/hub/office'
import { startPgCluster, type PgCluster } from '../helpers/pg-cluster'

let cluster: PgCluster
let db: HubDatabase
let store: HubStore
let office: Office
let http: HubHttp
let clock = Date.parse('2026-11-27T09:00:00Z')

beforeAll(async () => {
  cluster = await startPgCluster()
  db = await openHubDatabase({ url: cluster.url, dataDir: cluster.dir })
  store = new HubStore(db.pool)
  office = createOffice(db.pool, store, { now: () => clock, maxFailures: 3, lockMs: 60_000, maxFailuresPerAddress: 1_000 })
  http = await startHubHttp({ store, office, logger: createLogger({ level: 'error' }), host: '127.0.0.1', port: 0 })
  await office.users.add('chef', 'un mot de passe long', 'admin')
  await office.users.add('lecteur', 'un autre mot de passe', 'viewer')
}, 60_000)

afterAll(async () => {
  await http?.close()
  await db?.close()
  cluster?.stop()
})

const origin = () => http.url
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(http.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: origin(), ...headers },
    body: JSON.stringify(body)
  })

async function login(name: string, password: string): Promise<{ status: number; cookie: string; body: unknown }> {
  const r = await post('/office/v1/login', { name, password })
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  return { status: r.status, cookie, body: await r.json() }
}

const refusal = async (r: Response) => officeRefusalSchema.parse(await r.json()).refused

describe('head-office users and sessions', () => {
  it('keeps passwords as salted scrypt: two users with one password have different hashes', async () => {
    await office.users.add('a1', 'le meme mot de passe', 'viewer')
    await office.users.add('a2', 'le meme mot de passe', 'viewer')
    const rows = (await db.pool.query(`SELECT password_hash FROM users WHERE name IN ('a1','a2')`)).rows
    expect(rows[0].password_hash).toMatch(/^scrypt\$/)
    expect(rows[0].password_hash).not.toBe(rows[1].password_hash)
    expect(JSON.stringify(rows)).not.toContain('le meme')
  })

  it('refuses a wrong password and an unknown name alike, and sets no cookie', async () => {
    const wrong = await login('chef', 'pas le bon mot de passe')
    expect(wrong).toMatchObject({ status: 401, cookie: '', body: { refused: 'office.bad_login' } })
    const unknown = await login('personne', 'pas le bon mot de passe')
    expect(unknown).toMatchObject({ status: 401, cookie: '', body: { refused: 'office.bad_login' } })
  })

  it('opens an HttpOnly SameSite=Strict session kept hashed, and closes it at logout', async () => {
    const r = await post('/office/v1/login', { name: 'chef', password: 'un mot de passe long' })
    expect(r.status).toBe(200)
    const set = r.headers.get('set-cookie') ?? ''
    expect(set).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43};`))
    expect(set).toContain('HttpOnly')
    expect(set).toContain('SameSite=Strict')
    const cookie = set.split(';')[0]!
    const token = cookie.split('=')[1]!
    const stored = (await db.pool.query('SELECT token_hash FROM sessions')).rows.map((x) => x.token_hash as string)
    expect(stored).not.toContain(token)
    expect(stored.length).toBeGreaterThan(0)
    const info = officeInfoSchema.parse(await (await fetch(http.url + '/office/v1/info', { headers: { cookie } })).json())
    expect(info).toMatchObject({ mode: 'hub', user: { name: 'chef', role: 'admin' } })
    expect((await post('/office/v1/logout', {}, { cookie })).status).toBe(200)
    const after = await fetch(http.url + '/office/v1/network', { headers: { cookie } })
    expect(after.status).toBe(401)
    expect(await refusal(after)).toBe('office.signed_out')
  })

  it('ends a session at its expiry', async () => {
    const { cookie } = await login('chef', 'un mot de passe long')
    expect((await fetch(http.url + '/office/v1/network', { headers: { cookie } })).status).toBe(200)
    clock += 12 * 3600_000 + 1
    try {
      const r = await fetch(http.url + '/office/v1/network', { headers: { cookie } })
      expect(r.status).toBe(401)
      expect(await refusal(r)).toBe('office.signed_out')
    } finally {
      clock -= 12 * 3600_000 + 1
    }
  })

  it('refuses a disabled user even with the right password, and ends their open sessions', async () => {
    await office.users.add('parti', 'un mot de passe long', 'viewer')
    const { cookie } = await login('parti', 'un mot de passe long')
    expect((await fetch(http.url + '/office/v1/network', { headers: { cookie } })).status).toBe(200)
    await office.users.setDisabled('parti', true)
    expect((await fetch(http.url + '/office/v1/network', { headers: { cookie } })).status).toBe(401)
    expect(await login('parti', 'un mot de passe long')).toMatchObject({ status: 403, cookie: '', body: { refused: 'office.disabled' } })
    // A wrong password for a disabled user reads as any wrong password: nothing about the account.
    expect(await login('parti', 'mauvais mot de passe')).toMatchObject({ status: 401, body: { refused: 'office.bad_login' } })
  })

  it('locks a user after repeated wrong passwords, even against the right one, until the lock ends', async () => {
    await office.users.add('cible', 'le vrai mot de passe', 'viewer')
    for (let i = 0; i < 3; i++) expect((await login('cible', `essai ${i} faux`)).status).toBe(401)
    const locked = await login('cible', 'le vrai mot de passe')
    expect(locked.status).toBe(429)
    expect(locked.body).toMatchObject({ refused: 'office.throttled' })
    expect((locked.body as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0)
    clock += 61_000
    try {
      expect((await login('cible', 'le vrai mot de passe')).status).toBe(200)
    } finally {
      clock -= 61_000
    }
  })

  it('holds off one address guessing across many names', async () => {
    const users = createOffice(db.pool, store, { now: () => clock, maxFailuresPerAddress: 3 }).users
    for (let i = 0; i < 3; i++) await expect(users.login(`x${i}`, 'faux faux faux', '10.0.0.9')).rejects.toMatchObject({ status: 401 })
    await expect(users.login('chef', 'un mot de passe long', '10.0.0.9')).rejects.toMatchObject({ status: 429 })
    await expect(users.login('chef', 'un mot de passe long', '10.0.0.10')).resolves.toMatchObject({ user: { name: 'chef' } })
  })
})

describe('the client address behind a proxy', () => {
  const req = (remote: string, forwarded?: string) =>
    ({ socket: { remoteAddress: remote }, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} }) as unknown as IncomingMessage
  it('takes the proxy’s last hop from loopback only, so a client cannot pick its own throttle bucket', () => {
    expect(clientAddress(req('127.0.0.1', '6.6.6.6, 203.0.113.7'))).toBe('203.0.113.7')
    expect(clientAddress(req('::ffff:127.0.0.1', '203.0.113.8'))).toBe('203.0.113.8')
    expect(clientAddress(req('198.51.100.2', '203.0.113.7'))).toBe('198.51.100.2')
    expect(clientAddress(req('127.0.0.1'))).toBe('127.0.0.1')
  })
})

describe('CSRF and DNS rebinding, as in browser mode', () => {
  it('refuses a login or a write without this hub’s Origin, or with a form body', async () => {
    const foreign = await post('/office/v1/login', { name: 'chef', password: 'un mot de passe long' }, { origin: 'http://evil.example' })
    expect(foreign.status).toBe(403)
    expect(await refusal(foreign)).toBe('office.csrf')
    expect(foreign.headers.get('set-cookie')).toBeNull()
    const { cookie } = await login('chef', 'un mot de passe long')
    const noOrigin = await fetch(http.url + '/office/v1/enrolment-codes', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ role: 'point', pointId: 'P5' })
    })
    expect(noOrigin.status).toBe(403)
    const form = await fetch(http.url + '/office/v1/enrolment-codes', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: origin(), cookie },
      body: JSON.stringify({ role: 'point', pointId: 'P5' })
    })
    expect(form.status).toBe(415)
    expect(await refusal(form)).toBe('office.csrf')
    expect(Number((await db.pool.query(`SELECT count(*) AS n FROM enrolment_codes WHERE point_id = 'P5'`)).rows[0].n)).toBe(0)
  })

  it('refuses a request under a foreign Host (a rebound name), even a read with a valid session', async () => {
    const { cookie } = await login('chef', 'un mot de passe long')
    const { request } = await import('node:http')
    const u = new URL(http.url)
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: u.hostname, port: u.port, path: '/office/v1/network', headers: { host: `evil.example:${u.port}`, cookie } },
        (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        }
      )
      req.on('error', reject)
      req.end()
    })
    expect(status).toBe(403)
  })
})

describe('the head-office API', () => {
  it('shows a desk’s pushed counter steps as its point’s stock, and its refused writes', async () => {
    const code = await store.createEnrolmentCode({ role: 'point', pointId: 'PX' })
    const r = await new HubClient(http.url, null).enrol(code, 'Point X')
    if (!r.ok) throw new Error(JSON.stringify(r))
    const desk = new HubClient(http.url, { deskId: r.value.deskId, credential: r.value.credential })
    const base = { carrier: 'ecotrack', account: null, pointId: 'PX' }
    const pushed = await desk.push({
      protocol: HUB_PROTOCOL,
      accounts: [],
      events: [
        { ...base, seq: 1, kind: 'counter', at: clock - 1000, trackingKey: 'A1', body: { state: 'on_shelf', expiresAt: clock + 3600_000 } },
        {
          ...base,
          seq: 2,
          kind: 'counter',
          at: clock - 900,
          trackingKey: 'A2',
          body: { state: 'on_shelf', expiresAt: clock + 5 * 86400_000 }
        },
        { ...base, seq: 3, kind: 'counter', at: clock - 800, trackingKey: 'A3', body: { state: 'handed_over' } },
        {
          ...base,
          seq: 4,
          kind: 'outbox',
          at: clock - 700,
          trackingKey: 'A3',
          body: { key: 'k1', writeKind: 'remark', state: 'failed', errorCode: 'carrier_refused' }
        }
      ]
    })
    expect(pushed.ok).toBe(true)
    const viewer = await login('lecteur', 'un autre mot de passe')
    const net = officeNetworkSchema.parse(
      await (await fetch(http.url + '/office/v1/network', { headers: { cookie: viewer.cookie } })).json()
    )
    expect(net.points.find((p) => p.pointId === 'PX')).toMatchObject({ onShelf: 2, expiringByTomorrow: 1, handedOver: 1, toReturn: 0 })
    expect(net.writes.find((w) => w.deskId === r.value.deskId)).toMatchObject({
      kind: 'remark',
      state: 'failed',
      count: 1,
      errorCode: 'carrier_refused'
    })
    expect(net.desks.find((d) => d.id === r.value.deskId)).toMatchObject({ name: 'Point X', pointId: 'PX', lastSeq: 4, revoked: false })
    const stock = officePointStockSchema.parse(
      await (await fetch(http.url + '/office/v1/points/PX/parcels', { headers: { cookie: viewer.cookie } })).json()
    )
    expect(stock.parcels.map((p) => p.trackingKey)).toEqual(['A2', 'A1', 'A3'])
    // A viewer reads; only an admin enrols or revokes.
    const denied = await post(`/office/v1/desks/${r.value.deskId}/revoke`, {}, { cookie: viewer.cookie })
    expect(denied.status).toBe(403)
    expect(await refusal(denied)).toBe('office.forbidden')
    const admin = await login('chef', 'un mot de passe long')
    expect(await (await post(`/office/v1/desks/${r.value.deskId}/revoke`, {}, { cookie: admin.cookie })).json()).toEqual({ revoked: true })
    const codeAnswer = (await (
      await post('/office/v1/enrolment-codes', { role: 'point', pointId: 'P7' }, { cookie: admin.cookie })
    ).json()) as {
      code: string
    }
    expect((await new HubClient(http.url, null).enrol(codeAnswer.code, 'Point 7')).ok).toBe(true)
  })

  it('answers the renderer’s info without a session, and nothing else', async () => {
    const info = officeInfoSchema.parse(await (await fetch(http.url + '/office/v1/info')).json())
    expect(info).toMatchObject({ name: 'Guichet', mode: 'hub', user: null })
    expect((await fetch(http.url + '/office/v1/network')).status).toBe(401)
    expect((await fetch(http.url + '/office/v1/points/PX/parcels')).status).toBe(401)
    // The old server-rendered address sends to the app.
    const old = await fetch(http.url + '/office', { redirect: 'manual' })
    expect([old.status, old.headers.get('location')]).toEqual([302, '/'])
  })
})

describe('npm run hub -- user', () => {
  it('adds a user from a password source and prints nothing secret', async () => {
    const out = await userCommand(office.users, ['add', 'cli-user'], 'viewer', { password: async () => 'secret du terminal' })
    expect(out).not.toContain('secret')
    expect(out).toContain('cli-user')
    await expect(userCommand(office.users, ['add', 'cli-user'], 'viewer', { password: async () => 'secret du terminal' })).rejects.toThrow(
      /exists/
    )
    await expect(userCommand(office.users, ['add', 'court'], undefined, { password: async () => 'court' })).rejects.toThrow(/10 characters/)
    expect((await office.users.login('cli-user', 'secret du terminal', '127.0.0.2')).user).toEqual({ name: 'cli-user', role: 'viewer' })
  })

  it('keeps the schema guard: version 2 is applied once', async () => {
    const c = new pg.Client({ connectionString: cluster.url })
    await c.connect()
    expect((await c.query('SELECT array_agg(version ORDER BY version) AS v FROM hub_schema')).rows[0].v).toEqual([1, 2])
    await c.end()
  })
})
