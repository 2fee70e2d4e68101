import { describe, expect, it } from 'vitest'
import {
  CHECK_INTERVAL_MS,
  DEFAULT_OPENING_HOURS,
  RETRY_AFTER_FAILURE_MS,
  allowDowngradeFor,
  channelFileName,
  compareSemver,
  decideInstall,
  devFeed,
  feedChannelName,
  isOffered,
  isValidChannel,
  isWithinOpeningHours,
  isWithinRollout,
  nextCheckAt,
  parseSemver,
  releaseNotesText,
  stagingFraction,
  updatesDisabledReason,
  type InstallContext
} from './policy'

const cmp = (a: string, b: string) => compareSemver(parseSemver(a)!, parseSemver(b)!)

describe('semver', () => {
  it('orders releases and prereleases by semver precedence', () => {
    const ordered = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.1',
      '1.10.0',
      '2.0.0'
    ]
    for (let i = 0; i + 1 < ordered.length; i++) {
      expect(cmp(ordered[i]!, ordered[i + 1]!)).toBe(-1)
      expect(cmp(ordered[i + 1]!, ordered[i]!)).toBe(1)
    }
    expect(cmp('1.2.3', 'v1.2.3')).toBe(0)
  })
  it('rejects what is not a version', () => {
    for (const bad of ['', '1.2', '01.2.3', '1.2.3.4', 'latest', '1.2.3-']) expect(parseSemver(bad)).toBeNull()
  })
  it('offers only newer versions, or an older one when a downgrade is allowed', () => {
    expect(isOffered('1.1.0', '1.0.0', false)).toBe(true)
    expect(isOffered('1.0.0', '1.0.0', true)).toBe(false)
    expect(isOffered('0.9.0', '1.0.0', false)).toBe(false)
    expect(isOffered('1.2.4', '1.3.0-beta.2', true)).toBe(true)
    expect(isOffered('garbage', '1.0.0', true)).toBe(false)
  })
})

describe('channels', () => {
  it('accepts stable, beta and site rings only', () => {
    for (const ok of ['stable', 'beta', 'site-casa-01', 'site-x']) expect(isValidChannel(ok)).toBe(true)
    for (const bad of ['', 'latest', 'Beta', 'site-', 'site--', 'site-a/../b', 'site-' + 'a'.repeat(40), '../latest'])
      expect(isValidChannel(bad)).toBe(false)
  })
  it('names the feed file like electron-updater does', () => {
    expect(feedChannelName('stable')).toBe('latest')
    expect(channelFileName('stable', 'win32', 'x64')).toBe('latest.yml')
    expect(channelFileName('stable', 'linux', 'x64')).toBe('latest-linux.yml')
    expect(channelFileName('beta', 'linux', 'arm64')).toBe('beta-linux-arm64.yml')
    expect(channelFileName('site-casa-01', 'darwin', 'arm64')).toBe('site-casa-01-mac.yml')
  })
  it('allows a downgrade only when leaving a prerelease', () => {
    expect(allowDowngradeFor('stable', '1.3.0-beta.2')).toBe(true)
    expect(allowDowngradeFor('site-casa-01', '1.3.0-beta.2')).toBe(true)
    expect(allowDowngradeFor('beta', '1.3.0-beta.2')).toBe(false)
    expect(allowDowngradeFor('stable', '1.3.0')).toBe(false)
    expect(allowDowngradeFor('site-casa-01', '1.3.0')).toBe(false)
  })
})

describe('staged rollout', () => {
  // The last 4 bytes of the UUID decide, as in electron-updater.
  const low = '00000000-0000-4000-8000-000000000000' // fraction 0
  const mid = '00000000-0000-4000-8000-00007fffffff' // ~0.5
  const high = '00000000-0000-4000-8000-0000ffffffff' // 1
  it('places a desk by its staging id', () => {
    expect(stagingFraction(low)).toBe(0)
    expect(stagingFraction(high)).toBe(1)
    expect(stagingFraction(mid)!).toBeCloseTo(0.5, 5)
    expect(stagingFraction('not-a-uuid')).toBeNull()
  })
  it('lets in only desks below the percentage', () => {
    expect(isWithinRollout(10, low)).toBe(true)
    expect(isWithinRollout(10, mid)).toBe(false)
    expect(isWithinRollout(60, mid)).toBe(true)
    expect(isWithinRollout(100, high)).toBe(false)
    expect(isWithinRollout(0, low)).toBe(false)
    expect(isWithinRollout('40', mid)).toBe(false)
  })
  it('treats a missing or unreadable percentage as everyone', () => {
    expect(isWithinRollout(undefined, high)).toBe(true)
    expect(isWithinRollout('ten', high)).toBe(true)
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
