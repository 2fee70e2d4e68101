import type { Page } from '@playwright/test'
import { expect, screenshot, test, type GuichetServer } from './fixtures'

// A counter day in browser mode (demo on the carriers' simulators), with the keyboard and a
// scanner alone: no click anywhere. A driver drops 12 parcels (one damaged, one for another
// point, one unknown); three customers collect (one with two parcels, COD paid); the parcel the
// demo desk has kept for 10 days has expired and leaves with the driver beside a customer's
// return; the end of the day adds up, and the Express Relais simulator is asked for the return
// exactly once (the outbox row is sent once, on the first attempt).

const DROP = [
  'ERMA2611240042', // Yasmine El Idrissi, COD 349 MAD
  'ERMA2611230031', // Karim Benjelloun
  '3SYZXG132912361', // Salma Tazi (Sendcloud)
  'ERMA2611270055', // Salma Tazi, COD 129.90 MAD
  'ERMA2611250064',
  'ECQFLD2611220009', // damaged
  'ECQFLD2611260021',
  '141123221084922', // Priya Raman
  '141123221084931',
  'CP2611240012',
  'ERMA2611260077', // for the Twin Center locker: not this point
  'ZZUNKNOWN00012' // no shipment known yet
]
const DAMAGED = 'ECQFLD2611220009'
const EXPIRED = 'ERMA2611100003'
const RETURN_AWB = 'RET-ER-000981'

/** A scanner: fast keys then Enter, into the field that has the focus. */
async function scanInto(page: Page, text: string) {
  await expect(page.getByTestId('counter-scan')).toBeFocused()
  await page.keyboard.type(text, { delay: 2 })
  await page.keyboard.press('Enter')
}

/** From the check field: Tab, Tab to the amount, type it, Tab to the method, pick cash, back and Enter. */
async function confirmCod(page: Page, amount: string) {
  await page.keyboard.press('Tab')
  await page.keyboard.press('Tab')
  await expect(page.getByTestId('handover-cod-amount')).toBeFocused()
  await page.keyboard.type(amount)
  await page.keyboard.press('Tab')
  await expect(page.getByTestId('handover-cod-method')).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await expect(page.getByTestId('handover-cod-method')).toHaveValue('cash')
  await page.keyboard.press('Shift+Tab')
  await page.keyboard.press('Enter')
}

