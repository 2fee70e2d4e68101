import { act, fireEvent, render, screen } from '@testing-library/react'
import { beforeAll, describe, expect, it, vi } from 'vitest'
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

type Find = Parameters<typeof fakeApi>[0]['shipments.find']
const noResults: Find = (input) => ({ ok: true, value: { kind: 'results', query: (input as { query: string }).query, items: [] } })

function setup(find: Find = noResults, recent: Array<{ id: number; trackingNumber: string; recipientName: string }> = []) {
  const api = fakeApi({ 'shipments.find': find })
  const lookup = createLookupStore(api, recent)
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
        settings: { language: 'en', point: null, sender: null },
        lookup,
        status: createStatusStore(api),
        ui: createUiStore()
      }}
    >
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

  it('keeps a scan in the field until its answer, and a new scan replaces it at its first key', async () => {
    const answers: Array<() => void> = []
    const { api } = setup((input) => new Promise((resolve) => answers.push(() => resolve(noResults!(input) as never))))
    const input = screen.getByTestId('search-input') as HTMLInputElement
    fireEvent.change(input, { target: { value: 'ERMA2611240042' } })
    fireEvent.submit(input.closest('form')!)
    // Nothing on screen moves between the Enter and the answer.
    expect(input.value).toBe('ERMA2611240042')
    expect(screen.getByRole('button', { name: 'Find' }).hasAttribute('disabled')).toBe(false)
    // The scanner's next burst starts from an empty field.
    fireEvent.keyDown(input, { key: '9' })
    expect(input.value).toBe('')
    fireEvent.change(input, { target: { value: '9960' } })
    await act(async () => answers[0]!())
    // The answer does not wipe what the clerk typed since.
    expect(input.value).toBe('9960')
    expect(api.calls).toHaveLength(1)
  })

  it('clears the field with the answer when nothing was typed meanwhile', async () => {
    const answers: Array<() => void> = []
    setup((input) => new Promise((resolve) => answers.push(() => resolve(noResults!(input) as never))))
    const input = screen.getByTestId('search-input') as HTMLInputElement
    fireEvent.change(input, { target: { value: 'ERMA2611240042' } })
    fireEvent.submit(input.closest('form')!)
    await act(async () => answers[0]!())
    expect(input.value).toBe('')
    expect(document.activeElement).toBe(input)
  })

  it('says "searching" only when an answer is slow', async () => {
    vi.useFakeTimers()
    try {
      setup(() => new Promise(() => {}))
      const input = screen.getByTestId('search-input') as HTMLInputElement
      fireEvent.change(input, { target: { value: 'ERMA2611240042' } })
      fireEvent.submit(input.closest('form')!)
      expect(screen.queryByRole('button', { name: 'Searching…' })).toBeNull()
      await act(async () => vi.advanceTimersByTime(300))
      expect(screen.getByRole('button', { name: 'Searching…' }).hasAttribute('disabled')).toBe(true)
    } finally {
      vi.useRealTimers()
    }
  })

  it('opens the recent parcels with ↓ and moves focus into them at once', () => {
    setup(noResults, [
      { id: 1, trackingNumber: 'ECQFLD2611240017', recipientName: 'Amina' },
      { id: 2, trackingNumber: '996012345600004211', recipientName: 'Lukas' }
    ])
    const input = screen.getByTestId('search-input') as HTMLInputElement
    fireEvent.keyDown(input, { key: 'ArrowDown' })
    // No frame in between: a quick second ↓ must already land in the list.
    expect(document.activeElement?.textContent).toContain('ECQFLD2611240017')
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' })
    expect(document.activeElement?.textContent).toContain('996012345600004211')
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
