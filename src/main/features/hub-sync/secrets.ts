// Where the desk keeps its hub credential: the credentials vault (safeStorage on the desktop, the
// 0600 key-file vault in browser mode), bound to the desk id it was issued for. hub_link keeps
// only the link's public parts; a credential a version before this one left there is moved here.

export interface HubSecrets {
  /** Whether the vault can store a secret now; enrolment is not attempted otherwise (the code is one-time). */
  available(): boolean
  /** The credential issued to `deskId`, or null (none, another desk's, or an unreadable vault). */
  get(deskId: string): string | null
  set(deskId: string, credential: string): void
  clear(): void
}

/** The vault calls this needs from core/credentials (CredentialsService). */
export interface OwnSecretsVault {
  available(): boolean
  ownSecrets(name: string): Record<string, string> | null
  setOwnSecrets(name: string, secrets: Record<string, string>): void
  clearOwnSecrets(name: string): boolean
}

const NAME = 'hub-link'

export function vaultHubSecrets(vault: OwnSecretsVault): HubSecrets {
  return {
    available: () => vault.available(),
    get(deskId) {
      try {
        const s = vault.ownSecrets(NAME)
        return s && s.deskId === deskId && s.credential ? s.credential : null
      } catch {
        // Unreadable (another computer's vault, locked key store): the desk must enrol again.
        return null
      }
    },
    set: (deskId, credential) => vault.setOwnSecrets(NAME, { deskId, credential }),
    clear: () => void vault.clearOwnSecrets(NAME)
  }
}

/** Tests and benches: the vault's own-secrets calls, in memory. */
export function memoryOwnSecrets(): OwnSecretsVault & { held: Map<string, Record<string, string>> } {
  const held = new Map<string, Record<string, string>>()
  return {
    held,
    available: () => true,
    ownSecrets: (name) => held.get(name) ?? null,
    setOwnSecrets: (name, secrets) => void held.set(name, { ...secrets }),
    clearOwnSecrets: (name) => held.delete(name)
  }
}
