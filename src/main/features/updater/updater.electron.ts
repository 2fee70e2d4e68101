// The real update path on a clerk's PC: electron-updater with the generic provider. The feed URL
// and channel come from the UpdateService (settings, else the build's app-update.yml); the
// service decides when to check, when to install, and what to show. electron-updater itself
// fetches latest*.yml, applies stagingPercentage, downloads, verifies the sha512 and installs.
//
// electron-updater is imported lazily and only here: reading its `autoUpdater` outside Electron
// throws, and it is never loaded when updates are off (not packaged, tests, browser mode).

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { App } from 'electron'
import type { AppUpdater, ProgressInfo } from 'electron-updater'
import { load as loadYaml } from 'js-yaml'
import type { Logger } from '../../platform/logger'
import { buildSigning, signingAtBuild } from '../../platform/security/signing'
import type { OfferedUpdate, UpdateEngine } from './engine'
import { devFeed, feedChannelName, releaseNotesText, updatesDisabledReason, type FeedTarget } from './policy'
import type { UpdateService } from './service'
import type { UpdaterSetup } from './setup'

/** The part of electron-updater's AppUpdater this engine uses (tests pass a fake). */
export type UpdaterLike = Pick<
  AppUpdater,
  | 'autoDownload'
  | 'autoInstallOnAppQuit'
  | 'allowDowngrade'
  | 'disableWebInstaller'
  | 'forceDevUpdateConfig'
  | 'logger'
  | 'setFeedURL'
  | 'checkForUpdates'
  | 'downloadUpdate'
  | 'quitAndInstall'
  | 'on'
  | 'off'
>

export class ElectronUpdaterEngine implements UpdateEngine {
  constructor(
    private readonly updater: UpdaterLike,
    logger: Logger,
    opts: { dev?: boolean } = {}
  ) {
    // The service decides when to download and install; electron-updater must not on its own.
    updater.autoDownload = false
    // Never install on an arbitrary quit: a Windows shutdown during the NSIS install can leave an
    // empty install directory. The quit-time install goes through the service's decision instead.
    updater.autoInstallOnAppQuit = false
    updater.disableWebInstaller = true
    // Unpackaged with GUICHET_UPDATE_FEED: electron-updater stays inactive unless forced.
    if (opts.dev) updater.forceDevUpdateConfig = true
    updater.logger = {
      info: (m?: unknown) => logger.debug('updater.electron', { message: String(m) }),
      warn: (m?: unknown) => logger.info('updater.electron_warn', { message: String(m) }),
      error: (m?: unknown) => logger.warn('updater.electron_error', { message: String(m) })
    }
    // An EventEmitter 'error' without a listener throws: a failed update must never crash the desk.
    updater.on('error', (e: Error) => logger.warn('updater.electron_error', { error: e }))
  }

  async check(target: FeedTarget): Promise<OfferedUpdate | null> {
    this.updater.setFeedURL({
      provider: 'generic',
      url: target.url,
      channel: feedChannelName(target.channel),
      useMultipleRangeRequest: false
    })
    // Set after the feed: electron-updater turns allowDowngrade on whenever its channel is set.
    this.updater.allowDowngrade = target.allowDowngrade
    const r = await this.updater.checkForUpdates()
    if (!r || !r.isUpdateAvailable) return null
    const info = r.updateInfo
    return { version: info.version, releaseDate: info.releaseDate ?? null, releaseNotes: releaseNotesText(info.releaseNotes) }
  }

  async download(onProgress?: (percent: number) => void): Promise<void> {
    const listener = (p: ProgressInfo): void => onProgress?.(Math.floor(p.percent))
    this.updater.on('download-progress', listener)
    try {
      await this.updater.downloadUpdate()
    } finally {
      this.updater.off('download-progress', listener)
    }
  }

  install(opts: { silent: boolean; runAfter: boolean }): void {
    this.updater.quitAndInstall(opts.silent, opts.runAfter)
  }
}

/** The feed electron-builder baked into resources/app-update.yml (publish.url), if any. */
export function readBuildFeed(resourcesPath: string): { feedUrl: string | null; channel: string } {
  const { feedUrl, channel } = readAppUpdateYml(resourcesPath)
  return { feedUrl, channel }
}

/**
 * resources/app-update.yml as electron-builder writes it: the feed, and on a Windows build signed
 * with a certificate the publisher name(s) electron-updater requires of every update.
 */
function readAppUpdateYml(resourcesPath: string): { feedUrl: string | null; channel: string; publisherName: string | null } {
  try {
    const raw = loadYaml(readFileSync(join(resourcesPath, 'app-update.yml'), 'utf8')) as {
      url?: unknown
      channel?: unknown
      publisherName?: unknown
    } | null
    const channel = typeof raw?.channel === 'string' && raw.channel !== 'latest' ? raw.channel : 'stable'
    const names = (Array.isArray(raw?.publisherName) ? raw.publisherName : [raw?.publisherName]).filter(
      (n): n is string => typeof n === 'string' && n.trim() !== ''
    )
    return { feedUrl: typeof raw?.url === 'string' ? raw.url : null, channel, publisherName: names.length ? names.join(', ') : null }
  } catch {
    return { feedUrl: null, channel: 'stable', publisherName: null }
  }
}

/** What the desktop shell passes to createBackend({ updates }). */
export async function createDesktopUpdater(o: {
  app: Pick<App, 'isPackaged'>
  logger: Logger
  resourcesPath: string
  isPrinting?: () => boolean
  hasUnsentOutbox?: () => boolean
}): Promise<UpdaterSetup> {
  const environment = {
    isPackaged: o.app.isPackaged,
    platform: process.platform,
    env: process.env,
    windowsStore: (process as { windowsStore?: boolean }).windowsStore === true
  }
  const dev = devFeed(environment)
  const { publisherName, ...build } = readAppUpdateYml(o.resourcesPath)
  const defaults = dev ? { ...build, feedUrl: dev } : build
  const signing = buildSigning({ isPackaged: o.app.isPackaged, atBuild: signingAtBuild(), updatePublisher: publisherName })
  const base = { defaults, signing, isPrinting: o.isPrinting, hasUnsentOutbox: o.hasUnsentOutbox }
  const disabledReason = updatesDisabledReason(environment)
  if (disabledReason) {
    o.logger.info('updater.disabled', { reason: disabledReason })
    return { ...base, engine: null, disabledReason }
  }
  try {
    const { autoUpdater } = await import('electron-updater')
    if (dev) o.logger.info('updater.dev_feed', { url: dev })
    return { ...base, engine: new ElectronUpdaterEngine(autoUpdater, o.logger, { dev: dev !== null }), disabledReason: null }
  } catch (e) {
    o.logger.warn('updater.unavailable', { error: e })
    return { ...base, engine: null, disabledReason: 'unsupported_install' }
  }
}

/** Starts the schedule and lets a quit outside opening hours install quietly. */
export function bindUpdater(app: Pick<App, 'on'>, service: UpdateService, logger: Logger): void {
  service.start()
  app.on('before-quit', () => {
    try {
      service.onQuit()
    } catch (e) {
      logger.warn('updater.quit_failed', { error: e })
    }
  })
}
