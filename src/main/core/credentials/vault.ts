import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import type { CarrierId } from '../../../shared/domain'
import { GuichetError } from '../../../shared/result'

// The credentials vault: carrier secrets, per account, encrypted at rest, readable only in main.
// One interface, two ciphers: Electron's safeStorage (the OS key store) on the desktop, and an
// AES-256-GCM key file in browser mode. The renderer never sees a secret: only hints.

export type Secrets = Record<string, string>

export interface VaultHealth {
  backend: 'safe-storage' | 'encrypted-file'
  available: boolean
  /** Why secrets cannot be kept now, in words; null when they can. */
  problem: string | null
}

export interface Vault {
  health(): VaultHealth
  /** Accounts that have secrets stored. Never throws: works even when the cipher is unavailable. */
  list(): Array<{ carrier: CarrierId; account: string }>
  get(carrier: CarrierId, account: string): Secrets | null
  set(carrier: CarrierId, account: string, secrets: Secrets): void
  delete(carrier: CarrierId, account: string): boolean
}

/** Turns a small string into bytes on disk and back. `context` binds a ciphertext to its account. */
export interface Cipher {
  readonly backend: VaultHealth['backend']
  /** null when usable; else the reason, said to the user as is. */
  problem(): string | null
  encrypt(plain: string, context: string): Buffer
  decrypt(data: Buffer, context: string): string
}

interface VaultFile {
  version: 1
  backend: VaultHealth['backend']
  /** "carrier/account" -> base64 ciphertext of {ref, secrets}. */
  entries: Record<string, string>
}

const refOf = (carrier: CarrierId, account: string): string => `${carrier}/${account}`

/** Writes a file so that a crash leaves either the old or the new one, never half, readable only by its owner. */
function writeFileAtomic(file: string, data: string | Buffer, mode = 0o600): void {
  mkdirSync(dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  const fd = openSync(tmp, 'w', mode)
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, file)
}

/** The vault on disk: one JSON file of encrypted entries (the file itself is 0600). */
export class EncryptedVault implements Vault {
  constructor(
    private readonly file: string,
    private readonly cipher: Cipher
  ) {}

  health(): VaultHealth {
    const problem = this.cipher.problem()
    return { backend: this.cipher.backend, available: problem === null, problem }
  }

  list(): Array<{ carrier: CarrierId; account: string }> {
    return Object.keys(this.read().entries).map((ref) => {
      const i = ref.indexOf('/')
      return { carrier: ref.slice(0, i) as CarrierId, account: ref.slice(i + 1) }
    })
  }

  get(carrier: CarrierId, account: string): Secrets | null {
    const ref = refOf(carrier, account)
    const entry = this.read().entries[ref]
    if (entry === undefined) return null
    this.ensureUsable()
    let parsed: { ref?: unknown; secrets?: unknown }
    try {
      parsed = JSON.parse(this.cipher.decrypt(Buffer.from(entry, 'base64'), ref)) as typeof parsed
    } catch {
      // Never echo the ciphertext or the cause (it could hold key material); just what to do.
      throw new GuichetError(
        'storage',
        `The stored credentials for ${ref} cannot be read (another computer's or a damaged vault). Enter them again.`
      )
    }
    if (parsed.ref !== ref || !parsed.secrets || typeof parsed.secrets !== 'object') {
      throw new GuichetError('storage', `The stored credentials for ${ref} do not belong to this account. Enter them again.`)
    }
    const out: Secrets = {}
    for (const [k, v] of Object.entries(parsed.secrets as Record<string, unknown>)) if (typeof v === 'string') out[k] = v
    return out
  }

  set(carrier: CarrierId, account: string, secrets: Secrets): void {
    this.ensureUsable()
    const ref = refOf(carrier, account)
    const f = this.read()
    const plain = JSON.stringify({ ref, secrets })
    f.entries[ref] = this.cipher.encrypt(plain, ref).toString('base64')
    f.backend = this.cipher.backend
    writeFileAtomic(this.file, JSON.stringify(f))
  }

  delete(carrier: CarrierId, account: string): boolean {
    const ref = refOf(carrier, account)
    const f = this.read()
    if (!(ref in f.entries)) return false
    delete f.entries[ref]
    writeFileAtomic(this.file, JSON.stringify(f))
    return true
  }

  private ensureUsable(): void {
    const problem = this.cipher.problem()
    if (problem) throw new GuichetError('forbidden', problem)
  }

  private read(): VaultFile {
    const empty: VaultFile = { version: 1, backend: this.cipher.backend, entries: Object.create(null) as Record<string, string> }
    if (!existsSync(this.file)) return empty
    let raw: unknown
    try {
      raw = JSON.parse(readFileSync(this.file, 'utf8'))
    } catch {
      throw new GuichetError('storage', `The credentials vault ${this.file} is damaged. Move it aside and enter the credentials again.`)
    }
    const entries = (raw as { entries?: unknown })?.entries
    if (!entries || typeof entries !== 'object') return empty
    for (const [k, v] of Object.entries(entries as Record<string, unknown>)) {
      if (typeof v === 'string' && /^[a-z-]+\/[A-Za-z0-9._-]+$/.test(k)) empty.entries[k] = v
    }
    return empty
  }
}

/**
 * What the UI may learn of a secret: that it exists, and for long tokens their last four
 * characters so staff can tell two tokens apart. Passwords and short values show nothing.
 */
export function maskSecret(field: string, value: string): string {
  if (/pass|pin|secret/i.test(field) || value.length < 16) return '••••'
  return `••••${value.slice(-4)}`
}
