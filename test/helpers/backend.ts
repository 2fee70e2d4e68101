import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createBackend, type Backend } from '../../src/main/backend'
import { ManualClock } from '../../src/main/platform/clock'
import { silentLogger } from '../../src/main/platform/logger'
import { MemoryStore } from '../../src/main/core/settings/settings'

/** A real backend on a fresh data dir, with a hand-moved clock and no log file. */
export function testBackend(opts: { demo?: boolean } = {}): Backend & { clock: ManualClock; dataDir: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'guichet-test-'))
  const clock = new ManualClock()
  const backend = createBackend({
    dataDir,
    version: '0.0.0-test',
    settingsStore: new MemoryStore(),
    clock,
    logger: silentLogger,
    demo: opts.demo ?? true
  })
  return Object.assign(backend, { clock, dataDir })
}
