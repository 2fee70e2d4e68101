import { act, render } from '@testing-library/react'
import { beforeAll, describe, expect, it } from 'vitest'
import { AppContext } from '../context'
import { initI18n } from '../i18n'
import { createLookupStore } from '../stores/lookup'
import { createStatusStore } from '../stores/status'
import { createUiStore } from '../stores/ui'
import { fakeApi } from '../testing/fakeApi'
import { App } from '../views/App'
import { screenShortcut } from './keys'

// What each layout's digit row sends with Alt held: the same physical keys, other characters.
const LAYOUTS: Record<string, string[]> = {
  azerty: ['&', 'é', '"', "'", '(', '-', 'è', '_'],
  qwertz: ['1', '2', '3', '4', '5', '6', '7', '8'],
  arabic: ['١', '٢', '٣', '٤', '٥', '٦', '٧', '٨']
}
const press = (key: string, code: string, mods: Partial<Record<'altKey' | 'shiftKey' | 'ctrlKey', boolean>> = {}) => ({
  key,
  code,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...mods
})

describe('screenShortcut', () => {
  for (const [layout, keys] of Object.entries(LAYOUTS)) {
    it(`${layout}: Alt + the digit row's keys 1..8 give screens 1..8`, () => {
      keys.forEach((key, i) => expect(screenShortcut(press(key, `Digit${i + 1}`, { altKey: true }), 8)).toBe(i + 1))
    })
  }
  it('AZERTY Alt+Shift+3 (which types "3") is not a screen key: Counter keeps it', () => {
    expect(screenShortcut(press('3', 'Digit3', { altKey: true, shiftKey: true }), 8)).toBeNull()
  })
  it('AltGr (Ctrl+Alt on Windows) and keys past the last screen do nothing', () => {
    expect(screenShortcut(press('@', 'Digit0', { altKey: true, ctrlKey: true }), 8)).toBeNull()
    expect(screenShortcut(press('ç', 'Digit9', { altKey: true }), 8)).toBeNull()
    expect(screenShortcut(press('3', 'Numpad3', { altKey: true }), 8)).toBe(3)
  })
})

describe('the app on an AZERTY keyboard', () => {
  beforeAll(async () => {
    await initI18n('fr')
  })
  it('Alt+é goes to screen 2 and Alt+Shift+3 does not move', () => {
    const api = fakeApi({})
    const ui = createUiStore()
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
          ui
        }}
      >
        <App />
      </AppContext.Provider>
    )
    act(() => {
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'é', code: 'Digit2', altKey: true }))
    })
    expect(ui.getState().section).toBe('parcels')
    act(() => {
      window.dispatchEvent(new KeyboardEvent('keydown', { key: '3', code: 'Digit3', altKey: true, shiftKey: true }))
    })
    expect(ui.getState().section).toBe('parcels')
  })
})
