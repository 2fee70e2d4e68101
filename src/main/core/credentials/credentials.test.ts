import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger, Redactor } from '../../platform/logger'
import { createFileVault } from './file-cipher'
import { createSafeStorageVault, PLAIN_TEXT_REFUSAL, SafeStorageCipher, type SafeStorageLike } from './safe-storage'
import { CredentialsService } from './service'
import { maskSecret } from './vault'

const TOKEN = 'ec0tr4ck-t0ken-9f8e7d6c5b4a1a2b'
let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'guichet-vault-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** A stand-in for Electron's safeStorage: reversible, but never the plain text on disk. */
function fakeSafeStorage(backend = 'gnome_libsecret', available = true): SafeStorageLike & { calls: number } {
  return {
    calls: 0,
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString(plain: string) {
      this.calls++
      return Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a))
    },
    decryptString(data: Buffer) {
      return Buffer.from(data.map((b) => b ^ 0x5a)).toString('utf8')
    }
  }
}

function everyFileText(root: string): string {
  let out = ''
  for (const e of readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out += readFileSync(join(e.parentPath, e.name)).toString('latin1')
  }
  return out
}

describe('browser-mode vault (AES-256-GCM key file)', () => {
  it('round-trips secrets across a restart and keeps them off the disk in clear', () => {
    const v = createFileVault(dir)
    v.set('ecotrack', 'default', { api_token: TOKEN })
    v.set('shiprocket', 'north', { email: 'ops@example.test', password: 'hunter2-correct' })
    const again = createFileVault(dir)
    expect(again.get('ecotrack', 'default')).toEqual({ api_token: TOKEN })
    expect(again.get('shiprocket', 'north')).toEqual({ email: 'ops@example.test', password: 'hunter2-correct' })
    expect(again.list()).toEqual([
      { carrier: 'ecotrack', account: 'default' },
      { carrier: 'shiprocket', account: 'north' }
    ])
    const disk = everyFileText(dir)
    expect(disk).not.toContain(TOKEN)
    expect(disk).not.toContain('hunter2-correct')
    expect(again.delete('ecotrack', 'default')).toBe(true)
    expect(again.delete('ecotrack', 'default')).toBe(false)
    expect(createFileVault(dir).get('ecotrack', 'default')).toBeNull()
  })

  it('creates the key file 0600, and closes it again when someone widened it', () => {
    const v = createFileVault(dir)
    v.set('ecotrack', 'default', { api_token: TOKEN })
    const key = join(dir, 'vault.key')
    expect(statSync(key).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'credentials.vault')).mode & 0o777).toBe(0o600)
    expect(statSync(key).size).toBe(32)
    chmodSync(key, 0o644)
    expect(createFileVault(dir).get('ecotrack', 'default')).toEqual({ api_token: TOKEN })
    expect(statSync(key).mode & 0o777).toBe(0o600)
  })

  it('refuses an entry moved to another account (bound by associated data) and a vault from another key', () => {
    const v = createFileVault(dir)
    v.set('ecotrack', 'default', { api_token: TOKEN })
    const file = join(dir, 'credentials.vault')
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { entries: Record<string, string> }
    raw.entries['ecotrack/other'] = raw.entries['ecotrack/default']!
    writeFileSync(file, JSON.stringify(raw))
    expect(() => createFileVault(dir).get('ecotrack', 'other')).toThrow(expect.objectContaining({ code: 'storage' }))
    rmSync(join(dir, 'vault.key'))
    let message = ''
    try {
      createFileVault(dir).get('ecotrack', 'default')
    } catch (e) {
      message = (e as Error).message
    }
    expect(message).toMatch(/cannot be read/)
    expect(message).not.toContain(raw.entries['ecotrack/default']!)
  })

  it('says plainly when the vault file is damaged', () => {
    writeFileSync(join(dir, 'credentials.vault'), '{not json')
    expect(() => createFileVault(dir).get('ecotrack', 'default')).toThrow(expect.objectContaining({ code: 'storage' }))
  })
})

