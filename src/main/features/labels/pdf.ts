// HTML label -> PDF of exactly the label's size. The Electron build uses webContents.printToPDF
// (pdf.electron.ts); browser mode and the tests use Chromium through playwright-core (pdf.chromium.ts).
import type { LabelSizeId } from '../../../shared/label'

export interface HtmlToPdf {
  /** One PDF page, `size` exactly, no margins. */
  render(html: string, size: LabelSizeId): Promise<Buffer>
  close(): Promise<void>
}
