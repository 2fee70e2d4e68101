import { net, powerMonitor } from 'electron'
import type { ConnectivityMonitor } from './monitor'
import { watchOsSignal } from './os-signal'

/** Electron's net.isOnline(), checked every few seconds and on resume from sleep. */
export function watchElectronConnectivity(monitor: ConnectivityMonitor): () => void {
  return watchOsSignal(monitor, () => net.isOnline(), {
    onWake: (listener) => {
      powerMonitor.on('resume', listener)
      return () => powerMonitor.off('resume', listener)
    }
  })
}
