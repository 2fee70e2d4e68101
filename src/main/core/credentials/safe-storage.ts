import { join } from 'node:path'
import { EncryptedVault, type Cipher } from './vault'

// The desktop vault's cipher over Electron's safeStorage, given as a plain object so it is
// tested in Node with a fake; vault.electron.ts hands in the real one.

/** The part of Electron's safeStorage this needs. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  encryptString(plain: string): Buffer
  decryptString(data: Buffer): string
  /** Linux only in Electron. */
  getSelectedStorageBackend?(): string
}

export const PLAIN_TEXT_REFUSAL =
  'This computer has no key ring (such as GNOME Keyring or KWallet) unlocked, so Electron would protect carrier credentials ' +
  'with a fixed, publicly known key: anyone who copies the data folder could read them. Guichet refuses to store credentials ' +
  'this way. Install or unlock a key ring and restart Guichet, or accept the risk explicitly in the settings.'

export class SafeStorageCipher implements Cipher {
  readonly backend = 'safe-storage' as const

  constructor(
    private readonly safeStorage: SafeStorageLike,
    /** The user's explicit, remembered acceptance of the plain-text key risk. */
    private readonly plainTextRiskAccepted: () => boolean,
    private readonly platform: NodeJS.Platform = process.platform
  ) {}

  problem(): string | null {
    if (!this.safeStorage.isEncryptionAvailable()) {
      return 'The operating system offers no encryption for secrets right now, so Guichet cannot store carrier credentials.'
    }
    if (this.platform === 'linux' && this.safeStorage.getSelectedStorageBackend?.() === 'basic_text' && !this.plainTextRiskAccepted()) {
      return PLAIN_TEXT_REFUSAL
    }
    return null
  }

  // safeStorage has no associated data; the vault binds the entry to its account inside the plaintext.
  encrypt(plain: string): Buffer {
    return this.safeStorage.encryptString(plain)
  }

  decrypt(data: Buffer): string {
    return this.safeStorage.decryptString(data)
  }
}

export function createSafeStorageVault(
  dataDir: string,
  safeStorage: SafeStorageLike,
  plainTextRiskAccepted: () => boolean
): EncryptedVault {
  return new EncryptedVault(join(dataDir, 'credentials.vault'), new SafeStorageCipher(safeStorage, plainTextRiskAccepted))
}
