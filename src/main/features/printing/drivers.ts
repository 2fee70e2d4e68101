import { GuichetError } from '../../../shared/result'
import { CupsDriver } from './cups'
import type { PrinterRow } from './store'
import { Tcp9100Driver } from './tcp'
import type { ExecFile, PrinterDriver } from './types'

/**
 * The driver for a printer row. Electron's silent print ('chromium') exists only in the desktop
 * shell, which passes `chromium`; elsewhere such a printer is refused clearly.
 */
export function createDriverFactory(
  exec: ExecFile,
  chromium?: (printer: PrinterRow) => PrinterDriver
): (printer: PrinterRow) => PrinterDriver {
  return (p) => {
    switch (p.driver) {
      case 'cups-pdf':
        return new CupsDriver(p.target, false, exec)
      case 'cups-raw':
        return new CupsDriver(p.target, true, exec)
      case 'tcp9100': {
        const [host, port] = p.target.split(':')
        return new Tcp9100Driver(host!, port ? Number(port) : 9100)
      }
      case 'chromium':
        if (chromium) return chromium(p)
        throw new GuichetError('unsupported', 'Silent printing to an OS printer works in the desktop app only; use the PDF queue here.')
    }
  }
}
