// Outbox benchmark: what the clerk waits for when adding a remark (one durable transaction with
// synchronous=FULL: local remark + outbox row), and how fast a backlog drains once the carrier is
// reachable again (an instant in-process carrier, so the figure is Guichet's own cost).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { ActionService } from '../src/main/core/outbox/actions'
import { Outbox } from '../src/main/core/outbox/outbox'
import { BUILTIN_KINDS } from '../src/main/core/outbox/kinds'
import { OutboxStore } from '../src/main/core/outbox/store'
import { FakeCarrier } from '../src/main/carriers/testing/fake-carrier.testkit'
import { openOutboxDatabase } from '../src/main/core/outbox/outbox.testkit'
import { OutboxKinds, OutboxWorker } from '../src/main/core/outbox/worker'
import { ManualClock } from '../src/main/platform/clock'
import { silentLogger } from '../src/main/platform/logger'
import { percentile, type Figure } from './run'

const N = Number(process.env.BENCH_OUTBOX ?? 2000)

export default async function (): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-bench-outbox-'))
  const db = openOutboxDatabase(join(dir, 'bench.sqlite'))
  const clock = new ManualClock()
  const ids: number[] = []
  db.transaction(() => {
    for (let i = 0; i < 500; i++) {
      const t = `ECQFLD${2103000000 + i}`
      ids.push(
        Number(
          db
            .prepare(
              `INSERT INTO shipments (carrier, account, tracking_number, tracking_key, recipient_name, created_at, updated_at)
              VALUES ('ecotrack', 'default', ?, ?, 'Bench', ?, ?)`
            )
            .run(t, t, clock.now(), clock.now()).lastInsertRowid
        )
      )
    }
  })()
  const store = new OutboxStore(db)
  const kinds = new OutboxKinds(BUILTIN_KINDS)
  const actions = new ActionService(db, new Outbox(db, store, kinds), store, clock)
  const carrier = new FakeCarrier({ carrier: 'ecotrack', account: 'default', now: () => clock.now() })
  const worker = new OutboxWorker({ store, kinds, clock, logger: silentLogger, adapterFor: () => carrier, random: () => 0.5 })

  const record: number[] = []
  for (let i = 0; i < N; i++) {
    const t0 = performance.now()
    actions.addRemark(ids[i % ids.length]!, `Remarque ${i}`)
    record.push(performance.now() - t0)
    clock.advance(11_000) // past the double-click window
  }
  const t0 = performance.now()
  let sent = 0
  while (store.counts().pending > 0) sent += (await worker.runOnce()).sent
  const drainMs = performance.now() - t0
  db.close()
  rmSync(dir, { recursive: true, force: true })
  return [
    { metric: 'record_p50', value: percentile(record, 50), unit: 'ms' },
    { metric: 'record_p95', value: percentile(record, 95), unit: 'ms', goal: 'a clerk action answers in < 100 ms' },
    { metric: 'drain_rate', value: (sent / drainMs) * 1000, unit: 'writes/s' },
    { metric: 'drained', value: sent, unit: 'writes' }
  ]
}
