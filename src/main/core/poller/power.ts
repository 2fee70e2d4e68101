// Pause the poller while the machine sleeps or the network is gone, and catch up when they come
// back. The sources are injected (Electron's powerMonitor and net in power.electron.ts; browser
// mode or tests pass their own), so this stays plain TypeScript.

/** Something that emits 'suspend' / 'resume' (Electron's powerMonitor has this shape). */
export interface PowerSource {
  on(event: 'suspend' | 'resume', listener: () => void): unknown
  removeListener(event: 'suspend' | 'resume', listener: () => void): unknown
}

/** Reports connectivity changes; returns an unsubscribe function. */
type ConnectivitySource = (listener: (online: boolean) => void) => () => void

interface PausablePoller {
  pause(reason?: string): void
  resume(reason?: string): void
  setOnline(online: boolean): void
}

/** Binds the poller to power and connectivity; returns the function that unbinds both. */
export function bindPollerToSystem(poller: PausablePoller, power: PowerSource | null, connectivity: ConnectivitySource | null): () => void {
  const onSuspend = () => poller.pause('suspend')
  const onResume = () => poller.resume('suspend')
  if (power) {
    power.on('suspend', onSuspend)
    power.on('resume', onResume)
  }
  const stopConnectivity = connectivity ? connectivity((online) => poller.setOnline(online)) : () => {}
  return () => {
    if (power) {
      power.removeListener('suspend', onSuspend)
      power.removeListener('resume', onResume)
    }
    stopConnectivity()
  }
}

/**
 * Connectivity by polling a probe (Electron's net.isOnline, say): reports only changes, on an
 * injected timer, so it can be tested without waiting.
 */
export function pollingConnectivity(
  isOnline: () => boolean,
  everyMs: number,
  timers: { setInterval(fn: () => void, ms: number): unknown; clearInterval(h: unknown): void } = {
    setInterval: (fn, ms) => {
      const h = setInterval(fn, ms)
      h.unref?.()
      return h
    },
    clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>)
  }
): ConnectivitySource {
  return (listener) => {
    let last: boolean | null = null
    const probe = () => {
      let now: boolean
      try {
        now = isOnline()
      } catch {
        now = true // a probe that fails must not stop polling for good; the carriers will tell
      }
      if (now !== last) {
        last = now
        listener(now)
      }
    }
    probe()
    const h = timers.setInterval(probe, everyMs)
    return () => timers.clearInterval(h)
  }
}
