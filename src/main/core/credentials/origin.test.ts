import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../platform/clock'
import { createLogger, Redactor } from '../../platform/logger'
import { MemoryStore } from '../settings/settings'
import { CarrierAccounts } from '../accounts/accounts'
import type { CarrierAdapter, CarrierModule } from '../../carriers/types'
import { createFileVault } from './file-cipher'
import { originsOf, requireSecureUrl } from './origin'
import { CredentialsService } from './service'

const TOKEN = 'sec-7|Qm3x-bound-token'
let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'guichet-origin-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** A carrier module whose adapter sends its token the way ECOTRACK's does: Bearer and api_token=. */
const module: CarrierModule = {
  id: 'ecotrack',
  mapping: { rows: [], fallback: { unified: 'shipping_in_progress', kind: 'status' } },
  createAdapter: (account) =>
    ({
      carrier: 'ecotrack',
      account: account.alias,
      capabilities: new Set(),
      batchSize: 100,
      track: async () => {
        const u = new URL('/api/v1/get/orders', account.baseUrl)
        u.searchParams.set('api_token', account.credentials.api_token!)
        await fetch(u, { headers: { authorization: `Bearer ${account.credentials.api_token}` } })
        return []
      },
      budget: () => ({ remaining: null, resetsAt: null, blockedUntil: null })
    }) as unknown as CarrierAdapter
}

function wire() {
  const logger = createLogger({ console: false, redactor: new Redactor() })
  const credentials = new CredentialsService(createFileVault(dir), logger)
  const settingsStore = new MemoryStore()
  const accounts = new CarrierAccounts({
    settingsStore,
    secretsFor: (c, a, o) => credentials.secretsFor(c, a, o),
    onOriginsChanged: (c, a) => credentials.originsChanged(c, a),
    moduleFor: (c) => (c === 'ecotrack' ? module : undefined),
    clock: new ManualClock(),
    logger
  })
  credentials.bindOriginsFrom((c, a) => accounts.originsOf(c, a))
  return { credentials, accounts, settingsStore }
}

/** A listener on 127.0.0.1 that records every request line and Authorization header it gets. */
async function listener() {
  const seen: string[] = []
  const server = createServer((req: IncomingMessage, res) => {
    seen.push(`${req.url} ${req.headers.authorization ?? ''}`)
    res.end('{}')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, seen, close: () => new Promise<void>((r) => server.close(() => r())) }
}

describe('a credential is bound to the origin it was entered for', () => {
  it('a host change drops the secret: the new host never receives it, and the account asks for it again', async () => {
    const good = await listener()
    const evil = await listener()
    try {
      const { credentials, accounts } = wire()
      accounts.save({ carrier: 'ecotrack', alias: 'north', baseUrl: good.url, enabled: true, options: {} })
      credentials.set('ecotrack', 'north', { api_token: TOKEN })
      await accounts.adapter('ecotrack', 'north')!.track(['X'])
      expect(good.seen.join()).toContain('Bearer sec-7')

      accounts.save({ carrier: 'ecotrack', alias: 'north', baseUrl: evil.url, enabled: true, options: {} })
      expect(accounts.adapter('ecotrack', 'north')).toBeNull()
      expect(accounts.list()[0]).toMatchObject({ hasCredentials: false })
      expect(credentials.accountStatus('ecotrack', 'north').configured).toBe(false)
      expect(evil.seen).toEqual([])
    } finally {
      await good.close()
      await evil.close()
    }
  })

  it('a URL-valued option counts as an origin too (a token endpoint moved elsewhere)', () => {
    const { credentials, accounts } = wire()
    const base = { carrier: 'ecotrack' as const, alias: 'north', baseUrl: 'https://api.carrier.example', enabled: true }
    accounts.save({ ...base, options: { tokenUrl: 'https://auth.carrier.example/oauth' } })
    credentials.set('ecotrack', 'north', { api_token: TOKEN })
    accounts.save({ ...base, options: { tokenUrl: 'https://auth.carrier.example/oauth2' } })
    expect(accounts.adapter('ecotrack', 'north')).not.toBeNull() // same origin, another path
    accounts.save({ ...base, options: { tokenUrl: 'https://collector.example/oauth' } })
    expect(accounts.adapter('ecotrack', 'north')).toBeNull()
  })

  it('a host changed behind the vault (settings edited by hand) gets no secret either', () => {
    const { credentials, accounts, settingsStore } = wire()
    accounts.save({ carrier: 'ecotrack', alias: 'north', baseUrl: 'https://api.carrier.example', enabled: true, options: {} })
    credentials.set('ecotrack', 'north', { api_token: TOKEN })
    settingsStore.set('carrierAccounts', [
      { carrier: 'ecotrack', alias: 'north', baseUrl: 'https://elsewhere.example', enabled: true, options: {} }
    ])
    // A restart: the accounts are read again from the edited settings.
    const again = new CarrierAccounts({
      settingsStore,
      secretsFor: (c, a, o) => credentials.secretsFor(c, a, o),
      moduleFor: () => module,
      clock: new ManualClock(),
      logger: createLogger({ console: false })
    })
    expect(again.adapter('ecotrack', 'north')).toBeNull()
    expect(credentials.secretsFor('ecotrack', 'north', ['https://api.carrier.example'])).toEqual({ api_token: TOKEN })
  })

  it('removing an account drops its secrets, so a new account of that name starts without them', () => {
    const { credentials, accounts } = wire()
    accounts.save({ carrier: 'ecotrack', alias: 'north', baseUrl: 'https://api.carrier.example', enabled: true, options: {} })
    credentials.set('ecotrack', 'north', { api_token: TOKEN })
    accounts.remove('ecotrack', 'north')
    accounts.save({ carrier: 'ecotrack', alias: 'north', baseUrl: 'https://other.example', enabled: true, options: {} })
    expect(accounts.adapter('ecotrack', 'north')).toBeNull()
  })

  it('secrets stored before binding are bound to the origins of their first use', () => {
    createFileVault(dir).set('ecotrack', 'north', { api_token: TOKEN })
    const { credentials } = wire()
    expect(credentials.secretsFor('ecotrack', 'north', ['https://a.example'])).toEqual({ api_token: TOKEN })
    expect(credentials.secretsFor('ecotrack', 'north', ['https://b.example'])).toBeNull()
    expect(credentials.status().accounts[0]!.hints).toEqual({ api_token: '••••oken' })
  })

  it('https is required off loopback, for the base URL and URL options alike', () => {
    const { accounts } = wire()
    const base = { carrier: 'ecotrack' as const, alias: 'n', enabled: true, options: {} }
    expect(() => accounts.save({ ...base, baseUrl: 'http://api.carrier.example' })).toThrow(expect.objectContaining({ field: 'baseUrl' }))
    expect(() => accounts.save({ ...base, baseUrl: 'https://a.example', options: { tokenUrl: 'http://10.0.0.5/t' } })).toThrow(
      expect.objectContaining({ field: 'options.tokenUrl' })
    )
    for (const ok of ['http://127.0.0.1:8080', 'http://localhost:1', 'http://[::1]:9'])
      expect(() => requireSecureUrl(ok, 'baseUrl')).not.toThrow()
    expect(originsOf(['https://A.example/x', 'https://a.example:443/y', 'not a url', 3])).toEqual(['https://a.example'])
  })
})
