import type { CDPSession, Page } from '@playwright/test'
import { readPdfPageInfo } from '../../src/main/features/labels/pdfbox'
import { expect, screenshot, test } from './fixtures'

// The app as a counter clerk drives it at 1366x768, keyboard and scanner only, on an AZERTY
// keyboard: key events are sent as that layout sends them (physical code + the layout's character).

const SCREENS = ['find', 'parcels', 'outbox', 'settings', 'points', 'counter', 'warehouse', 'about'] as const
const AZERTY_DIGITS = ['&', 'é', '"', "'", '(', '-', 'è', '_']
const ECOTRACK = 'ECQFLD2611240017'
const EXPRESS_RELAIS = 'ERMA2611240042'
const SWISS_POST = '996012345600004211'
const ALT = 1
const SHIFT = 8

test.use({ viewport: { width: 1366, height: 768 } })

/** One key as an AZERTY keyboard sends it, through the browser's own input pipeline. */
async function azerty(cdp: CDPSession, code: string, key: string, modifiers = 0): Promise<void> {
  const vk = /^Digit(\d)$/.exec(code) ? 48 + Number(code.slice(5)) : 0
  for (const type of ['rawKeyDown', 'keyUp'] as const) {
    await cdp.send('Input.dispatchKeyEvent', { type, code, key, modifiers, windowsVirtualKeyCode: vk })
  }
}

const altDigit = (cdp: CDPSession, n: number) => azerty(cdp, `Digit${n}`, AZERTY_DIGITS[n - 1]!, ALT)

/** A keyboard-wedge burst wherever focus is, ended by Enter (or Tab, for scanner profiles that end so). */
async function wedge(page: Page, text: string, end: 'Enter' | 'Tab' = 'Enter'): Promise<void> {
  await page.keyboard.type(text, { delay: 4 })
  await page.keyboard.press(end)
}

/** The document's width against the window's (a string: this file is typed without the DOM). */
const widths = (page: Page) =>
  page.evaluate<{ doc: number; view: number }>('({ doc: document.documentElement.scrollWidth, view: window.innerWidth })')

async function open(page: Page, url: string): Promise<CDPSession> {
  await page.goto(url)
  await expect(page.getByTestId('search-input')).toBeFocused()
  return page.context().newCDPSession(page)
}

for (const lang of ['fr', 'ar'] as const) {
  test.describe(`${lang}: scans and screen keys`, () => {
    test.use({ lang })

    test('Alt+digit on AZERTY switches screens; Alt+Shift+3 leaves Counter alone', async ({ page, guichet }) => {
      const cdp = await open(page, guichet.url)
      for (let n = 1; n <= SCREENS.length; n++) {
        await altDigit(cdp, n)
        await expect(page.getByTestId(`nav-${SCREENS[n - 1]}`)).toHaveAttribute('aria-current', 'page')
      }
      await altDigit(cdp, 6)
      await azerty(cdp, 'Digit3', '3', ALT | SHIFT)
      await expect(page.getByTestId('nav-counter')).toHaveAttribute('aria-current', 'page')
    })

    test('from each of the eight screens, two scans in a row each open their parcel', async ({ page, guichet }) => {
      test.setTimeout(180_000)
      const cdp = await open(page, guichet.url)
      for (let n = 1; n <= SCREENS.length; n++) {
        const screen = SCREENS[n - 1]!
        for (const parcel of [EXPRESS_RELAIS, ECOTRACK]) {
          await altDigit(cdp, n)
          await expect(page.getByTestId(`nav-${screen}`)).toHaveAttribute('aria-current', 'page')
          // Focus on the screen's tab button, as after a click: the scan must not be swallowed.
          await page.getByTestId(`nav-${screen}`).focus()
          await wedge(page, parcel)
          await expect(page.getByTestId('nav-find'), `${screen} → ${parcel}`).toHaveAttribute('aria-current', 'page')
          await expect(page.getByTestId('shipment-tracking'), `${screen} → ${parcel}`).toHaveText(parcel)
        }
      }
    })
  })
}

test('a scanner profile that ends with Tab submits; focus on a link or select does not swallow it', async ({ page, guichet }) => {
  await open(page, guichet.url)
  await wedge(page, SWISS_POST, 'Tab')
  await expect(page.getByTestId('shipment-tracking')).toHaveText(SWISS_POST)
  await page.getByTestId('language').focus()
  await wedge(page, EXPRESS_RELAIS)
  await expect(page.getByTestId('shipment-tracking')).toHaveText(EXPRESS_RELAIS)
})

