// Main's side of the backend process: the services only Electron's main process has, answered
// over the bridge (see platforms.process.ts for the asking side), and the OS's signals sent to it.
import { net, powerMonitor, safeStorage } from 'electron'
import type { CarrierId } from '../shared/domain'
import type { LabelSizeId } from '../shared/label'
import { createSafeStorageVault } from './core/credentials/safe-storage'
import { snapshotOf } from './core/credentials/mirrored-vault'
import type { Secrets } from './core/credentials/vault'
import { electronHtmlToPdf, labelWindow } from './features/labels/window.electron'
import { ElectronSilentPrintDriver } from './features/printing/chromium.electron'
import type { PrintPayload } from './features/printing/types'
import type { FeedTarget } from './features/updater/policy'
import type { UpdaterSetup } from './features/updater/setup'
import { asBuffer, type HostHandlers } from './platform/process/bridge'
import { HOST, type HostInit } from './platforms.process'

interface ElectronHost {
  handlers: HostHandlers
  /** Sends the OS's signals (online, sleep and wake) to the backend through `signal`; returns the stop function. */
  watch(signal: (name: string, payload: unknown) => void): () => void
}

export function electronHost(o: { dataDir: string; updates: UpdaterSetup }): ElectronHost {
  // The backend process applies the plain-text key rule (it has the settings): main only ciphers.
  const vault = createSafeStorageVault(o.dataDir, safeStorage, () => true)
  const pdf = electronHtmlToPdf()
  const labelContents = labelWindow()
  const engine = o.updates.engine
  let progress: (percent: number) => void = () => undefined
  const noEngine = () => new Error('updates are off on this desk')
  const handlers = {
    [HOST.init]: (): HostInit => ({
      vault: snapshotOf(vault, safeStorage),
      online: net.isOnline(),
      updates: {
        disabledReason: o.updates.disabledReason,
        defaults: o.updates.defaults,
        signing: o.updates.signing,
        engine: engine !== null
      }
    }),
    [HOST.vaultSet]: (carrier: CarrierId, account: string, secrets: Secrets) => vault.set(carrier, account, secrets),
    [HOST.vaultDelete]: (carrier: CarrierId, account: string) => vault.delete(carrier, account),
    [HOST.htmlToPdf]: async (html: string, size: LabelSizeId) => new Uint8Array(await pdf.render(html, size)),
    [HOST.silentPrint]: (deviceName: string, p: PrintPayload) =>
      new ElectronSilentPrintDriver(deviceName, labelContents).print({ ...p, bytes: asBuffer(p.bytes) }),
    [HOST.updaterCheck]: (target: FeedTarget) => (engine ? engine.check(target) : Promise.reject(noEngine())),
    [HOST.updaterDownload]: () => (engine ? engine.download((p) => progress(p)) : Promise.reject(noEngine())),
    [HOST.updaterInstall]: (opts: { silent: boolean; runAfter: boolean }) => engine?.install(opts)
  } satisfies HostHandlers
  return {
    handlers,
    watch(signal) {
      progress = (p) => signal(HOST.progress, p)
      let last: boolean | null = null
      const check = () => {
        const now = net.isOnline()
        if (now !== last) signal(HOST.online, (last = now))
      }
      const timer = setInterval(check, 5_000)
      timer.unref()
      const suspend = () => signal(HOST.power, 'suspend')
      const resume = () => (signal(HOST.power, 'resume'), check())
      powerMonitor.on('suspend', suspend)
      powerMonitor.on('resume', resume)
      return () => {
        clearInterval(timer)
        powerMonitor.removeListener('suspend', suspend)
        powerMonitor.removeListener('resume', resume)
      }
    }
  }
}
