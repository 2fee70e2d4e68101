import type * as ChildProcess from 'node:child_process'
import { lazyRequire } from '../../platform/startup/lazy'
import { GuichetError } from '../../../shared/result'
import type { ExecFile } from './types'

// Loaded at the first print, not at start: a desk answers scans long before it prints.
const childProcess = lazyRequire<typeof ChildProcess>('node:child_process')

/** execFile with a deadline; a missing program becomes a clear 'unsupported' error naming it. */
export const execFileAsync: ExecFile = (file, args, opts = {}) =>
  new Promise((resolve, reject) => {
    childProcess().execFile(
      file,
      [...args],
      { timeout: opts.timeoutMs ?? 15_000, maxBuffer: 4 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C' } },
      (err, stdout, stderr) => {
        if (!err) return resolve({ stdout: String(stdout), stderr: String(stderr) })
        const code = (err as NodeJS.ErrnoException).code
        if (code === 'ENOENT')
          return reject(new GuichetError('unsupported', `The program "${file}" is not installed (on Debian: apt-get install cups-client).`))
        const msg = String(stderr).trim().split('\n')[0] || err.message
        reject(new GuichetError('offline', `${file} failed: ${msg.slice(0, 200)}`, { retryable: true }))
      }
    )
  })