test('refresh on the README parcels adds no duplicate event', async ({ page, guichet }) => {
  test.setTimeout(150_000)
  await open(page, guichet.url)
  for (const parcel of [EXPRESS_RELAIS, ECOTRACK, SWISS_POST]) {
    await wedge(page, parcel)
    await expect(page.getByTestId('shipment-tracking')).toHaveText(parcel)
    const rows = page.getByTestId('timeline').locator('tbody tr')
    await expect(rows.first()).toBeVisible()
    if (parcel === SWISS_POST) {
      // No published tracking contract: no refresh to press, and the parcel view says why.
      await expect(page.getByTestId('refresh')).toHaveCount(0)
      await expect(page.getByTestId('refresh-unsupported')).toBeVisible()
      await expect(page.getByTestId('tracking-unsupported')).toBeVisible()
      continue
    }
    for (let i = 0; i < 2; i++) {
      await page.getByTestId('refresh').click()
      await expect(page.getByTestId('action-outcome')).not.toBeEmpty()
      await expect(page.getByTestId('refresh')).toBeEnabled()
    }
    const texts = await rows.evaluateAll((trs) => trs.map((tr) => (tr.textContent ?? '').replace(/\s+/g, ' ').trim()))
    expect(new Set(texts).size, `${parcel}: ${texts.join(' | ')}`).toBe(texts.length)
    if (parcel === EXPRESS_RELAIS) expect(texts.length).toBeLessThanOrEqual(11)
    await page.getByTestId('search-input').focus()
  }
})

/** Ten carrier accounts in the poller, as a busy desk has: the status bar must still fit. */
async function tenAccounts(base: string, token: string): Promise<number> {
  const rpc = async (channel: string, body: unknown) =>
    (await (
      await fetch(`${base}/rpc/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body)
      })
    ).json()) as { ok: boolean; value?: unknown }
  await rpc('credentials.acceptPlainTextRisk', { accept: true })
  for (let i = 1; ; i++) {
    const state = (await rpc('poller.state', {})) as { value: { accounts: unknown[] } }
    if (state.value.accounts.length >= 10 || i > 12) return state.value.accounts.length
    const alias = `agence-casablanca-${i}`
    await rpc('accounts.save', { carrier: 'ecotrack', alias, baseUrl: 'http://127.0.0.1:9/', enabled: true, options: {} })
    await rpc('credentials.set', { carrier: 'ecotrack', account: alias, secrets: { token: `token-${i}` } })
  }
}

for (const lang of ['fr', 'ar', 'de'] as const) {
  test.describe(`${lang} at 1366x768 with 10 accounts`, () => {
    test.use({ lang })
    test('no screen scrolls sideways; the status bar stays in view; screenshots', async ({ page, guichet }) => {
      test.setTimeout(120_000)
      expect(await tenAccounts(guichet.base, guichet.token)).toBeGreaterThanOrEqual(10)
      const cdp = await open(page, guichet.url)
      await expect(page.getByTestId('status-accounts')).toBeVisible()
      for (let n = 1; n <= SCREENS.length; n++) {
        const screen = SCREENS[n - 1]!
        await altDigit(cdp, n)
        await expect(page.getByTestId(`nav-${screen}`)).toHaveAttribute('aria-current', 'page')
        await page.waitForTimeout(300) // let the screen's first load land before measuring
        const { doc, view } = await widths(page)
        expect(doc, `${lang} ${screen}: document width`).toBe(view)
        await expect(page.getByTestId('statusbar')).toBeInViewport()
        await screenshot(page, `${lang}-${screen}`)
      }
      await wedge(page, EXPRESS_RELAIS)
      await expect(page.getByTestId('shipment-tracking')).toHaveText(EXPRESS_RELAIS)
      const { doc, view } = await widths(page)
      expect(doc, `${lang} shipment: document width`).toBe(view)
      await screenshot(page, `${lang}-shipment`)
    })
  })
}

test('browser mode without a printer saves the label as an exact-size PDF', async ({ page, guichet }) => {
  test.setTimeout(90_000)
  await open(page, guichet.url)
  await wedge(page, SWISS_POST)
  await expect(page.getByTestId('shipment-tracking')).toHaveText(SWISS_POST)
  await page.getByTestId('print-label').click()
  await expect(page.getByTestId('label-dialog')).toBeVisible()
  const download = page.waitForEvent('download')
  await page.getByTestId('save-pdf').click()
  const file = await download
  expect(file.suggestedFilename()).toBe(`${SWISS_POST}.pdf`)
  const stream = await file.createReadStream()
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(c as Buffer)
  const pdf = Buffer.concat(chunks)
  expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF')
  // A6 is 105 x 148 mm: 297.64 x 419.53 points, as the last revision of the file says.
  const [x0, y0, x1, y1] = readPdfPageInfo(pdf).mediaBox
  expect(x1 - x0).toBeCloseTo(297.64, 1)
  expect(y1 - y0).toBeCloseTo(419.53, 1)
})
