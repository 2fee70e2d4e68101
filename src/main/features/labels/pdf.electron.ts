// Electron's HTML -> PDF: a hidden window's webContents.printToPDF at the label's size in inches,
// no margins. Not runnable here (no Electron binary); the window factory is injected by index.ts.
import type { WebContents } from 'electron'
import { LABEL_SIZES, mmToInches, type LabelSizeId } from '../../../shared/label'
import type { HtmlToPdf } from './pdf'

export class ElectronHtmlToPdf implements HtmlToPdf {
  /** `contents` is an offscreen BrowserWindow's webContents, created by the caller, with no node integration. */
  constructor(private readonly contents: () => Promise<WebContents>) {}

  private queue: Promise<unknown> = Promise.resolve()

  /** One document at a time in the window: calls are chained. */
  render(html: string, size: LabelSizeId): Promise<Buffer> {
    const run = () => this.renderNow(html, size)
    const p = this.queue.then(run, run)
    this.queue = p.catch(() => undefined)
    return p
  }

  private async renderNow(html: string, size: LabelSizeId): Promise<Buffer> {
    const wc = await this.contents()
    await wc.loadURL('data:text/html;charset=utf-8,' + encodeURIComponent(html))
    const { widthMm, heightMm } = LABEL_SIZES[size]
    return wc.printToPDF({
      pageSize: { width: mmToInches(widthMm), height: mmToInches(heightMm) },
      margins: { top: 0, bottom: 0, left: 0, right: 0 },
      printBackground: true,
      preferCSSPageSize: false
    })
  }

  async close(): Promise<void> {}
}
