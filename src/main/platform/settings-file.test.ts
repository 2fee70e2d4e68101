import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { openSettingsFile } from './settings-file'
import { silentLogger } from './logger'

const dir = () => mkdtempSync(join(tmpdir(), 'guichet-settings-'))

describe('openSettingsFile', () => {
  it('keeps what was set across opens, in the file electron-store reads (tab-indented JSON, owner only)', () => {
    const file = join(dir(), 'settings.json')
    const s = openSettingsFile(file)
    expect(s.get('language')).toBeUndefined()
    s.set('language', 'ar')
    s.set('carrierAccounts', [{ id: 'a', carrier: 'shipway' }])
    expect(readFileSync(file, 'utf8')).toBe(
      '{\n\t"language": "ar",\n\t"carrierAccounts": [\n\t\t{\n\t\t\t"id": "a",\n\t\t\t"carrier": "shipway"\n\t\t}\n\t]\n}'
    )
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)
    const again = openSettingsFile(file)
    expect(again.get('language')).toBe('ar')
    expect(again.get('carrierAccounts')).toEqual([{ id: 'a', carrier: 'shipway' }])
  })

  it('takes keys literally (no dot paths) and deletes a key set to undefined', () => {
    const file = join(dir(), 'settings.json')
    const s = openSettingsFile(file)
    s.set('a.b', 1)
    expect(s.get('a.b')).toBe(1)
    expect(s.get('a')).toBeUndefined()
    s.set('a.b', undefined)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({})
  })

  it('hands out copies: changing what was read changes nothing behind the file’s back', () => {
    const s = openSettingsFile(join(dir(), 'settings.json'))
    const v = { holdDays: 7 }
    s.set('counter', v)
    v.holdDays = 99
    ;(s.get('counter') as { holdDays: number }).holdDays = 42
    expect(s.get('counter')).toEqual({ holdDays: 7 })
  })

  it('keeps a damaged file under a dated name, logs it, and starts from defaults', () => {
    const d = dir()
    const file = join(d, 'settings.json')
    writeFileSync(file, '{"language": "fr", "counterClerk": ')
    const logger = { ...silentLogger, error: vi.fn() }
    const s = openSettingsFile(file, { logger, now: () => Date.UTC(2026, 11, 4, 8, 30) })
    expect(s.get('language')).toBeUndefined()
    const kept = join(d, 'settings.json.damaged-2026-12-04T08-30-00-000Z')
    expect(readFileSync(kept, 'utf8')).toBe('{"language": "fr", "counterClerk": ')
    expect(logger.error).toHaveBeenCalledWith('settings.set_aside', { file, kept })
    s.set('language', 'de')
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ language: 'de' })
  })

  it('sets aside JSON that is not an object (an array, a string)', () => {
    const d = dir()
    const file = join(d, 'settings.json')
    writeFileSync(file, '["fr"]')
    expect(openSettingsFile(file).get('0')).toBeUndefined()
    expect(readdirSync(d).some((f) => f.startsWith('settings.json.damaged-'))).toBe(true)
  })

  it('a write that fails leaves the memory as it was, leaves no temporary file, and says so', () => {
    const d = dir()
    const file = join(d, 'settings.json')
    const s = openSettingsFile(file)
    s.set('language', 'fr')
    // The file's place taken by a folder with something in it: no rename lands there, even as root.
    rmSync(file)
    mkdirSync(file)
    writeFileSync(join(file, 'x'), '')
    expect(() => s.set('language', 'de')).toThrow(/EISDIR|ENOTEMPTY|EEXIST|EPERM/)
    expect(s.get('language')).toBe('fr')
    expect(readdirSync(d)).toEqual(['settings.json'])
  })
})
