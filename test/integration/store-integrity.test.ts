// After a power cut the desk answers its first scan at once; the full-file check runs after it,
// in a worker thread, and damage it finds is set aside by the backend's next start (the host
// starts it again), with the banner the clerk sees today.
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createBackend, type Backend } from '../../src/main/backend'
import { damageMarker } from '../../src/main/platform/db/database'
import { leaveAsAfterPowerCut } from '../../src/main/platform/db/power-cut.testkit'
import { ManualClock } from '../../src/main/platform/clock'
import { silentLogger } from '../../src/main/platform/logger'
import { MemoryStore } from '../../src/main/core/settings/settings'
import type { AppInfo } from '../../src/shared/app'
import type { Result } from '../../src/shared/result'

const open: Backend[] = []
afterEach(async () => {
  for (const b of open.splice(0)) await b.close()
})

function backend(dataDir: string, onStoreDamaged?: () => void): Backend {
  const b = createBackend({
    dataDir,
    version: '0.0.0-test',
    settingsStore: new MemoryStore(),
    clock: new ManualClock(),
    logger: silentLogger,
    demo: false,
    outboxAutoStart: false,
    ...(onStoreDamaged ? { onStoreDamaged } : {})
  })
  open.push(b)
  return b
}

/** A desk's store, closed cleanly, then a power cut that (if `damage`) damaged its rows' pages. */
function powerCutStore(damage: boolean): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'guichet-powercut-'))
  const first = backend(dataDir)
  void first.close()
  open.pop()
  leaveAsAfterPowerCut(join(dataDir, 'guichet.sqlite'), damage ? 'rows' : 'none')
  return dataDir
}

const info = async (b: Backend): Promise<Result<AppInfo>> => (await b.dispatch('app.info', {})) as Result<AppInfo>

describe('the store check after an unclean shutdown', () => {
  it('answers the first scan before the check, finds the damage after it, and the next start sets the file aside', async () => {
    const dataDir = powerCutStore(true)
    const damaged = vi.fn()
    const b = backend(dataDir, damaged)
    await b.start()
    let settled = false
    expect(b.storeIntegrity).not.toBeNull()
    void b.storeIntegrity!.then(() => (settled = true))

    const scan = await b.dispatch('shipments.find', { query: 'CP123456789CH' })
    expect(scan.ok).toBe(true)
    expect(settled).toBe(false) // the check starts only once the first answer is out
    const first = await info(b)
    expect(first.ok && first.value.storeWarning).toBeNull()

    const outcome = await b.storeIntegrity!
    expect(outcome.outcome).toBe('damaged')
    expect(damaged).toHaveBeenCalledTimes(1)
    expect(existsSync(damageMarker(join(dataDir, 'guichet.sqlite')))).toBe(true)
    open.pop()
    await b.close()

    // The host starts the backend again (utilityProcess: main; browser mode: serve.ts).
    const again = backend(dataDir)
    expect(again.storeIntegrity).toBeNull()
    const after = await info(again)
    expect(after.ok && after.value.storeWarning).toMatchObject({ code: 'store_set_aside', reason: 'integrity' })
    const kept = after.ok && after.value.storeWarning ? after.value.storeWarning.kept : ''
    expect(existsSync(kept)).toBe(true)
  })

  it('says nothing and restarts nothing when the store is sound', async () => {
    const dataDir = powerCutStore(false)
    const damaged = vi.fn()
    const b = backend(dataDir, damaged)
    await b.start()
    await b.dispatch('shipments.find', { query: 'CP123456789CH' })
    expect(await b.storeIntegrity).toEqual({ outcome: 'sound' })
    expect(damaged).not.toHaveBeenCalled()
    const i = await info(b)
    expect(i.ok && i.value.storeWarning).toBeNull()
  })

  it('a backend closed before its check ran never marks the store', async () => {
    const dataDir = powerCutStore(true)
    const damaged = vi.fn()
    const b = backend(dataDir, damaged)
    open.pop()
    await b.close()
    expect(await b.storeIntegrity).toEqual({ outcome: 'not_run', reason: 'cancelled' })
    expect(damaged).not.toHaveBeenCalled()
    expect(existsSync(damageMarker(join(dataDir, 'guichet.sqlite')))).toBe(false)
  })
})
