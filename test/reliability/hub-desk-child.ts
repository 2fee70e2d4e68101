// A desk the network reliability run kills: the real backend with its hub link (enrolled from
// GUICHET_HUB_URL + GUICHET_HUB_CODE on first start), registering a shipment for the next desk's
// point every few tens of milliseconds. Every commit is a fact the network must carry once.
//   argv: <dataDir> <desk index> <desks>
import { createBackend } from '../../src/main/backend'
import { ShipmentRepository } from '../../src/main/core/shipments/shipments.repo'
import { MemoryStore } from '../../src/main/core/settings/settings'
import { createLogger } from '../../src/main/platform/logger'
import { join } from 'node:path'

const [dataDir, indexText, desksText] = process.argv.slice(2) as [string, string, string]
const k = Number(indexText)
const desks = Number(desksText)

async function main(): Promise<void> {
  const backend = createBackend({
    dataDir,
    version: 'reliability',
    settingsStore: new MemoryStore(),
    logger: createLogger({ file: join(dataDir, 'logs', 'guichet.log'), console: false }),
    startPoller: false,
    outboxAutoStart: false,
    pollerAccounts: () => []
  })
  await backend.start()
  const repo = new ShipmentRepository(backend.db)
  const to = `P${(k + 1) % desks}`
  let n = (backend.db.prepare(`SELECT count(*) AS n FROM shipments WHERE tracking_number LIKE ?`).get(`H${k}N%`) as { n: number }).n
  process.stdout.write('READY\n')
  const write = () => {
    if (process.env.HUB_DESK_WRITE !== '0') {
      n++
      repo.insert({
        carrier: 'ecotrack',
        account: `desk${k}`,
        trackingNumber: `H${k}N${String(n).padStart(6, '0')}`,
        recipientName: 'R',
        createdAt: Date.now(),
        point: { id: to, name: to, address: '-' }
      })
    }
    setTimeout(write, 20 + Math.floor(Math.random() * 60))
  }
  write()
}

main().catch((e: Error) => {
  process.stderr.write(`${e.stack ?? e.message}\n`)
  process.exit(1)
})
