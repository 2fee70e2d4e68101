// Chromium through playwright-core (browser mode, tests, benchmarks). A file of its own so the
// Electron bundle never loads playwright-core.
import { chromium } from 'playwright-core'
import { LABEL_SIZES, type LabelSizeId } from '../../../shared/label'
import { GuichetError } from '../../../shared/result'
import type { HtmlToPdf } from './pdf'

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run'
]

interface PwPage {
  setContent(html: string, opts?: { waitUntil?: 'load' | 'domcontentloaded' }): Promise<void>
  pdf(opts: {
    width: string
    height: string
    printBackground: boolean
    margin: Record<string, string>
    preferCSSPageSize: boolean
  }): Promise<Buffer>
  close(): Promise<void>
}
interface PwBrowser {
  newPage(): Promise<PwPage>
  close(): Promise<void>
}

/**
 * Chromium through playwright-core: one browser for every label, one reused page, calls
 * serialised (a page renders one document at a time).
 */
export class ChromiumHtmlToPdf implements HtmlToPdf {
  private browser: Promise<PwBrowser> | null = null
  private page: Promise<PwPage> | null = null
  private queue: Promise<unknown> = Promise.resolve()

  constructor(private readonly executablePath: string = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium') {}

  private async getPage(): Promise<PwPage> {
    this.browser ??= (async () => {
      try {
        return (await chromium.launch({ executablePath: this.executablePath, args: CHROMIUM_ARGS })) as unknown as PwBrowser
      } catch (e) {
        this.browser = null
        throw new GuichetError(
          'unsupported',
          `Chromium could not start from ${this.executablePath} (install the Debian package "chromium" or set CHROMIUM_PATH): ${(e as Error).message.split('\n')[0]}`
        )
      }
    })()
    this.page ??= this.browser.then((b) => b.newPage())
    return this.page
  }

  render(html: string, size: LabelSizeId): Promise<Buffer> {
    const { widthMm, heightMm } = LABEL_SIZES[size]
    const run = async () => {
      const page = await this.getPage()
      // The document is self-contained (inline SVG, system fonts): nothing to wait for after parsing.
      await page.setContent(html, { waitUntil: 'domcontentloaded' })
      return page.pdf({
        width: `${widthMm}mm`,
        height: `${heightMm}mm`,
        printBackground: true,
        margin: { top: '0', right: '0', bottom: '0', left: '0' },
        preferCSSPageSize: false
      })
    }
    const p = this.queue.then(run, run)
    this.queue = p.catch(() => undefined)
    return p
  }

  async close(): Promise<void> {
    const b = this.browser
    this.browser = null
    this.page = null
    if (b) await (await b.catch(() => null))?.close()
  }
}
