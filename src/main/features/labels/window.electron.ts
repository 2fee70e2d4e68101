// The desktop app's label window: one hidden, sandboxed window without JavaScript (a label is
// static SVG), created on first use and reused for printToPDF and for silent printing. index.ts
// passes `electronHtmlToPdf()` and `electronSilentPrint()` to createBackend. Not runnable here.
import { BrowserWindow, type WebContents } from 'electron'
import { ElectronHtmlToPdf } from './pdf.electron'
import { ElectronSilentPrintDriver } from '../printing/chromium.electron'
import type { PrinterRow } from '../printing/store'
import type { PrinterDriver } from '../printing/types'

/** The hidden label window's webContents, created on first use. */
export function labelWindow(): () => Promise<WebContents> {
  let win: BrowserWindow | null = null
  return async () => {
    if (!win || win.isDestroyed()) {
      win = new BrowserWindow({
        show: false,
        width: 800,
        height: 1200,
        webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, webSecurity: true }
      })
      // A label never navigates anywhere; refuse anything but the data: document we load.
      win.webContents.on('will-navigate', (e, url) => {
        if (!url.startsWith('data:text/html')) e.preventDefault()
      })
      win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
    }
    return win.webContents
  }
}

export function electronHtmlToPdf(contents: () => Promise<WebContents> = labelWindow()): ElectronHtmlToPdf {
  return new ElectronHtmlToPdf(contents)
}

/** Silent printing to an OS printer by name (Windows' path for PDF labels; also Linux/macOS). */
export function electronSilentPrint(contents: () => Promise<WebContents> = labelWindow()): (printer: PrinterRow) => PrinterDriver {
  return (printer) => new ElectronSilentPrintDriver(printer.target, contents)
}
