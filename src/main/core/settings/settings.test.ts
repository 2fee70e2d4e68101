import { describe, expect, it } from 'vitest'
import { createDispatch } from '../../platform/ipc/dispatch'
import { MemoryStore, SettingsService } from './settings'
import type { Logger } from '../../platform/logger'

const logs: string[] = []
const logger: Logger = { debug() {}, info() {}, warn: (e) => logs.push(e), error() {}, addSecret() {} }

/** settings.get / settings.update through the contract's schemas, as the renderer calls them. */
function viaContract(s: SettingsService) {
  return createDispatch(
    { 'settings.get': () => s.get(), 'settings.update': (i: Parameters<SettingsService['update']>[0]) => s.update(i) } as never,
    logger
  )
}

const maarif = {
  name1: 'Relais Maarif',
  name2: 'Chez Karim',
  street: 'Rue Ibnou Mounir',
  houseNo: '14',
  zip: '20330',
  city: 'Casablanca',
  country: 'MA',
  phone: '+212 522 99 10 42'
}

describe('SettingsService', () => {
  it('returns defaults, then what was saved', () => {
    const s = new SettingsService(new MemoryStore(), logger)
    expect(s.get()).toEqual({ language: null, point: null, sender: null })
    s.update({ language: 'ar', point: { id: 'ER-CAS-0142', name: 'Relais Maarif' } })
    expect(s.get()).toMatchObject({ language: 'ar', point: { id: 'ER-CAS-0142' }, sender: null })
  })
  it('falls back per key when a stored value is invalid, keeping the others', () => {
    const store = new MemoryStore()
    store.set('language', 'klingon')
    store.set('point', { id: 'P1', name: 'Point 1' })
    const s = new SettingsService(store, logger)
    expect(s.get()).toEqual({ language: null, point: { id: 'P1', name: 'Point 1' }, sender: null })
    expect(logs).toContain('settings.invalid_value')
  })
})

describe('sender address', () => {
  it('round-trips through settings.update and settings.get; null clears it', async () => {
    const store = new MemoryStore()
    const dispatch = viaContract(new SettingsService(store, logger))
    const set = await dispatch('settings.update', { sender: maarif })
    expect(set).toEqual({ ok: true, value: { language: null, point: null, sender: maarif } })
    // Kept in the store: a new service (the next start) reads it back.
    const again = await viaContract(new SettingsService(store, logger))('settings.get', {})
    expect(again).toEqual({ ok: true, value: { language: null, point: null, sender: maarif } })

    // Other keys leave it alone; null clears it.
    await dispatch('settings.update', { language: 'fr' })
    expect(new SettingsService(store, logger).get().sender).toEqual(maarif)
    const cleared = await dispatch('settings.update', { sender: null })
    expect(cleared.ok && (cleared.value as { sender: unknown }).sender).toBeNull()
  })

  it('trims, upper-cases the country and stores blanks as null', async () => {
    const dispatch = viaContract(new SettingsService(new MemoryStore(), logger))
    const r = await dispatch('settings.update', {
      sender: { name1: '  Dépôt Oran ', street: '', zip: ' ', city: 'Oran', country: 'dz', phone: null }
    })
    expect(r.ok && (r.value as { sender: unknown }).sender).toEqual({
      name1: 'Dépôt Oran',
      street: null,
      zip: null,
      city: 'Oran',
      country: 'DZ',
      phone: null
    })
  })

  it('refuses an invalid sender, naming the field, and keeps the saved one', async () => {
    const s = new SettingsService(new MemoryStore(), logger)
    const dispatch = viaContract(s)
    await dispatch('settings.update', { sender: maarif })
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ ...maarif, name1: '   ' }, 'sender.name1', /required/],
      [{ city: 'Casablanca' }, 'sender.name1', /required/],
      [{ ...maarif, city: '' }, 'sender.city', /required/],
      [{ ...maarif, country: 'Maroc' }, 'sender.country', /2-letter ISO 3166-1/],
      [{ ...maarif, zip: '1'.repeat(11) }, 'sender.zip', /at most 10 characters/],
      [{ ...maarif, name1: 'x'.repeat(61) }, 'sender.name1', /at most 60 characters/],
      [{ ...maarif, phone: 'call me' }, 'sender.phone', /digits/],
      [{ ...maarif, name3: 'not a field here' }, 'sender', /name3/]
    ]
    for (const [sender, field, message] of cases) {
      const r = await dispatch('settings.update', { sender })
      expect(r.ok, field).toBe(false)
      if (r.ok) continue
      expect(r.error).toMatchObject({ code: 'invalid_input', field })
      expect(r.error.message).toMatch(message)
    }
    expect(s.get().sender).toEqual(maarif)
  })

  it('reads an old settings file without a sender, and a malformed stored one, as null with a warning', () => {
    const store = new MemoryStore()
    store.set('language', 'de')
    expect(new SettingsService(store, logger).get()).toEqual({ language: 'de', point: null, sender: null })

    const warnings: Array<[string, Record<string, unknown> | undefined]> = []
    const watching: Logger = { ...logger, warn: (e, data) => warnings.push([e, data as Record<string, unknown> | undefined]) }
    for (const bad of [
      'Relais Maarif',
      42,
      [],
      { name1: 'Relais Maarif' },
      { name1: 'X', city: 'Y', country: 'Morocco' },
      { name1: { toString: null }, city: 'Y' }
    ]) {
      store.set('sender', bad)
      expect(() => new SettingsService(store, watching).get()).not.toThrow()
      expect(new SettingsService(store, watching).get()).toEqual({ language: 'de', point: null, sender: null })
    }
    expect(warnings.length).toBeGreaterThan(0)
    expect(warnings.every(([e, d]) => e === 'settings.invalid_value' && d?.key === 'sender')).toBe(true)
  })
})

describe('default label printer', () => {
  it('is kept through settings.update (a printers.list id), survives a restart, and null clears it', async () => {
    const store = new MemoryStore()
    const dispatch = viaContract(new SettingsService(store, logger))
    expect(new SettingsService(store, logger).get().labelPrinter).toBeUndefined()
    await dispatch('settings.update', { labelPrinter: 'cups:Zebra_ZD421' })
    expect(new SettingsService(store, logger).get().labelPrinter).toBe('cups:Zebra_ZD421')
    await dispatch('settings.update', { labelPrinter: null })
    expect(new SettingsService(store, logger).get().labelPrinter).toBeNull()
    expect(await dispatch('settings.update', { labelPrinter: '' })).toMatchObject({ ok: false, error: { field: 'labelPrinter' } })
  })
})
