// The desktop app's HTML -> PDF: one hidden, sandboxed window without JavaScript (a label is static
// SVG), created on first use and reused. index.ts passes `electronHtmlToPdf()` to createBackend
// as `htmlToPdf`. Not runnable here (no Electron binary).
import { BrowserWindow } from 'electron'
import { ElectronHtmlToPdf } from './pdf.electron'

export function electronHtmlToPdf(): ElectronHtmlToPdf {
  let win: BrowserWindow | null = null
  return new ElectronHtmlToPdf(async () => {
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
  })
}
