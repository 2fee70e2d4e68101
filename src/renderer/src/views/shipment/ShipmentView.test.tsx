import { render, screen } from '@testing-library/react'
import i18next from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Shipment, ShipmentDetail } from '@shared/domain'
import { AppContext } from '../../context'
import { initI18n, LANGUAGES } from '../../i18n'
import { createLookupStore } from '../../stores/lookup'
import { createStatusStore } from '../../stores/status'
import { createUiStore } from '../../stores/ui'
import { fakeApi } from '../../testing/fakeApi'
import { ShipmentView } from './ShipmentView'

// Swiss Post has no published tracking contract: the parcel view says so where the clerk looks
// (beside the status, in place of "refresh"), in the clerk's language, instead of a refresh that fails.

beforeAll(async () => {
  await initI18n('fr')
})

const shipment = (carrier: Shipment['carrier']): Shipment => ({
  id: 1,
  carrier,
  account: 'demo',
  trackingNumber: carrier === 'swisspost' ? '996001234500000042' : 'ECQFLD2611240017',
  reference: null,
  recipientName: 'Marc Dubois',
  recipientPhone: null,
  point: null,
  unifiedStatus: 'shipped',
  statusKind: 'status',
  nativeStatus: null,
  nativeStatusLabel: null,
  statusAt: '2026-12-01T09:00:00.000Z',
  direction: 'forward',
  parentId: null,
  codAmount: null,
  currency: null,
  weightGrams: null,
  createdAt: '2026-12-01T09:00:00.000Z',
  updatedAt: '2026-12-01T09:00:00.000Z',
  lastCheckedAt: null,
  lastGoodCheckAt: null,
  nextCheckAt: '2026-12-04T09:00:00.000Z',
  lastError:
    carrier === 'swisspost'
      ? { code: 'unsupported', message: 'Swiss Post tracking is not connected in Guichet', at: '2026-12-01T09:00:00.000Z' }
      : null
})

function show(carrier: Shipment['carrier'], lang: string, over: Partial<Shipment> = {}) {
  const api = fakeApi({})
  const lookup = createLookupStore(api)
  const detail: ShipmentDetail = { shipment: { ...shipment(carrier), ...over }, events: [], remarks: [] }
  lookup.setState({ detail } as never)
  const info = {
    name: 'Guichet' as const,
    version: '0',
    mode: 'browser' as const,
    demo: true,
    firstRun: false,
    carriersConfigured: [],
    shipments: 0,
    storeWarning: null
  }
  render(
    <AppContext.Provider
      value={{
        api,
        info,
        settings: { language: lang as 'fr', point: null, sender: null },
        lookup,
        status: createStatusStore(api),
        ui: createUiStore()
      }}
    >
      <ShipmentView />
    </AppContext.Provider>
  )
}

describe('Swiss Post tracking is unsupported, and the parcel view says so', () => {
  for (const lang of LANGUAGES) {
    it(`${lang}: a note beside the status and in place of refresh; no English from main; no "next check"`, async () => {
      await i18next.changeLanguage(lang)
      show('swisspost', lang)
      const t = i18next.getFixedT(lang)
      expect(screen.getByTestId('tracking-unsupported').textContent).toBe(t('shipment.trackingUnsupported', { carrier: 'Swiss Post' }))
      expect(screen.queryByTestId('refresh')).toBeNull()
      expect(screen.getByTestId('refresh-unsupported').textContent).toBe(t('actions.refreshUnsupported', { carrier: 'Swiss Post' }))
      expect(document.body.textContent).not.toContain('is not connected in Guichet')
      expect(screen.getByTestId('freshness').textContent).toContain(t('shipment.noAutoCheck'))
      if (lang !== 'en') expect(t('shipment.trackingUnsupported')).not.toBe(i18next.getFixedT('en')('shipment.trackingUnsupported'))
    })
  }

  it('a tracked carrier keeps its refresh button and shows no such note', async () => {
    await i18next.changeLanguage('fr')
    show('ecotrack', 'fr')
    expect(screen.getByTestId('refresh')).toBeTruthy()
    expect(screen.queryByTestId('tracking-unsupported')).toBeNull()
  })
})

describe('Latin runs inside Arabic text', () => {
  it("isolates the carrier's name in the carrier-status line, so it keeps its place", async () => {
    await i18next.changeLanguage('ar')
    show('ecotrack', 'ar')
    const line = screen.getByTestId('carrier-status').textContent ?? ''
    expect(line).toContain('\u2068ECOTRACK\u2069')
    expect(line.startsWith('حالة')).toBe(true)
  })
})

// A failed tracking check keeps the carrier's reason (stored as the outbox stores its errors): the
// parcel view words who refused what, in the clerk's language, never main's English message.
describe("the parcel's last tracking error names the carrier and its reason", () => {
  const MAIN_SAYS = 'ECOTRACK HTTP 422 on GET /api/v1/get/tracking/info'
  const refused = {
    code: 'invalid_input',
    message: MAIN_SAYS,
    at: '2026-12-01T09:00:00.000Z',
    carrier: 'ecotrack' as const,
    field: 'tracking',
    params: { httpStatus: 422, carrierCode: 10003 }
  }
  for (const lang of LANGUAGES) {
    it(`${lang}: "ECOTRACK refused: ..." with the field, its code and the HTTP status`, async () => {
      await i18next.changeLanguage(lang)
      show('ecotrack', lang, { lastError: refused })
      const t = i18next.getFixedT(lang)
      const alert = screen.getByRole('alert')
      expect(alert.textContent).toContain(t('errors.refusedField', { carrier: 'ECOTRACK', field: 'tracking', name: 'tracking' }))
      expect(alert.textContent).toContain(t('errors.carrierCode', { code: 10003 }))
      expect(alert.textContent).toContain(t('errors.httpStatus', { status: 422 }))
      expect(document.body.textContent).not.toContain(MAIN_SAYS)
    })
  }

  it("an error stored by an older version (a bare message) still reads in the clerk's words", async () => {
    await i18next.changeLanguage('de')
    show('ecotrack', 'de', {
      lastError: { code: 'timeout', message: 'ECOTRACK did not answer within 15 s', at: '2026-12-01T09:00:00.000Z' }
    })
    expect(screen.getByRole('alert').textContent).toContain(i18next.getFixedT('de')('errors.timeout'))
    expect(document.body.textContent).not.toContain('did not answer')
  })
})
