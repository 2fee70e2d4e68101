import type { ConnectivityState } from '../../../shared/contract/actions'
import { iso, type Clock } from '../../platform/clock'
import type { Logger } from '../../platform/logger'

// Is the desk online? Learned from what actually happens (calls that fail to reach any carrier,
// calls that succeed) and from the OS's own signal. Back online needs no user action: a success,
// the OS saying so, or the periodic probe is enough.

interface ConnectivityOptions {
  clock: Clock
  logger?: Logger
  /** Network failures in a row before the desk is called offline (one timeout can be a slow carrier). */
  failuresToOffline?: number
  /** While offline: how often to probe (ms). */
  probeEveryMs?: number
  /** A cheap "can we reach a carrier?" check; optional (the outbox worker's own tries also count). */
  probe?: () => Promise<boolean>
  /** Timers, injected so tests drive them. */
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
  /** The last good sync of a previous run (read from the store), so the age survives a restart. */
  lastGoodSyncAt?: number | null
}

type ConnectivityListener = (state: { online: boolean; lastGoodSyncAt: string | null }) => void

export class ConnectivityMonitor {
  private online = true
  private since: number
  private reason: string | null = null
  private lastGood: number | null
  private failures = 0
  private osOffline = false
  private probeTimer: unknown = null
  private probing = false
  private stopped = false
  private readonly listeners = new Set<ConnectivityListener>()
  private readonly failuresToOffline: number
  private readonly probeEveryMs: number
  private readonly setTimer: (fn: () => void, ms: number) => unknown
  private readonly clearTimer: (handle: unknown) => void

  constructor(private readonly opts: ConnectivityOptions) {
    this.since = opts.clock.now()
    this.lastGood = opts.lastGoodSyncAt ?? null
    this.failuresToOffline = Math.max(1, opts.failuresToOffline ?? 2)
    this.probeEveryMs = opts.probeEveryMs ?? 30_000
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref())
    this.clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout))
  }

  state(): ConnectivityState {
    return { online: this.online, lastGoodSyncAt: iso(this.lastGood), since: iso(this.since)!, reason: this.reason }
  }

  isOnline(): boolean {
    return this.online
  }

  /** Called on every change; returns the unsubscribe function. */
  onChange(listener: ConnectivityListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** A carrier answered (any HTTP answer, even an error: the network works). */
  reportSuccess(): void {
    this.failures = 0
    this.lastGood = this.opts.clock.now()
    // A real answer beats a stale OS flag: the OS signal lags on some systems.
    this.osOffline = false
    if (!this.online) this.set(true, null)
  }

  /** A call failed without reaching any carrier (DNS, refused, reset, timeout). */
  reportNetworkFailure(message: string): void {
    this.failures++
    if (this.online && this.failures >= this.failuresToOffline) this.set(false, message)
    else if (!this.online) this.reason = message
  }

  /** The OS's own view (Electron's net.isOnline / the renderer's online events). */
  setOsSignal(online: boolean): void {
    if (!online) {
      this.osOffline = true
      if (this.online) this.set(false, 'The computer reports no network connection.')
      return
    }
    if (!this.osOffline) return
    this.osOffline = false
    // Optimistic: the outbox and the poller try at once; a failure turns it back quickly.
    this.failures = 0
    if (!this.online) this.set(true, null)
  }

  stop(): void {
    this.stopped = true
    if (this.probeTimer !== null) this.clearTimer(this.probeTimer)
    this.probeTimer = null
    this.listeners.clear()
  }

  private set(online: boolean, reason: string | null): void {
    this.online = online
    this.reason = reason
    this.since = this.opts.clock.now()
    this.opts.logger?.info(online ? 'connectivity.online' : 'connectivity.offline', { reason })
    const payload = { online, lastGoodSyncAt: iso(this.lastGood) }
    for (const l of [...this.listeners]) {
      try {
        l(payload)
      } catch {
        // a broken listener must not block the others
      }
    }
    if (online) {
      if (this.probeTimer !== null) this.clearTimer(this.probeTimer)
      this.probeTimer = null
    } else this.scheduleProbe()
  }

  private scheduleProbe(): void {
    if (!this.opts.probe || this.stopped || this.probeTimer !== null) return
    this.probeTimer = this.setTimer(() => {
      this.probeTimer = null
      void this.runProbe()
    }, this.probeEveryMs)
  }

  private async runProbe(): Promise<void> {
    if (this.stopped || this.online || this.probing || !this.opts.probe) return
    this.probing = true
    try {
      if (await this.opts.probe()) this.reportSuccess()
    } catch {
      // a failed probe is just "still offline"
    } finally {
      this.probing = false
    }
    if (!this.online) this.scheduleProbe()
  }
}
