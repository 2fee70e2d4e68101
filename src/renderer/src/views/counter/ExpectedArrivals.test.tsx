import { act, render, screen, within } from '@testing-library/react'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ExpectedArrivals as Expected } from '@shared/contract'
import { AppContext } from '../../context'
import { initI18n } from '../../i18n'
import { createLookupStore } from '../../stores/lookup'
import { createStatusStore } from '../../stores/status'
import { createUiStore } from '../../stores/ui'
import { fakeApi } from '../../testing/fakeApi'
import { ExpectedArrivals } from './ExpectedArrivals'

beforeAll(async () => {
  await initI18n('en')
})

const link = { linked: true, role: 'point' as const, pointId: 'P1', lastOkAt: null, refusal: null }
const arrival = (n: number, expectedOn: 'today' | 'tomorrow', sender: string | null) => ({
  shipmentId: n,
  trackingNumber: `EC${n}`,
  carrier: 'ecotrack' as const,
  recipientName: `Client ${n}`,
  sender,
  status: 'shipped' as const,
  statusKind: 'status' as const,
  createdAt: '2026-12-03T09:00:00.000Z',
  expectedOn
})

async function show(value: Expected, refreshKey = 0) {
  const api = fakeApi({ 'hub.expectedArrivals': () => ({ ok: true, value }) })
  const info = {
    name: 'Guichet' as const,
    version: '0',
    mode: 'browser' as const,
    demo: false,
    firstRun: false,
    carriersConfigured: [],
    shipments: 0,
    storeWarning: null
  }
  const ui = (key: number) => (
    <AppContext.Provider
      value={{
        api,
        info,
        settings: { language: 'en', point: null, sender: null },
        lookup: createLookupStore(api),
        status: createStatusStore(api),
        ui: createUiStore()
      }}
    >
      <ExpectedArrivals refreshKey={key} />
    </AppContext.Provider>
  )
  const r = render(ui(refreshKey))
  await act(async () => {})
  return { api, rerender: async (key: number) => (r.rerender(ui(key)), await act(async () => {})) }
}

describe('ExpectedArrivals', () => {
  it('lists the parcels the warehouse sent, with when, carrier, tracking number and sender, and follows each scan', async () => {
    const { api, rerender } = await show({
      link,
      pointId: 'P1',
      arrivals: [arrival(1, 'today', 'Entrepôt Lyon'), arrival(2, 'tomorrow', null)]
    })
    const region = screen.getByRole('region', { name: 'Expected from the warehouse: 2 parcels' })
    const rows = within(region).getAllByTestId('expected-row')
    expect(rows.map((r) => r.textContent)).toEqual(['TodayECOTRACKEC1Client 1Entrepôt Lyon', 'TomorrowECOTRACKEC2Client 2This desk'])
    expect(api.calls.filter((c) => c.channel === 'hub.expectedArrivals')).toHaveLength(1)
    await rerender(1)
    expect(api.calls.filter((c) => c.channel === 'hub.expectedArrivals')).toHaveLength(2)
  })

  it("words a revoked credential for the clerk, from the hub's typed refusal", async () => {
    await show({ link: { ...link, refusal: 'hub.revoked' }, pointId: 'P1', arrivals: [] })
    expect(screen.getByRole('alert').textContent).toMatch(/revoked this desk's access/)
    expect(screen.getByTestId('expected-refusal').dataset.refusal).toBe('hub.revoked')
  })

  it('shows nothing on a desk with no hub and nothing expected', async () => {
    await show({ link: { ...link, linked: false, role: null }, pointId: null, arrivals: [] })
    expect(screen.queryByTestId('expected-arrivals')).toBeNull()
  })
})
