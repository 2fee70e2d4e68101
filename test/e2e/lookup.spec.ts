import { expect, scan, screenshot, test } from './fixtures'

const ECOTRACK = 'ECQFLD2611240017'
const EXPRESS_RELAIS = 'ERMA2611240042'
const SWISS_POST = '996012345600004211'

test.describe('find a parcel (browser mode, demo)', () => {
  test('a scanned tracking number opens the shipment and its timeline', async ({ page, guichet }) => {
    await page.goto(guichet.url)
    await expect(page.getByTestId('search-input')).toBeFocused()
    await scan(page, ECOTRACK)
    await expect(page.getByTestId('shipment-view')).toBeVisible()
    await expect(page.getByTestId('shipment-tracking')).toHaveText(ECOTRACK)
    const rows = page.getByTestId('timeline').locator('tbody tr')
    await expect(rows).toHaveCount(4)
    await expect(page.getByTestId('carrier-status')).toContainText('dispatched_to_driver')
    // The field is cleared and ready for the next parcel.
    await expect(page.getByTestId('search-input')).toHaveValue('')
    await expect(page.getByTestId('search-input')).toBeFocused()
  })

  test('the token leaves the address bar once read', async ({ page, guichet }) => {
    await page.goto(guichet.url)
    await expect(page.getByTestId('search-input')).toBeVisible()
    expect(page.url()).not.toContain('token=')
  })

  test('a name prefix with one match opens that shipment at once', async ({ page, guichet }) => {
    await page.goto(guichet.url)
    await scan(page, 'yasm')
    await expect(page.getByTestId('shipment-tracking')).toHaveText(EXPRESS_RELAIS)
    await expect(page.getByTestId('unified-status')).toHaveAttribute('data-status', 'shipping_in_progress')
  })

  test('a phone in local form finds the parcel', async ({ page, guichet }) => {
    await page.goto(guichet.url)
    await scan(page, '0661 98')
    await expect(page.getByTestId('shipment-view')).toContainText('Rachid Belkacem')
  })

  test('several matches give a table with headers; ↓ from the field enters it, Enter opens', async ({ page, guichet }) => {
    await page.goto(guichet.url)
    await scan(page, 'ERMA2611')
    const results = page.getByTestId('results')
    await expect(results.locator('thead th')).toHaveCount(6)
    const count = await results.locator('tbody tr').count()
    expect(count).toBeGreaterThan(1)
    await page.getByTestId('search-input').focus()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await expect(results.locator('tbody tr').nth(1).locator('button')).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('shipment-tracking')).toBeVisible()
  })

  test('an unknown number says so plainly', async ({ page, guichet }) => {
    await page.goto(guichet.url)
    await scan(page, 'ZZ0000000000')
    await expect(page.getByTestId('no-results')).toBeVisible()
  })

  test('recent lookups are one key away', async ({ page, guichet }) => {
    await page.goto(guichet.url)
    await scan(page, SWISS_POST)
    await expect(page.getByTestId('shipment-tracking')).toHaveText(SWISS_POST)
    await scan(page, ECOTRACK)
    await expect(page.getByTestId('shipment-tracking')).toHaveText(ECOTRACK)
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('shipment-tracking')).toHaveText(SWISS_POST)
  })

  test('scans back to back: the second number never mixes with the first', async ({ page, guichet }) => {
    await page.goto(guichet.url)
    // The second burst may start before, during or after the first answer: the field must
    // hold exactly the second number whenever its Enter comes.
    await scan(page, SWISS_POST)
    await scan(page, ECOTRACK)
    await expect(page.getByTestId('shipment-tracking')).toHaveText(ECOTRACK)
    await expect(page.getByTestId('search-input')).toHaveValue('')
    await expect(page.getByTestId('error')).toHaveCount(0)
  })

  test('a page without the token explains how to open the app', async ({ page, guichet }) => {
    await page.goto(guichet.base + '/')
    await expect(page.getByText('npm run serve')).toBeVisible()
  })
})

test.describe('French', () => {
  test.use({ lang: 'fr' })
  test('French screens (screenshots for review)', async ({ page, guichet }) => {
    await page.goto(guichet.url)
    await screenshot(page, 'fr-home')
    await scan(page, EXPRESS_RELAIS)
    await expect(page.getByTestId('timeline')).toBeVisible()
    await expect(page.getByRole('heading', { name: 'Historique' })).toBeVisible()
    await screenshot(page, 'fr-shipment')
  })
})

test.describe('first run', () => {
  test.use({ demo: false })
  test('offers the demo when no carrier is configured', async ({ page, guichet }) => {
    await page.goto(guichet.url)
    await page.getByTestId('enable-demo').click()
    await expect(page.getByText(ECOTRACK)).toBeVisible()
    await page.getByTestId('search-input').focus()
    await scan(page, ECOTRACK)
    await expect(page.getByTestId('timeline')).toBeVisible()
  })
})

test.describe('Arabic', () => {
  test.use({ lang: 'ar' })
  test('the layout flips right-to-left and codes stay left-to-right', async ({ page, guichet }) => {
    await page.goto(guichet.url)
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl')
    await expect(page.locator('html')).toHaveAttribute('lang', 'ar')
    await scan(page, EXPRESS_RELAIS)
    await expect(page.getByRole('heading', { name: 'السجل' })).toBeVisible()
    await expect(page.getByTestId('shipment-tracking')).toHaveAttribute('dir', 'ltr')
    await screenshot(page, 'ar-shipment')
  })
})
