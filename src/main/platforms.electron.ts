// The desktop Platform when the backend runs inside Electron's main process (the support
// opt-out GUICHET_BACKEND_PROCESS=0; main runs it in a utilityProcess otherwise).
import { net, powerMonitor } from 'electron'
import { createElectronVault } from './core/credentials/vault.electron'
import { electronHtmlToPdf, electronSilentPrint } from './features/labels/window.electron'
import type { UpdaterSetup } from './features/updater/setup'
import type { Platform } from './platforms'

export function electronPlatform(updates: UpdaterSetup): Platform {
  return {
    kind: 'electron',
    // Carrier secrets go to the OS key store (safeStorage), never to the key-file vault of browser mode.
    createVault: ({ dataDir, plainTextRiskAccepted }) => createElectronVault(dataDir, plainTextRiskAccepted),
    // Generated labels become PDFs in a hidden sandboxed window (printToPDF at the label's size);
    // 'chromium' printers print silently by name with the page size in microns (Windows' path).
    htmlToPdf: electronHtmlToPdf(),
    silentPrint: electronSilentPrint(),
    updates,
    system: { isOnline: () => net.isOnline(), power: powerMonitor }
  }
}
