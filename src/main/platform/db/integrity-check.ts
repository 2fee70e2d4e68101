import type * as WorkerThreads from 'node:worker_threads'
import { quickCheck } from './database'
import { nativeBinding } from './native-binding'
import { lazyRequire } from '../startup/lazy'

// Loaded at the first check, not at start: most starts owe none, and worker_threads costs them a few ms.
const workerThreads = lazyRequire<typeof WorkerThreads>('node:worker_threads')

export type IntegrityOutcome =
  | { outcome: 'sound' }
  | { outcome: 'damaged'; problem: string }
  /** The worker could not run the check (or it was cancelled): it proves nothing either way. */
  | { outcome: 'not_run'; reason: string }

/** A check under way; `cancel` ends it (the backend closes). */
export interface IntegrityCheck {
  result: Promise<IntegrityOutcome>
  cancel(): void
}

/**
 * Runs SQLite's full-file check of `file` in a worker thread: the store stays open and answers
 * scans while every page is read (seconds on a year of parcels). The worker runs
 * database.ts's own `quickCheck` from its source text, so there is no second file to bundle,
 * unpack or keep in step, and loads better-sqlite3 by the path this thread resolved it at.
 */
export function checkIntegrityInBackground(file: string): IntegrityCheck {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads')
    const quickCheck = ${quickCheck.toString()}
    parentPort.postMessage(quickCheck(require(workerData.sqlite), workerData.file, workerData.binding))`
  const worker = new (workerThreads().Worker)(source, {
    eval: true,
    // The worker has no process.versions.electron to choose the native build by: this thread chose.
    workerData: { sqlite: require.resolve('better-sqlite3'), file, binding: nativeBinding() }
  })
  // Never keeps the process alive: a backend that is closing does not wait for a check.
  worker.unref()
  let cancelled = false
  const result = new Promise<IntegrityOutcome>((resolve) => {
    worker.once('message', (problem: unknown) => {
      if (cancelled) resolve({ outcome: 'not_run', reason: 'cancelled' })
      else resolve(problem === null ? { outcome: 'sound' } : { outcome: 'damaged', problem: String(problem) })
    })
    worker.once('error', (e) => resolve({ outcome: 'not_run', reason: e.message }))
    worker.once('exit', (code) => resolve({ outcome: 'not_run', reason: cancelled ? 'cancelled' : `worker exited with ${code}` }))
  })
  return {
    result,
    cancel() {
      cancelled = true
      void worker.terminate()
    }
  }
}
