import { expect, openApp, screenshot, test } from './fixtures'

// Settings in French against browser mode: accounts and their credentials in one section, each
// save tested with a real call to the carrier (here the demo ECOTRACK simulator on loopback).

test.use({ lang: 'fr' })

test('a wrong token is saved and refused in words, the right one connects; fields as each carrier names them', async ({
  page,
  guichet
}) => {
  const rpc = async (channel: string, body: unknown) =>
    (await (
      await fetch(`${guichet.base}/rpc/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${guichet.token}` },
        body: JSON.stringify(body)
      })
    ).json()) as { ok: boolean; value?: unknown }
  await rpc('credentials.acceptPlainTextRisk', { accept: true })
  const accounts = (await rpc('accounts.list', {})).value as Array<{ carrier: string; demo: boolean; baseUrl: string }>
  const sim = accounts.find((a) => a.carrier === 'ecotrack' && a.demo)!.baseUrl

  await openApp(page, guichet.url)
  await page.keyboard.press('Alt+4')
  const editor = page.getByTestId('accounts-editor')
  await expect(editor).toBeVisible()
  await expect(editor).not.toContainText('api_token')
  await page.getByTestId('account-alias').fill('nord')
  await page.getByTestId('account-url').fill(sim)
  await page.getByTestId('secret-api_token').fill('jeton-faux-000000')
  await page.getByTestId('account-save').click()
  const outcome = page.getByTestId('account-outcome')
  await expect(outcome).toContainText('Compte « nord » enregistré.')
  await expect(outcome).toContainText('ECOTRACK refuse ces identifiants.')
  await expect(outcome).not.toContainText('refused the API token')

  await page.getByTestId('secret-api_token').fill('demo-ecotrack-token')
  await page.getByTestId('account-save').click()
  await expect(outcome).toContainText('Connecté : ECOTRACK accepte ces identifiants.')
  const row = page.getByTestId('account-row-ecotrack-nord')
  await expect(row).toContainText('configuré')
  await expect(row).not.toContainText('identifiants manquants')
  await expect(row.getByTestId('account-connection')).toHaveAttribute('data-state', 'connected')
  await page.setViewportSize({ width: 1366, height: 768 })
  await screenshot(page, 'fr-settings-accounts')
  // Nothing wider than the counter PC's screen.
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1366)

  // Shipway: e-mail and licence key; Swiss Post: its four hosts with their defaults.
  await page.getByTestId('account-carrier').selectOption('shipway')
  await expect(page.getByTestId('account-secrets')).toContainText('Clé de licence')
  await expect(page.getByTestId('account-secrets')).not.toContainText('Mot de passe')
  await page.getByTestId('account-carrier').selectOption('swisspost')
  const sp = page.getByTestId('account-options-swisspost')
  await expect(sp).toContainText('Par défaut : https://api.post.ch/OAuth/token')
  await expect(sp).toContainText('Par défaut : https://wedec.post.ch/api/pickpost/v1')
})

test('the label printer picker offers the desk’s printers and “save as PDF”', async ({ page, guichet }) => {
  await openApp(page, guichet.url)
  await page.keyboard.press('Alt+4')
  const picker = page.getByTestId('label-printer-picker')
  await expect(picker).toContainText('Imprimante d’étiquettes par défaut')
  await picker.getByLabel('Aucune : enregistrer les étiquettes en PDF').check()
  await page.getByTestId('label-printer-save').click()
  await expect(page.getByTestId('label-printer-outcome')).toContainText('Enregistré.')
})
