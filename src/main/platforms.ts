// What the backend gets from the shell it runs under, in one object: the desktop (Electron in
// main, or the backend process asking main over the bridge) or browser mode (`npm run serve`,
// tests). createBackend takes one of these instead of a hook per service.
import type { AppInfo } from '../shared/app'
import type { Logger } from './platform/logger'
import type { Vault } from './core/credentials/vault'
import { createFileVault } from './core/credentials/file-cipher'
import type { PowerSource } from './core/poller/power'
import type { HtmlToPdf } from './features/labels/pdf'
import type { PrinterRow } from './features/printing/store'
import type { PrinterDriver } from './features/printing/types'
import type { UpdaterSetup } from './features/updater/setup'

interface VaultContext {
  dataDir: string
  /** The clerk's explicit, remembered acceptance of the Linux plain-text key risk (settings). */
  plainTextRiskAccepted: () => boolean
  logger: Logger
}

export interface Platform {
  /** What app.info reports; the backend process on the desktop is 'electron' too. */
  kind: AppInfo['mode']
  /** The vault for carrier secrets: the OS key store on the desktop, a 0600 key file in browser mode. */
  createVault(ctx: VaultContext): Vault
  /** HTML -> PDF for generated labels; null: PDF printers take carrier files only. */
  htmlToPdf: HtmlToPdf | null
  /** Silent printing to an OS printer by name (Electron's webContents.print); null outside the desktop. */
  silentPrint: ((printer: PrinterRow) => PrinterDriver) | null
  /** The desktop updater; null: updates off (browser mode, tests). */
  updates: UpdaterSetup | null
  /** The OS's word on the network and on sleep (Electron's net and powerMonitor); null: carrier calls and probes alone. */
  system: { isOnline(): boolean; power: PowerSource } | null
}

/** Browser mode and tests: the key-file vault, no updater, no OS signals. */
export function browserPlatform(o: { htmlToPdf?: HtmlToPdf | null } = {}): Platform {
  return {
    kind: 'browser',
    createVault: ({ dataDir, logger }) => createFileVault(dataDir, logger),
    htmlToPdf: o.htmlToPdf ?? null,
    silentPrint: null,
    updates: null,
    system: null
  }
}
