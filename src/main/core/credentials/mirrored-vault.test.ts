import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { mirroredVault, snapshotOf } from './mirrored-vault'
import { createSafeStorageVault, PLAIN_TEXT_REFUSAL, type SafeStorageLike } from './safe-storage'

const fakeSafeStorage = (backend = 'gnome_libsecret'): SafeStorageLike => ({
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => backend,
  encryptString: (s) => Buffer.from(s, 'utf8').reverse(),
  decryptString: (b) => Buffer.from(b).reverse().toString('utf8')
})

/** Main's vault and the backend's mirror of it, wired as the bridge wires them (writes applied in order). */
function pair(backend = 'gnome_libsecret', accepted = false) {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-mirror-'))
  const safe = fakeSafeStorage(backend)
  const main = createSafeStorageVault(dir, safe, () => true)
  const open = () =>
    mirroredVault(snapshotOf(main, safe), { set: (c, a, s) => main.set(c, a, s), delete: (c, a) => void main.delete(c, a) }, () => accepted)
  return { dir, main, open }
}

describe('the vault mirrored from main (backend process)', () => {
  it('writes go to main, encrypted on disk, and come back in the next start', () => {
    const { dir, open } = pair()
    const first = open()
    first.set('ecotrack', 'default', { api_token: 'tok-123456789012345' })
    expect(first.get('ecotrack', 'default')).toEqual({ api_token: 'tok-123456789012345' })
    expect(readFileSync(join(dir, 'credentials.vault'), 'utf8')).not.toContain('tok-123456789012345')
    const again = open()
    expect(again.list()).toEqual([{ carrier: 'ecotrack', account: 'default' }])
    expect(again.get('ecotrack', 'default')).toEqual({ api_token: 'tok-123456789012345' })
    expect(again.delete('ecotrack', 'default')).toBe(true)
    expect(open().list()).toEqual([])
  })

  it("applies the plain-text key rule of main's vault: refused until the clerk accepts it", () => {
    const refused = pair('basic_text', false).open()
    expect(refused.health()).toEqual({ backend: 'safe-storage', available: false, problem: PLAIN_TEXT_REFUSAL })
    expect(() => refused.set('ecotrack', 'default', { api_token: 'x' })).toThrow(PLAIN_TEXT_REFUSAL)
    expect(pair('basic_text', true).open().health().available).toBe(true)
  })

  it('an entry main cannot read is a storage error in the backend, not an empty secret', () => {
    const { dir, main, open } = pair()
    main.set('ecotrack', 'default', { api_token: 'tok' })
    const file = join(dir, 'credentials.vault')
    const damaged = JSON.parse(readFileSync(file, 'utf8')) as { entries: Record<string, string> }
    damaged.entries['ecotrack/default'] = Buffer.from('not a vault entry').toString('base64')
    writeFileSync(file, JSON.stringify(damaged))
    const mirror = open()
    expect(mirror.list()).toEqual([{ carrier: 'ecotrack', account: 'default' }])
    expect(() => mirror.get('ecotrack', 'default')).toThrow(/cannot be read/)
  })
})