async function rpc<T>(g: GuichetServer, channel: string, input: unknown = {}): Promise<T> {
  const r = await fetch(`${g.base}/rpc/${channel}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${g.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input)
  })
  const body = (await r.json()) as { ok: boolean; value: T; error?: { message: string } }
  if (!body.ok) throw new Error(`${channel}: ${body.error?.message}`)
  return body.value
}

async function counterDay(page: Page, guichet: GuichetServer, lang: 'fr' | 'ar') {
  // The printed documents speak the clerk's language too; in Arabic, codes and amounts sit in
  // left-to-right isolates (U+2066 … U+2069) inside the right-to-left lines.
  const ltr = (s: string) => (lang === 'ar' ? `\u2066${s}\u2069` : s)
  const words = {
    fr: {
      totals: 'Entrées 13 · sorties 6 (remises 4, chauffeur 2) · sur l’étagère 8',
      receipt: 'Reçu n°',
      cod: (amount: string) => `Contre-remboursement : ${amount.replace('.', ',')} MAD (espèces)`,
      localOnly: 'ne permet pas de déclarer la remise',
      collected: '2 colis remis au chauffeur',
      samePhone: 'même téléphone',
      handedOver: 'Remis au client le',
      timelineHandover: 'Remis au client, reçu',
      timelineCheckin: 'Arrivé au point, case',
      exceptions: 'endommagés 1, pas pour ce point 1, non rapprochés 1'
    },
    ar: {
      totals: 'الداخل 13 · الخارج 6 (تسليمات 4، السائق 2) · على الرفوف 8',
      receipt: 'إيصال رقم',
      cod: (amount: string) => `الدفع عند الاستلام: ${ltr(`${amount} MAD`)} (نقدًا)`,
      localOnly: 'لا تتيح تسجيل التسليم',
      collected: 'سُلّم إلى السائق: طردان',
      samePhone: 'نفس الهاتف',
      handedOver: 'سُلّم للزبون في',
      timelineHandover: 'سُلّم للزبون، الإيصال',
      timelineCheckin: 'وصل إلى النقطة، الموضع',
      exceptions: 'تالف 1، ليس لهذه النقطة 1، غير مطابق 1'
    }
  }[lang]
  await page.goto(guichet.url)
  await expect(page.getByTestId('search-input')).toBeFocused()
  await page.keyboard.press('Alt+6')
  await expect(page.getByTestId('counter-view')).toBeVisible()

  // 1. The driver drop: name, announced count, then each parcel.
  await expect(page.getByTestId('checkin-driver')).toBeFocused()
  await page.keyboard.type('Youssef')
  await page.keyboard.press('Tab')
  await page.keyboard.type('12')
  await page.keyboard.press('Enter')
  for (const [i, code] of DROP.entries()) {
    if (code === DAMAGED) {
      // Condition and note first (Tab, arrow, Tab, text, Enter back to the scan field), then the scan.
      await page.keyboard.press('Tab')
      await expect(page.getByTestId('checkin-condition')).toBeFocused()
      await page.keyboard.press('ArrowDown')
      await expect(page.getByTestId('checkin-condition')).toHaveValue('damaged')
      await page.keyboard.press('Tab')
      await page.keyboard.type('coin écrasé')
      await page.keyboard.press('Enter')
    }
    await scanInto(page, code)
    await expect(page.getByTestId('checkin-count')).toContainText(`${i + 1}`)
    await expect(page.getByTestId('checkin-last')).toContainText(code)
    if (code === 'ERMA2611260077') await expect(page.getByTestId('checkin-warning-not_for_point')).toBeVisible()
    if (code === 'ZZUNKNOWN00012') await expect(page.getByTestId('checkin-warning-unmatched')).toBeVisible()
    if (code === DAMAGED) await expect(page.getByTestId('checkin-last')).toContainText(lang === 'fr' ? 'Endommagé' : 'تالف')
  }
  await expect(page.getByTestId('checkin-list').locator('li')).toHaveCount(12)
  // Enter on the empty scan field closes the drop (12 of 12: no reason needed).
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('checkin-driver')).toBeFocused()

  // 2. Hand-overs: scan or type, then the check and Enter; the receipt shows.
  await page.keyboard.press('Alt+Shift+Digit2')
  const receipt = page.getByTestId('counter-document-text')
  // Salma: her Sendcloud parcel is found by its scan; her other one (same phone) is proposed,
  // unticked, with why. The clerk ticks it (Shift+Tab to it, Space, Tab back to the check).
  await scanInto(page, '3SYZXG132912361')
  await expect(page.getByTestId('handover-parcels').locator('li')).toHaveCount(2)
  await expect(page.getByTestId('handover-pick-ERMA2611270055')).not.toBeChecked()
  await expect(page.getByTestId('handover-parcels').locator('li[data-match="same_phone"]')).toContainText(words.samePhone)
  await expect(page.getByTestId('handover-check')).toBeFocused()
  // Nothing due yet: only the Sendcloud parcel is ticked.
  await expect(page.getByTestId('handover-cod')).toHaveCount(0)
  await page.keyboard.press('Shift+Tab')
  await expect(page.getByTestId('handover-pick-ERMA2611270055')).toBeFocused()
  await page.keyboard.press('Space')
  await expect(page.getByTestId('handover-pick-ERMA2611270055')).toBeChecked()
  await page.keyboard.press('Tab')
  await expect(page.getByTestId('handover-check')).toBeFocused()
  await page.keyboard.type('3456')
  // The COD is never prefilled: Enter alone records nothing and says why.
  await expect(page.getByTestId('handover-cod-amount')).toHaveValue('')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('handover-why')).toBeVisible()
  await expect(receipt).toHaveCount(0)
  await confirmCod(page, '129.90')
  await expect(receipt).toContainText(words.receipt)
  await expect(receipt).toContainText(ltr('••••3456'))
  await expect(receipt).toContainText(words.cod('129.90'))
  await expect(receipt).toContainText(ltr('ERMA2611270055'))
  await expect(receipt).toContainText(ltr('3SYZXG132912361'))
  // Local time of the machine, not UTC; and nothing internal on the customer's paper.
  await expect(receipt).not.toContainText('UTC')
  await expect(receipt).not.toContainText(words.localOnly)
  // The clerk is told, beside it, that Sendcloud and Express Relais take no hand-over call.
  await expect(page.getByTestId('counter-carrier-notes')).toContainText(words.localOnly)
  // Yasmine: by phone; 349 MAD.
  await scanInto(page, '0612345678')
  await expect(page.getByTestId('handover-parcels').locator('li')).toHaveCount(1)
  await expect(page.getByTestId('handover-check')).toBeFocused()
  await page.keyboard.type('77')
  await confirmCod(page, '349')
  await expect(receipt).toContainText(words.cod('349.00'))
  await expect(receipt).toContainText(/R-\d{8}-002/)
  // Priya: by name.
  await scanInto(page, 'Priya')
  await expect(page.getByTestId('handover-check')).toBeFocused()
  await page.keyboard.type('0912')
  await page.keyboard.press('Enter')
  await expect(receipt).toContainText(ltr('141123221084922'))

  // 3. Returns: the expired parcel is prepared (Tab to the button, Enter), a customer's return dropped off.
  await page.keyboard.press('Alt+Shift+Digit4')
  await expect(page.getByTestId('counter-expired').locator('li')).toHaveCount(1)
  await expect(page.getByTestId('counter-expired')).toContainText(EXPIRED)
  await expect(page.getByTestId('counter-scan')).toBeFocused()
  await page.keyboard.press('Tab')
  await expect(page.getByTestId('counter-prepare-return')).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(receipt).toContainText(EXPIRED)
  await expect(page.getByTestId('counter-expired').locator('li')).toHaveCount(0)
  await scanInto(page, RETURN_AWB)
  await expect(receipt).toContainText(RETURN_AWB)

  // 4. The driver collects both against the manifest; Enter on the empty field closes it.
  await page.keyboard.press('Alt+Shift+Digit5')
  await expect(page.getByTestId('collection-driver')).toBeFocused()
  await page.keyboard.type('Youssef')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('collection-expected').locator('li')).toHaveCount(2)
  await scanInto(page, EXPIRED)
  await scanInto(page, RETURN_AWB)
  await expect(page.getByTestId('collection-expected').locator('li[data-scanned="true"]')).toHaveCount(2)
  await page.keyboard.press('Enter')
  await expect(receipt).toContainText(words.collected)

  // 5. End of day.
  await page.keyboard.press('Alt+Shift+Digit6')
  await expect(page.getByTestId('counter-end-of-day')).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('counter-report')).toContainText(words.totals)
  await expect(page.getByTestId('counter-report').locator('tr[data-carrier="express-relais"]')).toContainText('478')
  await expect(receipt).toContainText(words.exceptions)
  await screenshot(page, `counter-day-${lang}`)

  // 6. What happened at the counter shows where the parcel shows: Find opens Yasmine's parcel
  // with Guichet's own status, and its one timeline holds the check-in (slot) and the hand-over (receipt n°).
  await page.keyboard.press('Alt+1')
  await page.getByTestId('search-input').focus()
  await page.keyboard.type('ERMA2611240042')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('shipment-view')).toBeVisible()
  await expect(page.getByTestId('counter-status')).toHaveAttribute('data-step', 'handover')
  await expect(page.getByTestId('counter-status')).toContainText(words.handedOver)
  await expect(page.getByTestId('counter-status')).toContainText(/R-\d{8}-002/)
  const timeline = page.getByTestId('timeline')
  await expect(timeline.locator('tr[data-native="GUICHET_HANDOVER"]')).toContainText(words.timelineHandover)
  await expect(timeline.locator('tr[data-native="GUICHET_CHECKIN"]')).toContainText(words.timelineCheckin)
  await expect(timeline.locator('tr[data-native="GUICHET_CHECKIN"]')).toContainText(/ER\d\d-Y/)
  // The carrier's own status stays the carrier's, not our step.
  await expect(page.getByTestId('carrier-status')).not.toContainText('GUICHET_')
  // The carrier's events are still there beside ours.
  await expect(timeline.locator('tr[data-source="demo"], tr[data-source="poll"]').first()).toBeVisible()
  // Handed over: no return request is offered, and the screen says why.
  await expect(page.getByTestId('request-return')).toHaveCount(0)
  await expect(page.getByTestId('request-return-why')).toBeVisible()
  await screenshot(page, `counter-day-find-${lang}`)

  // The report through the API agrees, and the carrier got the return request exactly once.
  const report = await rpc<{ totals: Record<string, number>; carriers: Array<{ carrier: string; cod: Array<{ cents: number }> }> }>(
    guichet,
    'counter.endOfDay',
    {}
  )
  expect(report.totals).toMatchObject({ in: 13, out: 6, handedOver: 4, collected: 2, droppedOff: 1, onShelf: 8 })
  expect(report.carriers.find((c) => c.carrier === 'express-relais')!.cod.reduce((n, c) => n + c.cents, 0)).toBe(47890)
  await expect
    .poll(
      async () =>
        (await rpc<Array<{ kind: string; state: string; attempts: number }>>(guichet, 'outbox.list', { limit: 100 })).filter(
          (r) => r.kind === 'return_request'
        ),
      { timeout: 20_000 }
    )
    .toEqual([expect.objectContaining({ kind: 'return_request', state: 'sent', attempts: 1 })])
  const rows = await rpc<Array<{ kind: string }>>(guichet, 'outbox.list', { limit: 100 })
  expect(rows.filter((r) => r.kind === 'counter_handover')).toHaveLength(0)
}

for (const lang of ['fr', 'ar'] as const) {
  test.describe(`counter day (${lang})`, () => {
    test.use({ lang })
    test(`keyboard and scanner only, ${lang}`, async ({ page, guichet }) => {
      test.setTimeout(120_000)
      await counterDay(page, guichet, lang)
    })
  })
}

test.describe('a drop that does not match the driver’s count', () => {
  test.use({ lang: 'en' })
  test('asks for a reason, with the cursor in it, and closes once given', async ({ page, guichet }) => {
    await page.goto(guichet.url)
    await expect(page.getByTestId('search-input')).toBeFocused()
    await page.keyboard.press('Alt+6')
    await expect(page.getByTestId('checkin-driver')).toBeFocused()
    await page.keyboard.type('Karim')
    await page.keyboard.press('Tab')
    await page.keyboard.type('2')
    await page.keyboard.press('Enter')
    await scanInto(page, DAMAGED)
    await expect(page.getByTestId('checkin-count')).toContainText('1')
    // Enter on the empty scan field: 1 of 2 announced, so a reason is needed.
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('counter-reason')).toBeFocused()
    await page.keyboard.type('ok') // too short: nothing is sent
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('counter-reason')).toBeVisible()
    await page.keyboard.type(', one parcel left on the van')
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('checkin-driver')).toBeFocused()
  })
})

test.describe('a reload in the middle of the day', () => {
  test.use({ lang: 'fr' })
  test('reopens the counter on the step left, with the check-in in progress', async ({ page, guichet }) => {
    await page.goto(guichet.url)
    await expect(page.getByTestId('search-input')).toBeFocused()
    await page.keyboard.press('Alt+6')
    await expect(page.getByTestId('checkin-driver')).toBeFocused()
    await page.keyboard.type('Karim')
    await page.keyboard.press('Tab')
    await page.keyboard.type('3')
    await page.keyboard.press('Enter')
    await scanInto(page, DAMAGED)
    await expect(page.getByTestId('checkin-count')).toContainText('1')

    await page.reload()
    await expect(page.getByTestId('search-input')).toBeFocused()
    await page.keyboard.press('Alt+6')
    // The drop goes on where it was: the count, the list, the cursor in the scan field.
    await expect(page.getByTestId('checkin-count')).toContainText('1')
    await expect(page.getByTestId('checkin-list').locator('li')).toHaveCount(1)
    await scanInto(page, 'ECQFLD2611260021')
    await expect(page.getByTestId('checkin-count')).toContainText('2')

    // Another step, another reload: the counter reopens on it.
    await page.keyboard.press('Alt+Shift+Digit3')
    await expect(page.getByTestId('counter-stock')).toBeVisible()
    await page.reload()
    await expect(page.getByTestId('search-input')).toBeFocused()
    await page.keyboard.press('Alt+6')
    await expect(page.getByTestId('counter-mode-stock')).toHaveAttribute('aria-selected', 'true')
    await expect(page.getByTestId('counter-stock')).toContainText('ECQFLD2611260021')
    // No native "Choose File": the damaged parcel's photo is a translated button.
    await page.keyboard.press('Alt+Shift+Digit1')
    await page.getByTestId('checkin-condition').selectOption('damaged')
    await expect(page.getByTestId('checkin-photo-pick')).toHaveText('Prendre ou choisir une photo')
    await expect(page.getByTestId('checkin-photo')).toHaveClass(/visually-hidden/)
  })
})
