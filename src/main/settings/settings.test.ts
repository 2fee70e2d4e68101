import { describe, expect, it } from 'vitest'
import { MemoryStore, SettingsService } from './settings'
import type { Logger } from '../services/logger'

const logs: string[] = []
const logger: Logger = { debug() {}, info() {}, warn: (e) => logs.push(e), error() {}, addSecret() {} }

describe('SettingsService', () => {
  it('returns defaults, then what was saved', () => {
    const s = new SettingsService(new MemoryStore(), logger)
    expect(s.get()).toEqual({ language: null, point: null })
    s.update({ language: 'ar', point: { id: 'ER-CAS-0142', name: 'Relais Maarif' } })
    expect(s.get()).toMatchObject({ language: 'ar', point: { id: 'ER-CAS-0142' } })
  })
  it('falls back per key when a stored value is invalid, keeping the others', () => {
    const store = new MemoryStore()
    store.set('language', 'klingon')
    store.set('point', { id: 'P1', name: 'Point 1' })
    const s = new SettingsService(store, logger)
    expect(s.get()).toEqual({ language: null, point: { id: 'P1', name: 'Point 1' } })
    expect(logs).toContain('settings.invalid_value')
  })
})