describe('desktop vault (safeStorage)', () => {
  it('round-trips through safeStorage', () => {
    const ss = fakeSafeStorage()
    const v = createSafeStorageVault(dir, ss, () => false)
    expect(v.health()).toEqual({ backend: 'safe-storage', available: true, problem: null })
    v.set('ecotrack', 'default', { api_token: TOKEN })
    expect(ss.calls).toBe(1)
    expect(createSafeStorageVault(dir, ss, () => false).get('ecotrack', 'default')).toEqual({ api_token: TOKEN })
    expect(everyFileText(dir)).not.toContain(TOKEN)
  })

  it('refuses the Linux plain-text fallback (basic_text) with a clear message unless the risk was accepted', () => {
    const ss = fakeSafeStorage('basic_text')
    let accepted = false
    const v = createSafeStorageVault(dir, ss, () => accepted)
    expect(v.health()).toEqual({ backend: 'safe-storage', available: false, problem: PLAIN_TEXT_REFUSAL })
    expect(() => v.set('ecotrack', 'default', { api_token: TOKEN })).toThrow(
      expect.objectContaining({ code: 'forbidden', message: PLAIN_TEXT_REFUSAL })
    )
    expect(ss.calls).toBe(0)
    accepted = true
    v.set('ecotrack', 'default', { api_token: TOKEN })
    expect(v.get('ecotrack', 'default')).toEqual({ api_token: TOKEN })
    accepted = false
    expect(() => v.get('ecotrack', 'default')).toThrow(expect.objectContaining({ code: 'forbidden' }))
  })

  it('only refuses basic_text on Linux, and refuses when no encryption is available at all', () => {
    expect(new SafeStorageCipher(fakeSafeStorage('basic_text'), () => false, 'darwin').problem()).toBeNull()
    expect(new SafeStorageCipher(fakeSafeStorage('gnome_libsecret', false), () => true, 'linux').problem()).toMatch(/no encryption/)
  })
})

describe('CredentialsService', () => {
  it('never returns a secret: status is "configured" and a masked hint', () => {
    const svc = new CredentialsService(createFileVault(dir), createLogger({ console: false, redactor: new Redactor() }))
    const st = svc.set('ecotrack', 'default', { api_token: TOKEN })
    expect(st).toEqual({ carrier: 'ecotrack', account: 'default', configured: true, hints: { api_token: '••••1a2b' } })
    svc.set('shiprocket', 'north', { email: 'ops@example.test', password: 'hunter2-correct' })
    const all = svc.status()
    expect(all.backend).toBe('encrypted-file')
    expect(all.accounts).toHaveLength(2)
    const text = JSON.stringify(all)
    expect(text).not.toContain(TOKEN)
    expect(text).not.toContain('hunter2-correct')
    expect(text).not.toContain('ops@example.test')
    expect(svc.secretsFor('ecotrack', 'default')).toEqual({ api_token: TOKEN })
    expect(svc.configuredCarriers()).toEqual(['ecotrack', 'shiprocket'])
    expect(svc.clear('ecotrack', 'default')).toEqual({ cleared: true })
    expect(svc.accountStatus('ecotrack', 'default')).toEqual({ carrier: 'ecotrack', account: 'default', configured: false, hints: {} })
  })

  it('registers stored secrets with the redactor at start, so logs never show them', () => {
    createFileVault(dir).set('ecotrack', 'default', { api_token: TOKEN })
    const redactor = new Redactor()
    const logFile = join(dir, 'logs', 'guichet.log')
    const logger = createLogger({ file: logFile, console: false, redactor })
    new CredentialsService(createFileVault(dir), logger)
    logger.error('carrier.call_failed', { url: `https://x.test/api/v1/get/orders?page=1`, body: `bad token ${TOKEN}` })
    const log = readFileSync(logFile, 'utf8')
    expect(log).toContain('[redacted]')
    expect(log).not.toContain(TOKEN)
  })

  it('reports a refused backend in status instead of failing', () => {
    const svc = new CredentialsService(
      createSafeStorageVault(dir, fakeSafeStorage('basic_text'), () => false),
      createLogger({ console: false })
    )
    expect(svc.status()).toMatchObject({ available: false, problem: PLAIN_TEXT_REFUSAL, accounts: [] })
  })

  it('masks long tokens to their last four characters and shows nothing of passwords or short values', () => {
    expect(maskSecret('api_token', TOKEN)).toBe('••••1a2b')
    expect(maskSecret('password', 'a-very-long-password-value')).toBe('••••')
    expect(maskSecret('api_key', 'short')).toBe('••••')
  })
})
