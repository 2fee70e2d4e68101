import { chmodSync, closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from 'node:fs'
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { Logger } from '../../platform/logger'
import { EncryptedVault, type Cipher } from './vault'

// Browser mode has no OS key store to ask, so the key is a random 32-byte file in the data dir,
// readable only by its owner (0600). Whoever can read that user's files can read the secrets:
// the README says so. It still keeps secrets out of backups of the vault file alone, out of logs,
// and away from other local users.

const VERSION = 1
const IV_BYTES = 12
const TAG_BYTES = 16

class FileKeyCipher implements Cipher {
  readonly backend = 'encrypted-file' as const
  private key: Buffer | null = null
  private failure: string | null = null

  constructor(
    private readonly keyFile: string,
    private readonly logger?: Logger
  ) {}

  problem(): string | null {
    try {
      this.loadKey()
      return null
    } catch (e) {
      return this.failure ?? (e as Error).message
    }
  }

  encrypt(plain: string, context: string): Buffer {
    const key = this.loadKey()
    const iv = randomBytes(IV_BYTES)
    const c = createCipheriv('aes-256-gcm', key, iv)
    c.setAAD(Buffer.from(context, 'utf8'))
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()])
    return Buffer.concat([Buffer.from([VERSION]), iv, c.getAuthTag(), body])
  }

  decrypt(data: Buffer, context: string): string {
    const key = this.loadKey()
    if (data.length < 1 + IV_BYTES + TAG_BYTES || data[0] !== VERSION) throw new Error('not a vault entry')
    const iv = data.subarray(1, 1 + IV_BYTES)
    const tag = data.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES)
    const d = createDecipheriv('aes-256-gcm', key, iv)
    d.setAAD(Buffer.from(context, 'utf8'))
    d.setAuthTag(tag)
    return Buffer.concat([d.update(data.subarray(1 + IV_BYTES + TAG_BYTES)), d.final()]).toString('utf8')
  }

  private loadKey(): Buffer {
    if (this.key) return this.key
    if (!existsSync(this.keyFile)) {
      // 'wx': never overwrite a key another process just made (that would orphan its secrets).
      try {
        const fd = openSync(this.keyFile, 'wx', 0o600)
        try {
          writeSync(fd, randomBytes(32))
        } finally {
          closeSync(fd)
        }
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
          this.failure = `The vault key file ${this.keyFile} cannot be created (${(e as NodeJS.ErrnoException).code ?? 'error'}).`
          throw new Error(this.failure)
        }
      }
    }
    if (process.platform !== 'win32') {
      const mode = statSync(this.keyFile).mode & 0o777
      if (mode !== 0o600) {
        // Someone widened it (a copy, an archive tool): close it again and say so.
        chmodSync(this.keyFile, 0o600)
        this.logger?.warn('vault.key_permissions_fixed', { file: this.keyFile, was: mode.toString(8) })
      }
    }
    const key = readFileSync(this.keyFile)
    if (key.length !== 32) {
      this.failure = `The vault key file ${this.keyFile} is damaged. Move it and the vault aside, then enter the credentials again.`
      throw new Error(this.failure)
    }
    this.key = key
    return key
  }
}

/** The browser-mode vault: `credentials.vault` encrypted with `vault.key` (0600), both in the data dir. */
export function createFileVault(dataDir: string, logger?: Logger): EncryptedVault {
  return new EncryptedVault(join(dataDir, 'credentials.vault'), new FileKeyCipher(join(dataDir, 'vault.key'), logger))
}
