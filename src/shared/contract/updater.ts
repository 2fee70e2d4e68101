import { z } from 'zod'
import { noInput } from './schemas'
import { out } from './types'

/** Why updates are not running on this desk. */
export type UpdateDisabledReason = 'browser_mode' | 'not_packaged' | 'under_test' | 'unsupported_install' | 'no_feed'
/** Why "restart now" (or the quiet install at quit) did not install. */
export type UpdateInstallBlock = 'nothing_downloaded' | 'printing' | 'outbox_pending' | 'opening_hours'
export type UpdatePhase = 'disabled' | 'idle' | 'checking' | 'up_to_date' | 'downloading' | 'ready' | 'error'

/** Whether the running build is code-signed, and by whom when known (platform/security/signing.ts). */
export interface BuildSigning {
  signed: boolean
  publisher: string | null
}

export interface UpdateStatus {
  supported: boolean
  disabledReason: UpdateDisabledReason | null
  currentVersion: string
  /** stable, beta or a site ring ("site-casa-01"). */
  channel: string
  feedUrl: string | null
  phase: UpdatePhase
  lastCheckAt: string | null
  nextCheckAt: string | null
  /** The newer version the feed offers this desk, with its notes as plain text. */
  available: { version: string; releaseDate: string | null; releaseNotes: string | null } | null
  /** What is new in the running version: its notes, kept from the feed when it was downloaded. */
  installedNotes: string | null
  downloadPercent: number | null
  /** A failed check or download: logged, and shown quietly (never a dialog). */
  lastError: { message: string; at: string } | null
  installBlockedBy: UpdateInstallBlock | null
  /** Shown in About: an unsigned build cannot prove who made it. */
  signing: BuildSigning
  /** What the UI shows: nothing, a quiet line, or the "restart now" offer. */
  show: 'nothing' | 'quiet_error' | 'restart_offer'
}

export const updateChannel = z.lazy(() =>
  z
    .string()
    .trim()
    .regex(/^(stable|beta|site-[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?)$/, 'stable, beta or site-<name> (lowercase letters, digits, dashes)')
)

/** The build's feed: https, or http on the loopback for a local test feed. Never set from the UI. */
export const feedUrl = z.lazy(() =>
  z
    .string()
    .trim()
    .max(512)
    .refine((s) => {
      try {
        const u = new URL(s)
        if (u.username || u.password) return false
        if (u.protocol === 'https:') return true
        return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)
      } catch {
        return false
      }
    }, 'an https:// address (http:// only on this computer), without a user name or password')
)

export const updaterChannels = {
  'updater.status': { input: noInput, output: out<UpdateStatus>() },
  /** Checks now (and downloads in the background when a newer version is offered). */
  'updater.check': { input: noInput, output: out<UpdateStatus>() },
  /** The clerk chose "restart now": installs unless a print or the outbox is in progress. */
  'updater.restartNow': {
    input: noInput,
    output: out<{ installing: boolean; blockedBy: UpdateInstallBlock | null }>()
  },
  /**
   * A channel is a name the app's own feed serves; the feed's address is built into the app and
   * never comes from the renderer (a feed names the sha512 of the code it installs).
   */
  'updater.setChannel': {
    input: z.lazy(() => z.strictObject({ channel: updateChannel })),
    output: out<UpdateStatus>()
  }
}
