// The updater's decisions as pure functions: when to check, whether to install now, what a
// channel change means, and what the clerk sees. No I/O here, so every rule is tested in Node
// without Electron. Reading the feed, versions, staged rollout and the sha512 are
// electron-updater's own (updater.electron.ts), tested through it in updater-feed.test.ts.

import { updateChannel, type UpdateDisabledReason, type UpdateInstallBlock } from '../../../shared/contract/updater'
import { HOUR } from '../../platform/clock'

export const CHECK_INTERVAL_MS = 6 * HOUR
/** A failed check is retried sooner than the regular interval, but never hammers the feed. */
export const RETRY_AFTER_FAILURE_MS = 30 * 60_000

// ---------------------------------------------------------------------------------------------
// Versions (electron-updater compares them itself; here only: is this a prerelease?)

interface SemVer {
  major: number
  minor: number
  patch: number
  prerelease: Array<string | number>
}

const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-.]+)?$/

export function parseSemver(v: string): SemVer | null {
  const m = SEMVER.exec(v.trim())
  if (!m) return null
  const prerelease = m[4] ? m[4].split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : []
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease }
}

const isPrereleaseVersion = (v: string): boolean => (parseSemver(v)?.prerelease.length ?? 0) > 0

// ---------------------------------------------------------------------------------------------
// Channels

/** stable, beta, or a site ring ("site-casa-01"): one feed file per channel on the server. */
export type UpdateChannel = string
const PRERELEASE_CHANNELS: ReadonlySet<string> = new Set(['beta'])

export const isValidChannel = (c: string): boolean => updateChannel.safeParse(c).success

/** The electron-updater channel name: "stable" is its default "latest" (latest.yml). */
export const feedChannelName = (channel: UpdateChannel): string => (channel === 'stable' ? 'latest' : channel)

/**
 * Downgrades are allowed only to leave a prerelease: a clerk moved from beta back to stable
 * while running 1.3.0-beta.2 must get stable 1.2.4, but a site ring never pulls a desk back.
 * Stateless on purpose: once the downgrade is installed the version is no longer a
 * prerelease, so the next check stops allowing downgrades by itself.
 */
export function allowDowngradeFor(channel: UpdateChannel, currentVersion: string): boolean {
  return !PRERELEASE_CHANNELS.has(channel) && isPrereleaseVersion(currentVersion)
}

/** What electron-updater is told after a channel change. */
export interface FeedTarget {
  url: string
  channel: UpdateChannel
  allowDowngrade: boolean
}

export function feedTarget(url: string, channel: UpdateChannel, currentVersion: string): FeedTarget {
  return { url, channel, allowDowngrade: allowDowngradeFor(channel, currentVersion) }
}

// ---------------------------------------------------------------------------------------------
// When to check

/** At start (never checked) and then every 6 hours; after a failure, sooner. */
export function nextCheckAt(lastCheckAt: number | null, lastCheckFailed: boolean, now: number): number {
  if (lastCheckAt === null) return now
  return lastCheckAt + (lastCheckFailed ? RETRY_AFTER_FAILURE_MS : CHECK_INTERVAL_MS)
}

// ---------------------------------------------------------------------------------------------
// Whether to install now

export type InstallTrigger = 'restart_now' | 'quit'
export type InstallBlock = UpdateInstallBlock

export interface InstallContext {
  trigger: InstallTrigger
  downloaded: boolean
  printing: boolean
  outboxPending: boolean
  /** Inside the point's opening hours. Only matters for the unattended install at quit. */
  openingHours: boolean
}

type InstallDecision = { install: true } | { install: false; blockedBy: InstallBlock }

/**
 * Installing restarts Guichet, so it happens only when the clerk asks ("restart now") or at a
 * quit outside opening hours, and never while a label is printing or the outbox holds unsent
 * work: those would be cut off mid-way.
 */
