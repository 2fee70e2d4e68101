import { safeStorage } from 'electron'
import { createSafeStorageVault } from './safe-storage'
import type { Vault } from './vault'

/** The desktop vault: secrets encrypted by the OS key store through Electron's safeStorage. */
export function createElectronVault(dataDir: string, plainTextRiskAccepted: () => boolean): Vault {
  return createSafeStorageVault(dataDir, safeStorage, plainTextRiskAccepted)
}
