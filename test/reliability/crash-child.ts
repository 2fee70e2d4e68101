// The process the crash test kills: the real backend (outbox worker, poller, store) against
// simulators run by the parent. It accepts remarks one by one and records each accepted one
// durably (fsync) BEFORE moving on; the parent SIGKILLs it at random points.
//   argv: <dataDir> <ecotrackUrl> <expressRelaisUrl> <run> <count> [drain]
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { createBackend } from '../../src/main/backend'
import { DEMO_SIM_CREDENTIALS } from '../../src/main/demo/simulators'
import { createLogger } from '../../src/main/platform/logger'
import { MemoryStore } from '../../src/main/core/settings/settings'

const [dataDir, ecoUrl, erUrl, runText, countText, mode] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string | undefined
]
const run = Number(runText)
const count = Number(countText)

async function main(): Promise<void> {
  const logger = createLogger({ file: join(dataDir, 'logs', 'guichet.log'), console: false })
  const backend = createBackend({
    dataDir,
    version: 'reliability',
    settingsStore: new MemoryStore(),
    logger,
    demo: true,
    demoSimulators: false,
    startPoller: true
  })
  backend.accounts.setDemoAccounts([
    { carrier: 'ecotrack', alias: 'demo', baseUrl: ecoUrl, credentials: { token: DEMO_SIM_CREDENTIALS.ecotrack.token } },
    {
      carrier: 'express-relais',
      alias: 'demo',
      baseUrl: erUrl,
      credentials: { username: DEMO_SIM_CREDENTIALS['express-relais'].user, password: DEMO_SIM_CREDENTIALS['express-relais'].password },
      options: { enabled: true }
    }
  ])
  const info = await backend.dispatch('app.info', {})
  if (info.ok && (info.value as { storeWarning: string | null }).storeWarning) process.stdout.write('INTEGRITY_FAIL\n')
  // After a kill the full-file check runs once the first call is answered (in a worker): wait
  // for it here, so that every restart is proven sound before the next kill.
  const check = await backend.storeIntegrity
  if (check && check.outcome !== 'sound') process.stdout.write('INTEGRITY_FAIL\n')
  const found = await backend.dispatch('shipments.find', { query: 'ECQFLD2611240017' })
  if (!found.ok) throw new Error('demo parcel missing')
  const shipmentId = (found.value as { detail: { shipment: { id: number } } }).detail.shipment.id
  process.stdout.write('READY\n')

  const log = openSync(join(dataDir, 'accepted.log'), 'a')
  for (let i = 0; i < count; i++) {
    const id = `${run}-${i}`
    const r = await backend.dispatch('remarks.add', { shipmentId, text: `crash-test ${id}` })
    if (r.ok) {
      writeSync(log, `${id}\n`)
      fsyncSync(log)
    }
    await new Promise((res) => setTimeout(res, 20 + ((run * 7 + i * 13) % 60)))
  }
  closeSync(log)

  if (mode === 'drain') {
    // Stay until every accepted write reached the carrier (or stopped on a permanent error).
    for (;;) {
      const p = await backend.dispatch('outbox.pending', {})
      if (p.ok && (p.value as { pending: number }).pending === 0) break
      await new Promise((res) => setTimeout(res, 500))
    }
    backend.close()
    process.stdout.write('DRAINED\n')
    process.exit(0)
  }
  // Otherwise keep working (outbox, poller) until the parent kills us.
  setInterval(() => {}, 1 << 30)
}

main().catch((e) => {
  process.stderr.write(`crash-child failed: ${(e as Error).stack}\n`)
  process.exit(3)
})
