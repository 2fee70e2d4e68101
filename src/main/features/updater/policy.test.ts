import { describe, expect, it } from 'vitest'
import {
  CHECK_INTERVAL_MS,
  DEFAULT_OPENING_HOURS,
  RETRY_AFTER_FAILURE_MS,
  allowDowngradeFor,
  decideInstall,
  devFeed,
  feedChannelName,
  isValidChannel,
  isWithinOpeningHours,
  nextCheckAt,
  parseSemver,
  releaseNotesText,
  updatesDisabledReason,
  type InstallContext
} from './policy'

describe('semver', () => {
  it('reads release and prerelease versions and rejects what is not a version', () => {
    expect(parseSemver('v1.2.3')).toEqual({ major: 1, minor: 2, patch: 3, prerelease: [] })
    expect(parseSemver('1.0.0-beta.11')?.prerelease).toEqual(['beta', 11])
    for (const bad of ['', '1.2', '01.2.3', '1.2.3.4', 'latest', '1.2.3-']) expect(parseSemver(bad)).toBeNull()
  })
})

describe('channels', () => {
  it('accepts stable, beta and site rings only', () => {
    for (const ok of ['stable', 'beta', 'site-casa-01', 'site-x']) expect(isValidChannel(ok)).toBe(true)
    for (const bad of ['', 'latest', 'Beta', 'site-', 'site--', 'site-a/../b', 'site-' + 'a'.repeat(40), '../latest'])
      expect(isValidChannel(bad)).toBe(false)
  })
  it("names stable by electron-updater's default channel (latest.yml)", () => {
    expect(feedChannelName('stable')).toBe('latest')
    expect(feedChannelName('site-casa-01')).toBe('site-casa-01')
  })
  it('allows a downgrade only when leaving a prerelease', () => {
    expect(allowDowngradeFor('stable', '1.3.0-beta.2')).toBe(true)
    expect(allowDowngradeFor('site-casa-01', '1.3.0-beta.2')).toBe(true)
    expect(allowDowngradeFor('beta', '1.3.0-beta.2')).toBe(false)
    expect(allowDowngradeFor('stable', '1.3.0')).toBe(false)
    expect(allowDowngradeFor('site-casa-01', '1.3.0')).toBe(false)
  })
})

describe('check schedule', () => {
  it('checks at start, then every 6 hours, sooner after a failure', () => {
    expect(nextCheckAt(null, false, 1000)).toBe(1000)
    expect(nextCheckAt(1000, false, 2000)).toBe(1000 + CHECK_INTERVAL_MS)
    expect(CHECK_INTERVAL_MS).toBe(6 * 3_600_000)
    expect(nextCheckAt(1000, true, 2000)).toBe(1000 + RETRY_AFTER_FAILURE_MS)
  })
})

describe('install decision', () => {
  const base: InstallContext = { trigger: 'restart_now', downloaded: true, printing: false, outboxPending: false, openingHours: true }
  it('installs when the clerk chooses restart now, even in opening hours', () => {
    expect(decideInstall(base)).toEqual({ install: true })
  })
  it('never installs in the middle of a print or with an unsent outbox', () => {
    expect(decideInstall({ ...base, printing: true })).toEqual({ install: false, blockedBy: 'printing' })
    expect(decideInstall({ ...base, outboxPending: true })).toEqual({ install: false, blockedBy: 'outbox_pending' })
    expect(decideInstall({ ...base, trigger: 'quit', openingHours: false, outboxPending: true })).toEqual({
      install: false,
      blockedBy: 'outbox_pending'
    })
  })
  it('installs at quit only outside opening hours', () => {
    expect(decideInstall({ ...base, trigger: 'quit' })).toEqual({ install: false, blockedBy: 'opening_hours' })
    expect(decideInstall({ ...base, trigger: 'quit', openingHours: false })).toEqual({ install: true })
  })
  it('has nothing to install before a download finished', () => {
    expect(decideInstall({ ...base, downloaded: false })).toEqual({ install: false, blockedBy: 'nothing_downloaded' })
  })
})

