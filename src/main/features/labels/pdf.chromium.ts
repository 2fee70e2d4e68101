// Chromium through playwright-core (browser mode, tests, benchmarks). A file of its own so the
// Electron bundle never loads playwright-core.
import { chromium } from 'playwright-core'
import { LABEL_SIZES, type LabelSizeId } from '../../../shared/label'
import { GuichetError } from '../../../shared/result'
import type { HtmlToPdf } from './pdf'

/**
 * Chromium's flags. Its sandbox stays on, except where Chromium cannot run one: as root (a
 * container), or when the machine says so (GUICHET_CHROMIUM_NO_SANDBOX=1, no user namespaces).
 */
export function chromiumArgs(o: { root: boolean; noSandbox?: boolean }): string[] {
  return [...(o.root || o.noSandbox ? ['--no-sandbox'] : []), ...CHROMIUM_ARGS]
}

/**
 * A label is inline SVG and text: no script, no fetch, no frame. Said twice, as the page's own
 * CSP and by a context with JavaScript off and no network.
 */
export const LABEL_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; base-uri 'none'; form-action 'none'"

/** The label's HTML with the CSP as the first thing the parser meets. */
export function withLabelCsp(html: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${LABEL_CSP}">`
  return /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (h) => `${h}${meta}`) : `${meta}${html}`
}

const CHROMIUM_ARGS = [
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
  newContext(opts: { javaScriptEnabled: boolean; offline: boolean }): Promise<{ newPage(): Promise<PwPage> }>
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
        const args = chromiumArgs({ root: process.getuid?.() === 0, noSandbox: process.env.GUICHET_CHROMIUM_NO_SANDBOX === '1' })
        return (await chromium.launch({ executablePath: this.executablePath, args })) as unknown as PwBrowser
      } catch (e) {
        this.browser = null
        throw new GuichetError(
          'unsupported',
          `Chromium could not start from ${this.executablePath} (install the Debian package "chromium" or set CHROMIUM_PATH): ${(e as Error).message.split('\n')[0]}`
        )
      }
    })()
    this.page ??= this.browser.then(async (b) => (await b.newContext({ javaScriptEnabled: false, offline: true })).newPage())
    return this.page
  }

  render(html: string, size: LabelSizeId): Promise<Buffer> {
    const { widthMm, heightMm } = LABEL_SIZES[size]
    const run = async () => {
      const page = await this.getPage()
      // The document is self-contained (inline SVG, system fonts): nothing to wait for after parsing.
      await page.setContent(withLabelCsp(html), { waitUntil: 'domcontentloaded' })
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
