import { act, fireEvent, render, screen } from '@testing-library/react'
import { beforeAll, describe, expect, it } from 'vitest'
import { AppContext } from '../context'
import { initI18n } from '../i18n'
import { createLookupStore } from '../stores/lookup'
import { createStatusStore } from '../stores/status'
import { createUiStore } from '../stores/ui'
import { fakeApi } from '../testing/fakeApi'
import { SearchBox } from './SearchBox'

beforeAll(async () => {
  await initI18n('en')
})

function setup() {
  const api = fakeApi({ 'shipments.find': (input) => ({ ok: true, value: { kind: 'results', query: (input as { query: string }).query, items: [] } }) })
  const lookup = createLookupStore(api)
  const info = { name: 'Guichet' as const, version: '0', mode: 'browser' as const, demo: true, firstRun: false, carriersConfigured: [], shipments: 0, storeWarning: null }
  render(
    <AppContext.Provider value={{ api, info, settings: { language: 'en', point: null }, lookup, status: createStatusStore(api), ui: createUiStore() }}>
      <SearchBox />
    </AppContext.Provider>
  )
  return { api, lookup }
}

describe('SearchBox', () => {
  it('is focused at once and sends the cleaned scan on Enter, then clears itself', async () => {
    const { api } = setup()
    const input = screen.getByTestId('search-input') as HTMLInputElement
    expect(document.activeElement).toBe(input)
    fireEvent.change(input, { target: { value: '\u0002ECQFLD2611240017\u0003' } })
    await act(async () => {
      fireEvent.submit(input.closest('form')!)
    })
    expect(api.calls).toEqual([{ channel: 'shipments.find', input: { query: 'ECQFLD2611240017' } }])
    expect(input.value).toBe('')
  })

  it('sends nothing for an empty or blank field', async () => {
    const { api } = setup()
    const input = screen.getByTestId('search-input') as HTMLInputElement
    fireEvent.change(input, { target: { value: '  \u0002 ' } })
    await act(async () => {
      fireEvent.submit(input.closest('form')!)
    })
    expect(api.calls).toEqual([])
  })

  it('has an accessible name and hint', () => {
    setup()
    expect(screen.getByRole('searchbox', { name: 'Find a parcel' })).toBeTruthy()
  })
})