export function decideInstall(c: InstallContext): InstallDecision {
  if (!c.downloaded) return { install: false, blockedBy: 'nothing_downloaded' }
  if (c.printing) return { install: false, blockedBy: 'printing' }
  if (c.outboxPending) return { install: false, blockedBy: 'outbox_pending' }
  if (c.trigger === 'quit' && c.openingHours) return { install: false, blockedBy: 'opening_hours' }
  return { install: true }
}

// ---------------------------------------------------------------------------------------------
// Opening hours

/** Per weekday (0 = Sunday, as Date#getDay), the open intervals in minutes since midnight. */
export type OpeningHours = Partial<Record<0 | 1 | 2 | 3 | 4 | 5 | 6, Array<[number, number]>>>

/** Monday to Saturday, 08:00 to 20:00: a typical relay point until the point sets its own. */
export const DEFAULT_OPENING_HOURS: OpeningHours = {
  1: [[480, 1200]],
  2: [[480, 1200]],
  3: [[480, 1200]],
  4: [[480, 1200]],
  5: [[480, 1200]],
  6: [[480, 1200]]
}

/** Local wall-clock time of the desk: opening hours are local by nature. */
export function isWithinOpeningHours(hours: OpeningHours, at: Date): boolean {
  const day = at.getDay() as 0 | 1 | 2 | 3 | 4 | 5 | 6
  const minute = at.getHours() * 60 + at.getMinutes()
  return (hours[day] ?? []).some(([from, to]) => minute >= from && minute < to)
}

// ---------------------------------------------------------------------------------------------
// Whether updates run at all

export type DisabledReason = UpdateDisabledReason

export interface Environment {
  isPackaged: boolean
  platform: NodeJS.Platform
  env: Record<string, string | undefined>
  /** process.windowsStore: the Store updates the app itself. */
  windowsStore?: boolean
}

/**
 * Updates run only in a packaged desktop build, never under tests, and on Linux only from an
 * AppImage (a .deb is updated by the system's package manager; elevating from the desk is not
 * something a clerk should be asked to do).
 */
export function updatesDisabledReason(e: Environment): DisabledReason | null {
  if (e.env.VITEST || e.env.NODE_ENV === 'test' || e.env.PLAYWRIGHT_TEST_BASE_URL || e.env.GUICHET_E2E) return 'under_test'
  if (devFeed(e)) return null
  if (!e.isPackaged) return 'not_packaged'
  if (e.windowsStore) return 'unsupported_install'
  if (e.platform === 'linux' && !e.env.APPIMAGE) return 'unsupported_install'
  return null
}

/**
 * A developer's seam: an unpackaged build with GUICHET_UPDATE_FEED set checks and downloads from
 * that feed (a local static server), so the real electron-updater path can be tried without
 * packaging. Installing still needs a packaged build.
 */
export function devFeed(e: Environment): string | null {
  const url = e.env.GUICHET_UPDATE_FEED
  return !e.isPackaged && url ? url : null
}

// ---------------------------------------------------------------------------------------------
// Release notes: the feed may carry HTML (GitHub-style) or a list per version; the About view
// shows plain text only, never feed HTML.

type RawReleaseNotes = string | Array<{ version?: string; note?: string | null }> | null | undefined

export function releaseNotesText(notes: RawReleaseNotes, maxLength = 8000): string | null {
  let text: string
  if (notes == null) return null
  if (typeof notes === 'string') text = notes
  else if (Array.isArray(notes)) text = notes.map((n) => `${n.version ?? ''}\n${n.note ?? ''}`.trim()).join('\n\n')
  else return null
  text = text
    .replace(/<\s*br\s*\/?>/gi, '\n')
    .replace(/<\/(p|li|h[1-6]|div)>/gi, '\n')
    .replace(/<li[^>]*>/gi, '• ')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\r\n?/g, '\n')
    // Markdown from resources/release-notes.md: headings and bullets as plain text.
    .replace(/^#{1,6}\s+/gm, '')
    .replace(/^[-*]\s+/gm, '• ')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
  if (!text) return null
  return text.length > maxLength ? text.slice(0, maxLength - 1) + '…' : text
}
