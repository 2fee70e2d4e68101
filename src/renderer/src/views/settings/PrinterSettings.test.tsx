import { act, fireEvent, render, screen, within } from '@testing-library/react'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Settings } from '@shared/app'
import type { PrinterInfo } from '@shared/contract/labels'
import { AppContext } from '../../context'
import { initI18n } from '../../i18n'
import { createLookupStore } from '../../stores/lookup'
import { createStatusStore } from '../../stores/status'
import { createUiStore } from '../../stores/ui'
import { fakeApi } from '../../testing/fakeApi'
import { PrinterSettings } from './PrinterSettings'

beforeAll(async () => {
  await initI18n('fr')
})

const queue = (name: string, extra: Partial<PrinterInfo> = {}): PrinterInfo => ({
  id: `cups:${name}`,
  name,
  driver: 'cups-pdf',
  target: name,
  format: 'pdf',
  size: 'A6',
  dpi: null,
  isDefault: false,
  configured: false,
  ...extra
})

function setup(printers: PrinterInfo[], initial: Settings = { language: 'fr', point: null, sender: null, labelPrinter: null }) {
  let current = initial
  const api = fakeApi({
    'printers.list': () => ({ ok: true, value: printers }),
    'settings.get': () => ({ ok: true, value: current }),
    'settings.update': (patch) => {
      current = { ...current, ...patch } as Settings
      return { ok: true, value: current }
    }
  })
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
      value={{ api, info, settings: initial, lookup: createLookupStore(api), status: createStatusStore(api), ui: createUiStore() }}
    >
      <PrinterSettings />
    </AppContext.Provider>
  )
  return { api, saved: () => current.labelPrinter }
}

describe('PrinterSettings (fr)', () => {
  it('lists the CUPS queues the label dialog sees, and saves the one chosen as the label printer', async () => {
    const { saved } = setup([
      queue('Bureau_HP', { isDefault: true }),
      queue('Zebra_ZD421', { driver: 'cups-raw', format: 'zpl', size: '4x6', dpi: 203 })
    ])
    await act(async () => {})
    const picker = within(screen.getByTestId('label-printer-picker'))
    expect(picker.getByText('Bureau_HP')).toBeTruthy()
    expect(screen.getByTestId('printer-settings').textContent).toContain('CUPS (brut) · ZPL · 4x6 · 203 dpi')
    expect(screen.getByTestId('printer-settings').textContent).toContain('imprimante par défaut du système')
    // Nothing chosen yet: "save as PDF" is the choice.
    expect(picker.getByLabelText('Aucune : enregistrer les étiquettes en PDF')).toHaveProperty('checked', true)
    fireEvent.click(picker.getByLabelText(/Zebra_ZD421/))
    await act(async () => {
      fireEvent.click(screen.getByTestId('label-printer-save'))
    })
    expect(saved()).toBe('cups:Zebra_ZD421')
    expect(screen.getByTestId('label-printer-outcome').textContent).toContain('Enregistré.')
  })

  it('shows the saved choice, and "none" sends labels to PDF again', async () => {
    const { saved } = setup([queue('Zebra')], { language: 'fr', point: null, sender: null, labelPrinter: 'cups:Zebra' })
    await act(async () => {})
    const picker = within(screen.getByTestId('label-printer-picker'))
    expect(picker.getByLabelText(/Zebra/)).toHaveProperty('checked', true)
    fireEvent.click(picker.getByLabelText('Aucune : enregistrer les étiquettes en PDF'))
    await act(async () => {
      fireEvent.click(screen.getByTestId('label-printer-save'))
    })
    expect(saved()).toBeNull()
  })

  it('a desk without any printer says so and keeps "save as PDF"', async () => {
    setup([])
    await act(async () => {})
    expect(screen.getByTestId('printers-none')).toBeTruthy()
    expect(within(screen.getByTestId('label-printer-picker')).getByLabelText('Aucune : enregistrer les étiquettes en PDF')).toBeTruthy()
  })
})
