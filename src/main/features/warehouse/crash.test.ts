import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startShiprocketSimulator } from '../../carriers/shiprocket/sim/simulator'
import { systemClock } from '../../platform/clock'
import { silentLogger } from '../../platform/logger'
import { DEMO_SHIPROCKET, demoShiprocketAccount, sampleWarehouseOrder, startWarehouseSlice } from '../../demo/warehouse-slice'
import { openAggregatorDatabase } from './warehouse.testkit'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function runChild(env: Record<string, string>): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'crash-child.testkit.ts')], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    child.stderr.on('data', (c: Buffer) => (out += c.toString()))
    child.on('error', reject)
    child.on('exit', (code, signal) => resolve({ code, signal, out }))
  })
}

describe('order guard across a crash', () => {
  it('SIGKILL between "created at the aggregator" and "recorded locally" does not create a second order on restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-crash-'))
    dirs.push(dir)
    const file = join(dir, 'guichet.sqlite')
    const sim = await startShiprocketSimulator({ clock: systemClock, users: { [DEMO_SHIPROCKET.email]: DEMO_SHIPROCKET.password } })
    try {
      openAggregatorDatabase(file).close()
      const r = await runChild({ GUICHET_CRASH_DB: file, GUICHET_CRASH_SIM: sim.apiBase, GUICHET_CRASH_REF: 'GCH-CRASH-1' })
      expect(r.signal, r.out).toBe('SIGKILL')
      expect(r.out).toContain('created-at-aggregator')
      expect(sim.orders.filter((o) => o.channelOrderId === 'GCH-CRASH-1')).toHaveLength(1)

      // Restart: the same store, the clerk (or the UI's resume) asks again.
      const db = openAggregatorDatabase(file)
      try {
        expect(db.prepare(`SELECT state, attempts, shipment_id FROM aggregator_orders WHERE reference = 'GCH-CRASH-1'`).get()).toEqual({
          state: 'pending',
          attempts: 1,
          shipment_id: null
        })
        const slice = await startWarehouseSlice({
          db,
          clock: systemClock,
          logger: silentLogger,
          accounts: [demoShiprocketAccount(sim.apiBase)]
        })
        try {
          expect(slice.service.pending().map((p) => p.reference)).toEqual(['GCH-CRASH-1'])
          const info = await slice.service.createOrder('shiprocket', 'warehouse-north', sampleWarehouseOrder('GCH-CRASH-1'))
          expect(info.state).toBe('created')
          expect(info.carrierOrderId).toBe(String(sim.orders.find((o) => o.channelOrderId === 'GCH-CRASH-1')!.id))
          expect(sim.orders.filter((o) => o.channelOrderId === 'GCH-CRASH-1')).toHaveLength(1)
          expect(slice.repo.get(info.shipmentId!)).toMatchObject({ reference: 'GCH-CRASH-1', account: 'warehouse-north' })
          // And once more: still one order, still one shipment.
          await slice.service.createOrder('shiprocket', 'warehouse-north', sampleWarehouseOrder('GCH-CRASH-1'))
          expect(sim.orders.filter((o) => o.channelOrderId === 'GCH-CRASH-1')).toHaveLength(1)
          expect(slice.repo.count()).toBe(1)
        } finally {
          await slice.close()
        }
      } finally {
        db.close()
      }
    } finally {
      await sim.close()
    }
  }, 30_000)
})
