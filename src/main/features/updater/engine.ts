import type { FeedTarget } from './policy'

/** A newer version the feed offers this desk. */
export interface OfferedUpdate {
  version: string
  releaseDate: string | null
  /** Plain text (see releaseNotesText); never HTML. */
  releaseNotes: string | null
}

/**
 * What the UpdateService drives: updater.electron.ts, electron-updater (generic provider) in the
 * packaged app, the path that downloads, verifies and installs on a clerk's PC. Tests drive the
 * same class over electron-updater's own NsisUpdater (electron-updater.testkit.ts), or a fake
 * for the service's own decisions. Every method may throw; the service turns failures into a
 * quiet status, never a crash.
 */
export interface UpdateEngine {
  /** Reads the channel's feed; the offered update, or null when this desk stays as it is. */
  check(target: FeedTarget): Promise<OfferedUpdate | null>
  /** Downloads the update last offered by check() and verifies its sha512. */
  download(onProgress?: (percent: number) => void): Promise<void>
  /** Quits and installs the downloaded update. */
  install(opts: { silent: boolean; runAfter: boolean }): void
}
