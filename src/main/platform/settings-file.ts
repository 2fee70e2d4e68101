import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs'
import type { Logger } from './logger'

// The backend's non-secret settings: one JSON object in the data dir's settings.json, the same
// file and format the desktop shell's electron-store reads (a key per setting, tab-indented).
// Not conf itself: conf brings ajv, semver and fast-uri (a third of the backend bundle) for schema
// and migration options we do not use, and the backend must answer its first scan within 150 ms;
// each setting is validated by its own feature (core/settings) instead.

export interface SettingsFile {
  get(key: string): unknown
  /** Writes the whole file at once (written beside it, then renamed: a crash leaves the old or the new). */
  set(key: string, value: unknown): void
}

/**
 * Reads `file` once and keeps it in memory; every set writes it back. A file that is not a JSON
 * object (hand-edited, cut short) is kept under a dated name, logged, and the desk starts with
 * defaults: nothing is lost, nothing stops the start.
 */
export function openSettingsFile(file: string, opts: { logger?: Logger; now?: () => number } = {}): SettingsFile {
  let data: Record<string, unknown> = {}
  let text: string | null = null
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
  }
  if (text !== null && text.trim() !== '') {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = undefined
    }
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) data = parsed as Record<string, unknown>
    else {
      const kept = `${file}.damaged-${new Date((opts.now ?? Date.now)()).toISOString().replace(/[:.]/g, '-')}`
      renameSync(file, kept)
      opts.logger?.error('settings.set_aside', { file, kept })
    }
  }

  const write = () => {
    const tmp = `${file}.${process.pid}.tmp`
    const fd = openSync(tmp, 'w', 0o600)
    try {
      try {
        writeSync(fd, JSON.stringify(data, undefined, '\t'))
        fsyncSync(fd)
      } finally {
        closeSync(fd)
      }
      renameSync(tmp, file)
    } catch (e) {
      rmSync(tmp, { force: true })
      throw e
    }
  }

  return {
    // A copy: a caller that changes what it read does not change the settings behind the file's back.
    get: (key) => (Object.hasOwn(data, key) ? structuredClone(data[key]) : undefined),
    set(key, value) {
      const next = { ...data }
      if (value === undefined) delete next[key]
      else next[key] = JSON.parse(JSON.stringify(value)) as unknown
      const before = data
      data = next
      try {
        write()
      } catch (e) {
        data = before // the file still holds the old value: so does memory
        throw e
      }
    }
  }
}
