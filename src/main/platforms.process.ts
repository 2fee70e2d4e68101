// The desktop Platform inside the backend process: what only Electron's main process has is asked
// of main over the bridge (safeStorage through the mirrored vault, the label window's printToPDF
// and silent printing, electron-updater), and the OS's signals come from main.
import { EventEmitter } from 'node:events'
import type { LabelSizeId } from '../shared/label'
import type { OfferedUpdate, UpdateEngine } from './features/updater/engine'
import type { FeedTarget } from './features/updater/policy'
import type { UpdaterSetup } from './features/updater/setup'
import type { PrintPayload, PrinterDriver } from './features/printing/types'
import { mirroredVault, type VaultSnapshot } from './core/credentials/mirrored-vault'
import { asBuffer, type HostLink } from './platform/process/bridge'
import type { Platform } from './platforms'

/** What main answers to 'host.init' when the backend process starts (and restarts). */
export interface HostInit {
  vault: VaultSnapshot
  online: boolean
  /** The updater as main set it up (the engine stays in main); null: updates off. */
  updates: (Omit<UpdaterSetup, 'engine'> & { engine: boolean }) | null
}

/** The methods main answers (host.electron.ts) and the signals it sends, by name. */
export const HOST = {
  init: 'host.init',
  vaultSet: 'vault.set',
  vaultDelete: 'vault.delete',
  htmlToPdf: 'labels.htmlToPdf',
  silentPrint: 'labels.silentPrint',
  updaterCheck: 'updater.check',
  updaterDownload: 'updater.download',
  updaterInstall: 'updater.install',
  online: 'os.online',
  power: 'os.power',
  progress: 'updater.progress'
} as const

/** electron-updater in main, driven by the UpdateService here. */
function remoteEngine(host: HostLink): UpdateEngine {
  return {
    check: (target: FeedTarget) => host.ask<OfferedUpdate | null>(HOST.updaterCheck, target),
    async download(onProgress) {
      const off = host.onSignal(HOST.progress, (p) => onProgress?.(p as number))
      try {
        await host.ask(HOST.updaterDownload)
      } finally {
        off()
      }
    },
    install: (opts) => host.tell(HOST.updaterInstall, opts)
  }
}

export function processPlatform(host: HostLink, init: HostInit): Platform {
  let online = init.online
  host.onSignal(HOST.online, (v) => (online = v === true))
  const power = new EventEmitter()
  host.onSignal(HOST.power, (v) => power.emit(v === 'suspend' ? 'suspend' : 'resume'))
  return {
    kind: 'electron',
    createVault: ({ plainTextRiskAccepted }) =>
      mirroredVault(
        init.vault,
        {
          set: (carrier, account, secrets) => host.tell(HOST.vaultSet, carrier, account, secrets),
          delete: (carrier, account) => host.tell(HOST.vaultDelete, carrier, account)
        },
        plainTextRiskAccepted
      ),
    htmlToPdf: {
      render: async (html: string, size: LabelSizeId) => asBuffer(await host.ask<Uint8Array>(HOST.htmlToPdf, html, size)),
      // The label window belongs to main and closes with it.
      close: async () => undefined
    },
    silentPrint: (printer): PrinterDriver => ({
      kind: 'chromium',
      accepts: ['pdf'],
      // Silent printing loads the label's HTML at its size: the bytes stay here.
      print: (p: PrintPayload) => host.ask(HOST.silentPrint, printer.target, { ...p, bytes: new Uint8Array(0) })
    }),
    updates: init.updates && { ...init.updates, engine: init.updates.engine ? remoteEngine(host) : null },
    system: { isOnline: () => online, power }
  }
}
