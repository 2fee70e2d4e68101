import { act, render, screen } from '@testing-library/react'
import i18next from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import type { PointStep } from '@shared/contract'
import { AppContext } from '../../context'
import { initI18n } from '../../i18n'
import { createLookupStore } from '../../stores/lookup'
import { createStatusStore } from '../../stores/status'
import { createUiStore } from '../../stores/ui'
import { fakeApi } from '../../testing/fakeApi'
import { PointSteps } from './PointSteps'

beforeAll(async () => {
  await initI18n('fr')
})

const step = (action: string, state: string | null, at: string): PointStep => ({
  deskId: 'd1',
  deskName: 'point P1',
  pointId: 'P1',
  trackingKey: 'EC100200300',
  trackingNumber: 'EC100200300',
  action,
  state,
  at
})

async function show(steps: PointStep[]) {
  const api = fakeApi({ 'hub.pointSteps': () => ({ ok: true, value: steps }) })
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
  render(
    <AppContext.Provider
      value={{
        api,
        info,
        settings: { language: 'fr', point: null, sender: null },
        lookup: createLookupStore(api),
        status: createStatusStore(api),
        ui: createUiStore()
      }}
    >
      <PointSteps />
    </AppContext.Provider>
  )
  await act(async () => {})
}

describe('PointSteps at the warehouse', () => {
  it("shows each point's check-in and hand-over in the clerk's words, newest first as the hub gave them", async () => {
    await i18next.changeLanguage('fr')
    await show([step('handover', 'handed_over', '2026-12-03T15:00:00.000Z'), step('checkin', 'on_shelf', '2026-12-03T09:00:00.000Z')])
    const rows = screen.getAllByTestId('point-step')
    expect(rows.map((r) => r.getAttribute('data-state'))).toEqual(['handed_over', 'on_shelf'])
    expect(rows[0]!.textContent).toContain('remis')
    expect(rows[1]!.textContent).toContain('en rayon')
    expect(rows[0]!.textContent).toContain('point P1')
    // An action this version has no word for is not shown as main's raw name.
    expect(screen.getByTestId('point-steps').textContent).not.toContain('handover')
  })

  it('stays hidden on a desk the hub has brought nothing to', async () => {
    await show([])
    expect(screen.queryByTestId('point-steps')).toBeNull()
  })
})