describe('opening hours', () => {
  it('uses local wall-clock time per weekday', () => {
    expect(isWithinOpeningHours(DEFAULT_OPENING_HOURS, new Date(2026, 10, 30, 9, 0))).toBe(true) // Monday 09:00
    expect(isWithinOpeningHours(DEFAULT_OPENING_HOURS, new Date(2026, 10, 30, 20, 0))).toBe(false) // closing time
    expect(isWithinOpeningHours(DEFAULT_OPENING_HOURS, new Date(2026, 10, 30, 7, 59))).toBe(false)
    expect(isWithinOpeningHours(DEFAULT_OPENING_HOURS, new Date(2026, 10, 29, 12, 0))).toBe(false) // Sunday
    expect(
      isWithinOpeningHours(
        {
          1: [
            [480, 720],
            [840, 1140]
          ]
        },
        new Date(2026, 10, 30, 13, 0)
      )
    ).toBe(false) // lunch
  })
})

describe('when updates run', () => {
  const packaged = { isPackaged: true, platform: 'win32' as const, env: {} }
  it('runs in a packaged Windows or macOS build, and from an AppImage on Linux', () => {
    expect(updatesDisabledReason(packaged)).toBeNull()
    expect(updatesDisabledReason({ ...packaged, platform: 'darwin' })).toBeNull()
    expect(updatesDisabledReason({ ...packaged, platform: 'linux', env: { APPIMAGE: '/opt/Guichet.AppImage' } })).toBeNull()
  })
  it('is off when not packaged, under tests, from the Store or a .deb', () => {
    expect(updatesDisabledReason({ ...packaged, isPackaged: false })).toBe('not_packaged')
    expect(updatesDisabledReason({ ...packaged, env: { VITEST: 'true' } })).toBe('under_test')
    expect(updatesDisabledReason({ ...packaged, env: { NODE_ENV: 'test' } })).toBe('under_test')
    expect(updatesDisabledReason({ ...packaged, windowsStore: true })).toBe('unsupported_install')
    expect(updatesDisabledReason({ ...packaged, platform: 'linux' })).toBe('unsupported_install')
  })
  it('runs unpackaged only with a developer feed, and never under tests', () => {
    const dev = { isPackaged: false, platform: 'linux' as const, env: { GUICHET_UPDATE_FEED: 'http://127.0.0.1:8080' } }
    expect(updatesDisabledReason(dev)).toBeNull()
    expect(devFeed(dev)).toBe('http://127.0.0.1:8080')
    expect(devFeed({ ...dev, isPackaged: true })).toBeNull()
    expect(updatesDisabledReason({ ...dev, env: { ...dev.env, VITEST: 'true' } })).toBe('under_test')
  })
})

describe('release notes', () => {
  it('turns feed HTML into plain text and never passes markup through', () => {
    const t = releaseNotesText(
      '<h2>1.1.0</h2><ul><li>Faster search</li><li>Fix <b>label</b> &amp; print</li></ul><script>alert(1)</script>'
    )
    expect(t).not.toMatch(/<|>/)
    expect(t).toContain('• Faster search')
    expect(t).toContain('Fix label & print')
  })
  it('turns the Markdown of release-notes.md into plain text', () => {
    expect(releaseNotesText('### Added\n- About screen\n* Faster search\n\n### Fixed\n- Label margins')).toBe(
      'Added\n• About screen\n• Faster search\n\nFixed\n• Label margins'
    )
  })

  it('joins per-version notes and handles empty notes', () => {
    expect(
      releaseNotesText([
        { version: '1.1.0', note: 'A' },
        { version: '1.0.1', note: null }
      ])
    ).toBe('1.1.0\nA\n\n1.0.1')
    expect(releaseNotesText(null)).toBeNull()
    expect(releaseNotesText('   ')).toBeNull()
    expect(releaseNotesText('x'.repeat(20), 10)).toHaveLength(10)
  })
})
