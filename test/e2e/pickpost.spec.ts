// Issue 7 in browser mode (demo, on the Sendcloud / Swiss Post simulators): search points near a
// Swiss postal code, pick a My Post 24 locker, look up the customer's User ID, create the shipment,
// preview its label; the label's Name2 reads "My Post 24 <User ID>" and its barcode, rendered to a
// PNG, decodes (zbarimg) to the identCode. PickPost for a customer with status NONE is allowed; a
// My Post 24 locker parcel for that customer warns.
import { execFile } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import type { Page } from '@playwright/test'
import { expect, screenshot, test } from './fixtures'

const run = promisify(execFile)
test.use({ deviceScaleFactor: 3, viewport: { width: 1280, height: 1000 } })

async function searchPoints(page: Page, place: string): Promise<void> {
  await page.getByTestId('nav-points').click()
  await page.getByTestId('points-place').fill(place)
  await page.getByTestId('points-search').click()
  await expect(page.getByTestId('points-list').getByTestId('point-item').first()).toBeVisible()
}

async function fillCustomer(page: Page, c: Record<string, string>): Promise<void> {
  for (const [k, v] of Object.entries(c)) await page.getByTestId(`to-point-${k}`).fill(v)
}

test.describe('PickPost / My Post 24 (browser mode, demo)', () => {
  test('My Post 24 locker near 8004: User ID, shipment, label with Name2 and a barcode that decodes to the identCode', async ({
    page,
    guichet
  }) => {
    await page.goto(guichet.url)
    await searchPoints(page, '8004')
    const locker = page.locator('[data-testid="point-item"][data-type="locker"][data-key^="swisspost:"]').first()
    await locker.click()
    await expect(locker).toHaveAttribute('aria-pressed', 'true')
    await expect(page.getByTestId('point-detail')).toContainText('My Post 24')
    await screenshot(page, 'points-8004')

    await fillCustomer(page, {
      orderReference: 'WEB-E2E-1',
      firstName: 'Zoë',
      lastName: 'Müller',
      email: 'zoe.muller@example.ch',
      street: 'Bahnhofstrasse',
      houseNo: '5',
      zip: '8001',
      city: 'Zürich'
    })
    await page.getByTestId('lookup-user-id').click()
    const userId = (await page.getByTestId('user-id').textContent())!.trim()
    expect(userId).toMatch(/^[A-Za-z0-9]{4,20}$/)
    await expect(page.getByTestId('customer-status')).toHaveText('SUISSE-ID')
    await expect(page.getByTestId('name2-preview')).toHaveText(`My Post 24 ${userId}`)
    await expect(page.getByTestId('locker-warning')).toHaveCount(0)

    await page.getByTestId('create-to-point').click()
    const identCode = (await page.getByTestId('created-tracking').textContent())!.trim()
    expect(identCode).toMatch(/^\d{18}$/)
    await expect(page.getByTestId('created-name2')).toHaveText(`My Post 24 ${userId}`)

    await page.getByTestId('open-created').click()
    await expect(page.getByTestId('shipment-tracking')).toHaveText(identCode)
    await page.getByTestId('print-label').click()
    const preview = page.getByTestId('label-preview')
    await expect(preview).toBeVisible()
    const svg = decodeURIComponent((await preview.getAttribute('src'))!.replace(/^data:image\/svg\+xml;charset=utf-8,/, ''))
    expect(svg).toContain(`My Post 24 ${userId}`)

    const dir = resolve(__dirname, '../../test-results/pickpost')
    mkdirSync(dir, { recursive: true })
    const png = join(dir, 'label-preview.png')
    await preview.screenshot({ path: png })
    const { stdout } = await run('zbarimg', ['-q', '--raw', '-Sdisable', '-Scode128.enable', png], { timeout: 30_000 })
    expect(stdout.split('\n').filter(Boolean)).toEqual([identCode])
  })

  test('status NONE: a My Post 24 locker warns, a PickPost counter is allowed', async ({ page, guichet }) => {
    await page.goto(guichet.url)
    await searchPoints(page, '8004')
    const customer = { firstName: 'Marc', lastName: 'Dubois', email: 'marc.dubois@example.ch', zip: '1204', city: 'Genève' }

    await page.locator('[data-testid="point-item"][data-type="locker"][data-key^="swisspost:"]').first().click()
    await fillCustomer(page, { orderReference: 'WEB-E2E-2', ...customer })
    await page.getByTestId('lookup-user-id').click()
    await expect(page.getByTestId('customer-status')).toHaveText('NONE')
    await expect(page.getByTestId('locker-warning')).toBeVisible()

    await page.locator('[data-testid="point-item"][data-type="post_office"][data-key^="swisspost:"]').first().click()
    await fillCustomer(page, { orderReference: 'WEB-E2E-3', ...customer })
    await page.getByTestId('lookup-user-id').click()
    await expect(page.getByTestId('customer-status')).toHaveText('NONE')
    await expect(page.getByTestId('locker-warning')).toHaveCount(0)
    await page.getByTestId('create-to-point').click()
    await expect(page.getByTestId('created-name2')).toHaveText(/^PickPost [A-Za-z0-9]+$/)
    await expect(page.getByTestId('created-warning')).toHaveCount(0)
  })
})
