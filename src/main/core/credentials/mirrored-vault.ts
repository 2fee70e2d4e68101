// The vault as the backend process sees it on the desktop: safeStorage (the OS key store) exists
// only in Electron's main process, so main keeps the vault file and its cipher, and the backend
// holds what main decrypted at its start. Reads are from that copy (adapters read secrets
// synchronously); writes update the copy and are told to main, which encrypts and writes the
// file before it handles anything the backend sends later (the reply to credentials.set included).
import type { CarrierId } from '../../../shared/domain'
import { GuichetError } from '../../../shared/result'
import { SafeStorageCipher } from './safe-storage'
import type { Secrets, Vault, VaultHealth } from './vault'

/** What main sends the backend process at its start. */
export interface VaultSnapshot {
  /** safeStorage.isEncryptionAvailable() and, on Linux, getSelectedStorageBackend(). */
  encryptionAvailable: boolean
  storageBackend: string | null
  /** Each stored entry, decrypted by main; `error` when main could not read it (another computer's, damaged). */
  entries: Array<{ carrier: CarrierId; account: string; secrets: Secrets | null; error: string | null }>
}

interface VaultWrites {
  set(carrier: CarrierId, account: string, secrets: Secrets): void
  delete(carrier: CarrierId, account: string): void
}

export function mirroredVault(snapshot: VaultSnapshot, writes: VaultWrites, plainTextRiskAccepted: () => boolean): Vault {
  const entries = new Map(snapshot.entries.map((e) => [`${e.carrier}/${e.account}`, e]))
  // The same refusal rules as in main (no encryption; Linux's plain-text key unless accepted).
  const cipher = new SafeStorageCipher(
    {
      isEncryptionAvailable: () => snapshot.encryptionAvailable,
      getSelectedStorageBackend: () => snapshot.storageBackend ?? 'unknown',
      encryptString: () => Buffer.alloc(0),
      decryptString: () => ''
    },
    plainTextRiskAccepted
  )
  const ensureUsable = () => {
    const problem = cipher.problem()
    if (problem) throw new GuichetError('forbidden', problem)
  }
  return {
    health(): VaultHealth {
      const problem = cipher.problem()
      return { backend: 'safe-storage', available: problem === null, problem }
    },
    list: () => [...entries.values()].map(({ carrier, account }) => ({ carrier, account })),
    get(carrier, account) {
      const e = entries.get(`${carrier}/${account}`)
      if (!e) return null
      ensureUsable()
      if (e.error !== null || !e.secrets)
        throw new GuichetError('storage', e.error ?? `The stored credentials for ${carrier}/${account} cannot be read.`)
      return { ...e.secrets }
    },
    set(carrier, account, secrets) {
      ensureUsable()
      entries.set(`${carrier}/${account}`, { carrier, account, secrets: { ...secrets }, error: null })
      writes.set(carrier, account, secrets)
    },
    delete(carrier, account) {
      if (!entries.delete(`${carrier}/${account}`)) return false
      writes.delete(carrier, account)
      return true
    }
  }
}

/** Main's side: the snapshot of a vault it can read (the real safeStorage vault). */
export function snapshotOf(
  vault: Vault,
  safeStorage: { isEncryptionAvailable(): boolean; getSelectedStorageBackend?(): string }
): VaultSnapshot {
  let encryptionAvailable = false
  try {
    encryptionAvailable = safeStorage.isEncryptionAvailable()
  } catch {
    // before app ready or no key store: unavailable, as the in-process vault would say
  }
  const entries: VaultSnapshot['entries'] = vault.list().map(({ carrier, account }) => {
    try {
      return { carrier, account, secrets: encryptionAvailable ? vault.get(carrier, account) : null, error: null }
    } catch (e) {
      return { carrier, account, secrets: null, error: e instanceof GuichetError ? e.message : 'The stored credentials cannot be read.' }
    }
  })
  let storageBackend: string | null = null
  try {
    storageBackend = safeStorage.getSelectedStorageBackend?.() ?? null
  } catch {
    // Linux only in Electron
  }
  return { encryptionAvailable, storageBackend, entries }
}
