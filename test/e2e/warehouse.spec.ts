import { expect, test } from './fixtures'

// The warehouse screen against the aggregator simulators (demo): create an order, assign its
// AWB, fetch and preview its label, create its return.
test.use({ lang: 'en' })

test('create a Shiprocket order, assign the AWB, open the label, create the return', async ({ page, guichet }) => {
  await page.goto(guichet.url)
  await expect(page.getByTestId('search-input')).toBeFocused()
  await page.keyboard.press('Alt+7')
  await expect(page.getByTestId('warehouse-view')).toBeVisible()
  await page.getByTestId('order-carrier').selectOption('shiprocket')
  const fill: Record<string, string> = {
    reference: 'WH-E2E-0001',
    name: 'Kavya Sharma',
    phone: '9876501234',
    address: '14 MG Road',
    city: 'Bengaluru',
    state: 'Karnataka',
    pincode: '560001',
    item: 'Notebook',
    sku: 'NB-A5',
    units: '2',
    price: '450',
    weightGrams: '600'
  }
  for (const [k, v] of Object.entries(fill)) await page.getByTestId(`order-${k}`).fill(v)
  await page.getByTestId('order-create').click()
  await expect(page.getByTestId('order-outcome')).toContainText('Order WH-E2E-0001 created.')
  const row = page.locator('tr[data-reference="WH-E2E-0001"]')
  await expect(row).toBeVisible()
  await row.getByTestId('assign-awb').click()
  await expect(page.getByTestId('warehouse-outcome')).toContainText('AWB assigned.')
  await row.getByTestId('order-label').click()
  await expect(page.getByTestId('label-dialog')).toBeVisible()
  await page.keyboard.press('Escape')
  await row.getByTestId('create-return').click()
  await expect(page.getByTestId('warehouse-outcome')).toContainText('Return created with its AWB.')
  await expect(page.getByTestId('orders-table').locator('tbody tr')).toHaveCount(2)
})
