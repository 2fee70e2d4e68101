// A plain-TS reader of an electron-builder "generic" update feed, mirroring electron-updater's
// GenericProvider + AppUpdater semantics: channel file name per platform, semver comparison
// with allowDowngrade, stagingPercentage against the desk's staging id, and sha512 (base64, as
// electron-builder writes it) verified over the downloaded artifact.
//
// Honest scope: in the packaged app electron-updater does all of this itself (updater.electron.ts).
// This engine exists so the same feed can be exercised end to end in Node tests, where Electron
// cannot run, and to validate a feed before pointing desks at it. It cannot install.

import { createHash, randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { load as loadYaml } from 'js-yaml'
import { z } from 'zod'
import { GuichetError } from '../../../shared/result'
import type { OfferedUpdate, UpdateEngine } from './engine'
import { channelFileName, isOffered, isWithinRollout, releaseNotesText, type FeedTarget } from './policy'

const fileSchema = z.object({ url: z.string().min(1), sha512: z.string().min(1), size: z.number().int().nonnegative().optional() })

/** latest*.yml as electron-builder writes it (extra keys are kept out, not rejected). */
export const updateInfoSchema = z.object({
  version: z.string().min(1),
  files: z.array(fileSchema).optional(),
  // Legacy single-file form, still accepted by electron-updater.
  path: z.string().optional(),
  sha512: z.string().optional(),
  releaseDate: z.string().optional(),
  releaseName: z.string().nullable().optional(),
  releaseNotes: z
    .union([z.string(), z.array(z.object({ version: z.string().optional(), note: z.string().nullable().optional() }))])
    .nullable()
    .optional(),
  stagingPercentage: z.union([z.number(), z.string()]).optional()
})
export type UpdateInfo = z.infer<typeof updateInfoSchema>
export type UpdateFile = z.infer<typeof fileSchema>

export function parseUpdateInfo(text: string): UpdateInfo {
  let raw: unknown
  try {
    raw = loadYaml(text)
  } catch {
    throw new GuichetError('carrier_error', 'The update feed is not valid YAML')
  }
  const parsed = updateInfoSchema.safeParse(raw)
  if (!parsed.success)
    throw new GuichetError('carrier_error', `The update feed is incomplete: ${parsed.error.issues[0]?.path.join('.') || 'version'}`)
  return parsed.data
}

/** The installer electron-updater would pick for this platform. */
export function pickFile(info: UpdateInfo, platform: NodeJS.Platform): UpdateFile {
  const files: UpdateFile[] = info.files?.length ? info.files : info.path && info.sha512 ? [{ url: info.path, sha512: info.sha512 }] : []
  if (files.length === 0) throw new GuichetError('carrier_error', 'The update feed lists no file')
  const ext = platform === 'linux' ? '.appimage' : platform === 'darwin' ? '.zip' : '.exe'
  return files.find((f) => f.url.toLowerCase().split('?')[0]!.endsWith(ext)) ?? files[0]!
}

/** Like electron-updater's newBaseUrl: a feed URL always ends with a slash. */
export function feedBase(url: string): URL {
  const u = new URL(url)
  if (!u.pathname.endsWith('/')) u.pathname += '/'
  return u
}

/** A URL without its query: feed URLs may carry a token, which must not reach logs or the UI. */
export const safeUrl = (u: URL): string => `${u.origin}${u.pathname}`

/** The desk's staging id, in the same file electron-updater uses (userData/.updaterId). */
export async function loadStagingId(userDataDir: string): Promise<string> {
  const file = join(userDataDir, '.updaterId')
  try {
    const id = (await readFile(file, 'utf8')).trim()
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return id
  } catch {
    // First run: create one below.
  }
  const id = randomUUID()
  await mkdir(userDataDir, { recursive: true })
  await writeFile(file, id)
  return id
}

export interface FeedEngineOptions {
  currentVersion: string
  platform: NodeJS.Platform
  arch: string
  stagingId: string
  /** Where downloads land; verified files only. */
  downloadDir: string
  fetch?: typeof fetch
  timeoutMs?: number
  /** This engine cannot install; tests pass a recorder. */
  onInstall?: (file: string, opts: { silent: boolean; runAfter: boolean }) => void
}

export class FeedEngine implements UpdateEngine {
  private offered: { info: UpdateInfo; file: UpdateFile; url: URL } | null = null
  private downloadedFile: string | null = null
  private readonly fetchFn: typeof fetch
  private readonly timeoutMs: number

  constructor(private readonly o: FeedEngineOptions) {
    this.fetchFn = o.fetch ?? fetch
    this.timeoutMs = o.timeoutMs ?? 30_000
  }

  async check(target: FeedTarget): Promise<OfferedUpdate | null> {
    const base = feedBase(target.url)
    const channelUrl = new URL(channelFileName(target.channel, this.o.platform, this.o.arch), base)
    channelUrl.search = base.search
    const res = await this.get(channelUrl)
    if (res.status === 404) throw new GuichetError('not_found', `No update feed for channel "${target.channel}" at ${safeUrl(channelUrl)}`)
    if (!res.ok) throw new GuichetError('carrier_error', `The update server answered ${res.status}`, { retryable: true })
    const info = parseUpdateInfo(await res.text())
    this.offered = null
    if (!isOffered(info.version, this.o.currentVersion, target.allowDowngrade)) return null
    if (!isWithinRollout(info.stagingPercentage, this.o.stagingId)) return null
    const file = pickFile(info, this.o.platform)
    const url = new URL(file.url, base)
    if (base.search && !url.search) url.search = base.search
    this.offered = { info, file, url }
    return { version: info.version, releaseDate: info.releaseDate ?? null, releaseNotes: releaseNotesText(info.releaseNotes) }
  }

  async download(onProgress?: (percent: number) => void): Promise<void> {
    const offered = this.offered
    if (!offered) throw new GuichetError('conflict', 'No update to download')
    await mkdir(this.o.downloadDir, { recursive: true })
    // basename: a feed must never write outside the download directory.
    const name = basename(decodeURIComponent(offered.url.pathname)) || `update-${offered.info.version}`
    const final = join(this.o.downloadDir, name)
    const temp = join(this.o.downloadDir, `temp-${name}`)
    const res = await this.get(offered.url)
    if (!res.ok || !res.body) throw new GuichetError('carrier_error', `The update download answered ${res.status}`, { retryable: true })
    const total = offered.file.size ?? (Number(res.headers.get('content-length')) || 0)
    const hash = createHash('sha512')
    const out = createWriteStream(temp)
    let received = 0
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        hash.update(chunk)
        received += chunk.length
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()))
        if (total > 0) onProgress?.(Math.min(100, Math.floor((received / total) * 100)))
      }
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())))
    } catch (e) {
      out.destroy()
      await rm(temp, { force: true })
      throw new GuichetError('offline', `The update download was interrupted: ${e instanceof Error ? e.message : String(e)}`, {
        retryable: true
      })
    }
    const digest = hash.digest('base64')
    if (digest !== offered.file.sha512 || (offered.file.size !== undefined && received !== offered.file.size)) {
      await rm(temp, { force: true })
      throw new GuichetError('carrier_refused', `The downloaded update ${offered.info.version} failed its sha512 check and was discarded`)
    }
    await rename(temp, final)
    this.downloadedFile = final
  }

  /** The verified file on disk, once download() succeeded. */
  get downloaded(): string | null {
    return this.downloadedFile
  }

  install(opts: { silent: boolean; runAfter: boolean }): void {
    if (!this.downloadedFile) throw new GuichetError('conflict', 'No verified update to install')
    if (!this.o.onInstall) throw new GuichetError('unsupported', 'Installing is done by electron-updater in the desktop app')
    this.o.onInstall(this.downloadedFile, opts)
  }

  private async get(url: URL): Promise<Response> {
    try {
      return await this.fetchFn(url, { signal: AbortSignal.timeout(this.timeoutMs), headers: { 'x-user-staging-id': this.o.stagingId } })
    } catch (e) {
      const timeout = e instanceof Error && e.name === 'TimeoutError'
      throw new GuichetError(timeout ? 'timeout' : 'offline', `The update server ${url.host} could not be reached`, { retryable: true })
    }
  }
}
