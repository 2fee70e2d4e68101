import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../platform/clock'
import { ConnectivityMonitor } from './monitor'

function timers() {
  const pending: Array<{ fn: () => void; ms: number }> = []
  return {
    pending,
    setTimer: (fn: () => void, ms: number) => {
      const t = { fn, ms }
      pending.push(t)
      return t
    },
    clearTimer: (h: unknown) => {
      const i = pending.indexOf(h as (typeof pending)[number])
      if (i >= 0) pending.splice(i, 1)
    },
    fire() {
      const t = pending.shift()
      t?.fn()
    }
  }
}

describe('ConnectivityMonitor', () => {
  it('starts online, goes offline after consecutive network failures, and back on a success', () => {
    const clock = new ManualClock()
    const m = new ConnectivityMonitor({ clock, failuresToOffline: 2 })
    const events: Array<{ online: boolean; lastGoodSyncAt: string | null }> = []
    m.onChange((s) => events.push(s))
    m.reportSuccess()
    const good = new Date(clock.now()).toISOString()
    clock.advance(1000)
    m.reportNetworkFailure('timeout')
    expect(m.isOnline()).toBe(true) // one slow carrier is not an outage
    m.reportSuccess()
    m.reportNetworkFailure('ECONNREFUSED')
    expect(m.isOnline()).toBe(true)
    const good2 = new Date(clock.now()).toISOString()
    m.reportNetworkFailure('ENOTFOUND')
    expect(m.state()).toMatchObject({
      online: false,
      reason: 'ENOTFOUND',
      lastGoodSyncAt: good2,
      since: new Date(clock.now()).toISOString()
    })
    clock.advance(5000)
    m.reportSuccess()
    expect(m.state()).toMatchObject({ online: true, reason: null, lastGoodSyncAt: new Date(clock.now()).toISOString() })
    expect(events).toEqual([
      { online: false, lastGoodSyncAt: good2 },
      { online: true, lastGoodSyncAt: new Date(clock.now()).toISOString() }
    ])
    expect(good).not.toBe(good2)
  })

  it('follows the OS signal both ways, without a user action', () => {
    const clock = new ManualClock()
    const m = new ConnectivityMonitor({ clock })
    const seen: boolean[] = []
    m.onChange((s) => seen.push(s.online))
    m.setOsSignal(true) // already online: nothing to say
    m.setOsSignal(false)
    expect(m.state()).toMatchObject({ online: false, reason: 'The computer reports no network connection.' })
    m.setOsSignal(true)
    expect(m.isOnline()).toBe(true)
    expect(seen).toEqual([false, true])
  })

  it('probes while offline and stops probing once online', async () => {
    const clock = new ManualClock()
    const t = timers()
    let reachable = false
    let probes = 0
    const m = new ConnectivityMonitor({
      clock,
      failuresToOffline: 1,
      probeEveryMs: 30_000,
      probe: async () => {
        probes++
        if (!reachable) throw new Error('ECONNREFUSED')
        return true
      },
      setTimer: t.setTimer,
      clearTimer: t.clearTimer
    })
    m.reportNetworkFailure('ECONNRESET')
    expect(t.pending).toHaveLength(1)
    expect(t.pending[0]!.ms).toBe(30_000)
    t.fire()
    await new Promise((r) => setImmediate(r))
    expect(probes).toBe(1)
    expect(m.isOnline()).toBe(false)
    expect(t.pending).toHaveLength(1) // scheduled again
    reachable = true
    t.fire()
    await new Promise((r) => setImmediate(r))
    expect(m.isOnline()).toBe(true)
    expect(t.pending).toHaveLength(0)
    m.stop()
  })

  it('keeps the last good sync of a previous run', () => {
    const clock = new ManualClock()
    const m = new ConnectivityMonitor({ clock, lastGoodSyncAt: clock.now() - 3_600_000 })
    expect(m.state().lastGoodSyncAt).toBe(new Date(clock.now() - 3_600_000).toISOString())
  })
})

describe('watchOsSignal', () => {
  it('reads the OS flag at once, on wake, and stops cleanly', async () => {
    const { watchOsSignal } = await import('./os-signal')
    const m = new ConnectivityMonitor({ clock: new ManualClock() })
    let flag = false
    let wake: (() => void) | null = null
    const stop = watchOsSignal(m, () => flag, {
      everyMs: 60_000,
      onWake: (l) => {
        wake = l
        return () => (wake = null)
      }
    })
    expect(m.isOnline()).toBe(false)
    flag = true
    wake!()
    expect(m.isOnline()).toBe(true)
    stop()
    expect(wake).toBeNull()
  })
})

describe('tcpProbe', () => {
  it('is true when a carrier host accepts a connection, false when none does or none is configured', async () => {
    const { createServer } = await import('node:net')
    const { tcpProbe } = await import('./probe')
    const server = createServer((s) => s.destroy())
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    const port = (server.address() as { port: number }).port
    try {
      expect(await tcpProbe(() => [`http://127.0.0.1:${port}/api`, 'not a url'])()).toBe(true)
      expect(await tcpProbe(() => [])()).toBe(false)
    } finally {
      await new Promise<void>((r) => server.close(() => r()))
    }
    expect(await tcpProbe(() => [`http://127.0.0.1:${port}/`], 1_000)()).toBe(false)
  })
})
