// Faults: every simulator fault (5xx, timeouts, slow drip, truncated and malformed JSON, wrong
// content type, 429, connection resets) against every carrier that has a simulator, through the
// real refresh path. Each must end as a typed error visible on its shipment; nothing crashes.
import type { Backend } from '../../src/main/backend'
import { FAULT_KINDS } from '../../src/main/carriers/sim/server'
import type { DemoCarriers } from '../../src/main/demo/carriers'

export interface FaultReport {
  /** Accounts exercised (those that can track). */
  accounts: number
  injected: number
  typed: number
  visible: number
  untyped: string[]
  recovered: number
  messages: string[]
}

export async function faultMatrix(backend: Backend, demo: DemoCarriers): Promise<FaultReport> {
  const report: FaultReport = { accounts: 0, injected: 0, typed: 0, visible: 0, untyped: [], recovered: 0, messages: [] }
  for (let i = 0; i < demo.accounts.length; i++) {
    const account = demo.accounts[i]!
    const sim = demo.simulators[i]!
    // Only carriers Guichet can track are refreshed (Swiss Post tracking is not connected yet).
    const caps = backend.accounts.adapter(account.carrier, account.alias)?.capabilities
    if (!caps || !(caps.has('track_one') || caps.has('track_many'))) continue
    const row = backend.db
      .prepare("SELECT id FROM shipments WHERE carrier = ? AND account = 'demo' ORDER BY id LIMIT 1")
      .get(account.carrier) as { id: number } | undefined
    if (!row) continue
    report.accounts++
    // A 429 is not an error to show: the client must wait and carry on. It goes last (its budget
    // hold would otherwise keep the other faults from reaching the carrier) and is injected once.
    const kinds = [...FAULT_KINDS.filter((k) => k !== 'http_429'), 'http_429' as const]
    for (const kind of kinds) {
      sim.clearFaults()
      // Enough times that the HTTP core's bounded retries cannot hide it (a 429: once).
      sim.inject({ kind, times: kind === 'http_429' ? 1 : 20, retryAfterSec: 1 })
      report.injected++
      const r = await backend.dispatch('shipments.refresh', { ids: [row.id] })
      sim.clearFaults()
      if (!r.ok) {
        report.untyped.push(`${account.carrier}/${kind}: refresh answered ${r.error.code}`)
        continue
      }
      const v = r.value as { failed: Array<{ code: string; message: string }>; waiting: Array<{ reason: string }>; refreshed: number[] }
      const failure = v.failed[0]
      if (failure) {
        report.typed++
        report.messages.push(failure.message)
        const d = await backend.dispatch('shipments.get', { id: row.id })
        if (d.ok && (d.value as { shipment: { lastError: unknown } }).shipment.lastError) report.visible++
        else report.untyped.push(`${account.carrier}/${kind}: error not visible on the shipment`)
      } else if (kind === 'http_429' && v.refreshed.length === 1) {
        // Waited as the carrier asked, then the check went through: the right outcome for a 429.
        report.typed++
        report.visible++
      } else if (v.waiting.length > 0) {
        // A 429 puts the account on hold: the refresh waits, and says why.
        report.typed++
        report.visible++
      } else {
        report.untyped.push(`${account.carrier}/${kind}: fault went unnoticed (${JSON.stringify(v).slice(0, 200)})`)
      }
    }
    // The adapter keeps working once the carrier is healthy again: connectivity comes back by
    // itself (probe or OS signal, no user action) and any 429 hold expires.
    const deadline = Date.now() + 90_000
    for (;;) {
      const c = await backend.dispatch('connectivity.state', {})
      if ((c.ok && (c.value as { online: boolean }).online) || Date.now() > deadline) break
      await new Promise((res) => setTimeout(res, 500))
    }
    let again = await backend.dispatch('shipments.refresh', { ids: [row.id] })
    // A budget hold (the last 429 said 'remaining: 0') is honoured: wait what the answer says, once.
    const wait = again.ok ? (again.value as { waiting: Array<{ retryAfterMs?: number }> }).waiting[0]?.retryAfterMs : undefined
    if (wait !== undefined) {
      await new Promise((res) => setTimeout(res, Math.min(wait, 75_000) + 1000))
      again = await backend.dispatch('shipments.refresh', { ids: [row.id] })
    }
    if (again.ok && (again.value as { refreshed: number[] }).refreshed.length === 1) report.recovered++
    else report.messages.push(`${account.carrier}: no recovery after faults: ${JSON.stringify(again).slice(0, 300)}`)
  }
  return report
}
