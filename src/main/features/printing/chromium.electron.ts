// Electron silent printing of an HTML label with an explicit page size in microns and no
// margins (Chromium otherwise prints on the printer's default paper and scales). Not runnable
// here: the webContents (an offscreen window's) is injected by src/main/index.ts.
import type { WebContents } from 'electron'
import { LABEL_SIZES, mmToMicrons } from '../../../shared/label'
import { GuichetError } from '../../../shared/result'
import type { PrinterDriver, PrintPayload } from './types'

export class ElectronSilentPrintDriver implements PrinterDriver {
  readonly kind = 'chromium' as const
  readonly accepts = ['pdf'] as const
  constructor(
    private readonly deviceName: string,
    private readonly contents: () => Promise<WebContents>
  ) {}

  /** Every silent print shares the label window: one at a time. */
  private static queue: Promise<unknown> = Promise.resolve()

  print(p: PrintPayload): Promise<{ externalId: string | null }> {
    const run = () => this.printNow(p)
    const job = ElectronSilentPrintDriver.queue.then(run, run)
    ElectronSilentPrintDriver.queue = job.catch(() => undefined)
    return job
  }

  private async printNow(p: PrintPayload): Promise<{ externalId: string | null }> {
    const html = p.html
    if (!html || !p.size)
      throw new GuichetError('unsupported', 'Silent printing needs the label as HTML with a known size; use the PDF queue instead.')
    const wc = await this.contents()
    await wc.loadURL('data:text/html;charset=utf-8,' + encodeURIComponent(html))
    const { widthMm, heightMm } = LABEL_SIZES[p.size]
    await new Promise<void>((resolve, reject) =>
      wc.print(
        {
          silent: true,
          deviceName: this.deviceName,
          printBackground: true,
          copies: p.copies,
          margins: { marginType: 'none' },
          pageSize: { width: mmToMicrons(widthMm), height: mmToMicrons(heightMm) }
        },
        (ok, reason) =>
          ok
            ? resolve()
            : reject(new GuichetError('offline', `The printer ${this.deviceName} refused the label: ${reason}`, { retryable: true }))
      )
    )
    return { externalId: null }
  }
}
