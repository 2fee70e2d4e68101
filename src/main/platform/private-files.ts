import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

// The data dir holds personal data (names, phones, addresses), carrier secrets and logs: only
// the desk's own account may read it. Files the process creates get 0600 and folders 0700 from
// the umask (set at start, privateUmask()); what an older version left open is closed here.

/** From now on this process creates files 0600 and folders 0700 (POSIX; Windows ignores it). */
export function privateUmask(): void {
  if (process.platform !== 'win32') process.umask(0o077)
}

/** Creates the data dir 0700, or closes it if it exists: what must hold before anything is written. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  if (process.platform !== 'win32') chmodSync(dir, 0o700)
}

/**
 * Creates the data dir 0700 and closes everything under it: folders 0700, files 0600. Symbolic
 * links are left alone (chmod would follow them out of the dir).
 */
export function tightenDataDir(dir: string, depth = 0): void {
  if (depth === 0) mkdirSync(dir, { recursive: true, mode: 0o700 })
  if (process.platform === 'win32' || depth > 8) return
  try {
    chmodSync(dir, 0o700)
    for (const name of readdirSync(dir)) {
      const p = join(dir, name)
      const st = lstatSync(p)
      if (st.isSymbolicLink()) continue
      if (st.isDirectory()) tightenDataDir(p, depth + 1)
      else if ((st.mode & 0o077) !== 0) chmodSync(p, 0o600)
    }
  } catch {
    // A file that vanished or is not ours: the next start tries again; never block start-up.
  }
}
