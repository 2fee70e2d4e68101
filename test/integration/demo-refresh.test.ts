import { afterEach, describe, expect, it } from 'vitest'
import type { RefreshResult } from '../../src/shared/contract'
import type { ShipmentDetail } from '../../src/shared/domain'
import type { Result } from '../../src/shared/result'
import { testBackend } from '../helpers/backend'

// The demo seeds each parcel's past; the carriers' simulators report the same past under their
// own keys and times. A refresh may add the steps that happened since, never a second copy of a
// step the timeline already shows (the README's Express Relais parcel once showed 17 rows for 9).
describe('refresh on the demo parcels', () => {
  let b: ReturnType<typeof testBackend> | null = null
  afterEach(() => {
    b?.close()
    b = null
  })

  const countBy = (events: Array<{ nativeStatus: string }>) => {
    const m = new Map<string, number>()
    for (const e of events) m.set(e.nativeStatus, (m.get(e.nativeStatus) ?? 0) + 1)
    return m
  }

  it('adds no duplicate event on any of them, refreshed twice', async () => {
    b = testBackend({ demo: true })
    await b.start()
    const rows = b.db.prepare('SELECT id, tracking_number AS tn FROM shipments ORDER BY id').all() as Array<{ id: number; tn: string }>
    expect(rows.length).toBeGreaterThan(20)
    const doubled: string[] = []
    let refreshed = 0
    const get = async (id: number) => (await b!.dispatch('shipments.get', { id })) as Result<ShipmentDetail>
    const refresh = async (id: number) => (await b!.dispatch('shipments.refresh', { ids: [id] })) as Result<RefreshResult>
    for (const s of rows) {
      const before = await get(s.id)
      const r1 = await refresh(s.id)
      const mid = await get(s.id)
      await refresh(s.id)
      const after = await get(s.id)
      if (!before.ok || !mid.ok || !after.ok || !r1.ok) throw new Error(`${s.tn}: a call failed`)
      if (r1.value.refreshed.length > 0) refreshed++
      const was = countBy(before.value.events)
      for (const [native, n] of countBy(after.value.events)) {
        if ((was.get(native) ?? 0) > 0 && n > was.get(native)!) doubled.push(`${s.tn}: ${native} ×${n}`)
      }
      const instants = after.value.events.map((e) => `${e.nativeStatus}@${e.at}`)
      expect(new Set(instants).size, s.tn).toBe(instants.length)
      expect(after.value.events.length, `${s.tn}: a second refresh added events`).toBe(mid.value.events.length)
    }
    expect(doubled).toEqual([])
    // The check reached the carriers: most demo parcels have a simulator behind them.
    expect(refreshed).toBeGreaterThan(15)
  })
})
