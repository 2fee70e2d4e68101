import { describe, expect, it } from 'vitest'
import { CarrierAccounts } from './accounts'
import { ManualClock } from '../../platform/clock'
import { silentLogger } from '../../platform/logger'
import { MemoryStore } from '../settings/settings'
import type { CarrierAdapter, CarrierModule } from '../../carriers/types'

function setup(secrets: Record<string, Record<string, string>> = {}) {
  const built: string[] = []
  const module: CarrierModule = {
    id: 'ecotrack',
    mapping: { rows: [], fallback: { unified: 'shipping_in_progress', kind: 'status' } },
    createAdapter: (account) => {
      built.push(`${account.alias}:${account.credentials.token}`)
      return {
        carrier: 'ecotrack',
        account: account.alias,
        capabilities: new Set(),
        batchSize: 100,
        track: async () => [],
        budget: () => ({ remaining: null, resetsAt: null, blockedUntil: null })
      } as CarrierAdapter
    }
  }
  const accounts = new CarrierAccounts({
    settingsStore: new MemoryStore(),
    secretsFor: (c, a) => secrets[`${c}/${a}`] ?? null,
    moduleFor: (c) => (c === 'ecotrack' ? module : undefined),
    clock: new ManualClock(),
    logger: silentLogger
  })
  return { accounts, built, secrets }
}

describe('CarrierAccounts', () => {
  it('saves accounts and lists them without secrets', () => {
    const { accounts } = setup({ 'ecotrack/north': { token: 'tok-123456' } })
    accounts.save({ carrier: 'ecotrack', alias: 'north', baseUrl: 'https://dhd.ecotrack.dz', enabled: true, options: {} })
    const list = accounts.list()
    expect(list).toEqual([
      expect.objectContaining({ carrier: 'ecotrack', alias: 'north', hasCredentials: true, supported: true, demo: false })
    ])
    expect(JSON.stringify(list)).not.toContain('tok-123456')
    expect(accounts.configuredCarriers()).toEqual(['ecotrack'])
  })

  it('builds an adapter once per account and again only when its settings or secrets change', () => {
    const { accounts, built, secrets } = setup({ 'ecotrack/north': { token: 'a' } })
    accounts.save({ carrier: 'ecotrack', alias: 'north', baseUrl: 'https://dhd.ecotrack.dz', enabled: true, options: {} })
    const first = accounts.adapter('ecotrack', 'north')
    expect(accounts.adapter('ecotrack', 'north')).toBe(first)
    secrets['ecotrack/north'] = { token: 'b' }
    expect(accounts.adapter('ecotrack', 'north')).not.toBe(first)
    expect(built).toEqual(['north:a', 'north:b'])
  })

  it('gives no adapter without secrets, for a disabled account, or for a carrier without a module', () => {
    const { accounts } = setup({ 'sendcloud/x': { public_key: 'p', secret_key: 's' } })
    accounts.save({ carrier: 'ecotrack', alias: 'nosecret', baseUrl: 'https://a.ecotrack.dz', enabled: true, options: {} })
    accounts.save({ carrier: 'sendcloud', alias: 'x', baseUrl: 'https://panel.sendcloud.sc', enabled: true, options: {} })
    expect(accounts.adapter('ecotrack', 'nosecret')).toBeNull()
    expect(accounts.adapter('sendcloud', 'x')).toBeNull()
    expect(accounts.adapters()).toEqual([])
  })

  it('refuses a max check period shorter than the return window, naming the field', () => {
    const { accounts } = setup()
    expect(() =>
      accounts.save({
        carrier: 'ecotrack',
        alias: 'a',
        baseUrl: 'https://a.ecotrack.dz',
        enabled: true,
        options: { maxCheckDays: 7, returnWindowDays: 14 }
      })
    ).toThrow(/return window/)
  })

  it('reads each account’s cadence from its options', () => {
    const { accounts } = setup()
    accounts.save({
      carrier: 'ecotrack',
      alias: 'a',
      baseUrl: 'https://a.ecotrack.dz',
      enabled: true,
      options: { maxCheckDays: 30, tiers: '3=1,30=24' }
    })
    const s = accounts.schedule('ecotrack', 'a')
    expect(s.maxCheckDays).toBe(30)
    expect(s.tiers.map((t) => t.upToDay)).toEqual([3, 30])
    expect(accounts.schedule('ecotrack', 'other').maxCheckDays).toBe(14)
  })

  it('serves demo accounts from memory', () => {
    const { accounts } = setup()
    accounts.setDemoAccounts([{ carrier: 'ecotrack', alias: 'demo', baseUrl: 'http://127.0.0.1:1', credentials: { token: 'demo-token' } }])
    expect(accounts.adapter('ecotrack', 'demo')).not.toBeNull()
    expect(accounts.list()).toEqual([expect.objectContaining({ alias: 'demo', demo: true })])
    expect(accounts.configuredCarriers()).toEqual([])
  })
})
