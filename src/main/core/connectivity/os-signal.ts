import type { ConnectivityMonitor } from './monitor'

/**
 * Feeds the OS's own online flag to the monitor: at once, every `everyMs`, and whenever `wake`
 * fires (resume from sleep). Returns the stop function. The flag is only a hint: "online" makes
 * the outbox try at once; failed calls still decide.
 */
export function watchOsSignal(
  monitor: Pick<ConnectivityMonitor, 'setOsSignal'>,
  isOnline: () => boolean,
  opts: { everyMs?: number; onWake?: (listener: () => void) => () => void } = {}
): () => void {
  const check = () => {
    try {
      monitor.setOsSignal(isOnline())
    } catch {
      // a failing OS probe says nothing either way
    }
  }
  check()
  const timer = setInterval(check, opts.everyMs ?? 5_000)
  timer.unref()
  const offWake = opts.onWake?.(check)
  return () => {
    clearInterval(timer)
    offWake?.()
  }
}
