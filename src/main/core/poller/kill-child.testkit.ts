// The poller in a process of its own, for the SIGKILL test (poller-kill.test.ts): it opens the
// store given on the command line and polls a loopback fake carrier until it is killed.
// Usage: node --import tsx src/main/core/poller/kill-child.testkit.ts <db-file> <carrier-base-url>
import { openDatabase } from '../../platform/db/database'
import { StatusPipeline } from '../pipeline/pipeline'
import { TEST_MAPPING } from '../pipeline/pipeline.testkit'
import { CarrierError, type Capability, type CarrierAdapter, type TrackResult } from '../../carriers/types'
import { systemClock } from '../../platform/clock'
import { EventBus } from '../../platform/events'
import { silentLogger } from '../../platform/logger'
import { Poller } from './poller'

const [file, base] = process.argv.slice(2)
if (!file || !base) {
  process.stderr.write('usage: kill-child <db-file> <carrier-base-url>\n')
  process.exit(2)
}

/** A loopback carrier with a batch call: GET /track?n=A,B -> {results:[{n, events:[{id, at, status}]}]}. */
const adapter: CarrierAdapter = {
  carrier: 'ecotrack',
  account: 'default',
  capabilities: new Set<Capability>(['track_many']),
  batchSize: 10,
  budget: () => ({ remaining: null, resetsAt: null, blockedUntil: null }),
  async track(numbers): Promise<TrackResult[]> {
    try {
      const res = await fetch(`${base}/track?n=${encodeURIComponent(numbers.join(','))}`)
      const body = (await res.json()) as { results: Array<{ n: string; events: Array<{ id: string; at: number; status: string }> }> }
      return body.results.map((r) => ({
        trackingNumber: r.n,
        ok: true,
        events: r.events.map((e) => ({ at: e.at, nativeStatus: e.status, dedupeKey: e.id }))
      }))
    } catch (e) {
      const err = new CarrierError('offline', `carrier unreachable: ${(e as Error).message}`, { retryable: true })
      return numbers.map((n) => ({ trackingNumber: n, ok: false, error: err }))
    }
  }
}

const { db } = openDatabase(file)
const events = new EventBus()
// A fast rhythm (300 ms) stands in for the hourly tier so the test sees many cycles.
const pipeline = new StatusPipeline({
  db,
  clock: systemClock,
  events,
  logger: silentLogger,
  mappingFor: () => TEST_MAPPING,
  schedule: (c) => (c.final ? null : c.now + 300)
})
const poller = new Poller({
  db,
  pipeline,
  clock: systemClock,
  events,
  logger: silentLogger,
  accounts: () => [{ adapter }],
  options: { maxCallsPerCycle: 1000 }
})

let cycles = 0
async function loop(): Promise<void> {
  for (;;) {
    await poller.runCycle()
    cycles++
    if (cycles === 1) process.stdout.write('cycling\n')
    await new Promise((r) => setTimeout(r, 20))
  }
}
process.on('SIGTERM', () => {
  db.close()
  process.exit(0)
})
void loop()
