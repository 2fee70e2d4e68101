// The desktop wiring of poller/power.ts: Electron's powerMonitor for suspend/resume and
// net.isOnline() (probed every 15 s) for connectivity. Call after app 'ready'.
import { net, powerMonitor } from 'electron'
import { bindPollerToSystem, pollingConnectivity, type PausablePoller } from './power'

export function bindPollerToElectron(poller: PausablePoller): () => void {
  return bindPollerToSystem(
    poller,
    powerMonitor,
    pollingConnectivity(() => net.isOnline(), 15_000)
  )
}
