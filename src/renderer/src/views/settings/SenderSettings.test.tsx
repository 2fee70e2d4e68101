import { act, fireEvent, render, screen, within } from '@testing-library/react'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Settings } from '@shared/app'
import { appChannels } from '@shared/contract/app'
import type { Result } from '@shared/result'
import { AppContext } from '../../context'
import { initI18n } from '../../i18n'
import { createLookupStore } from '../../stores/lookup'
import { createStatusStore } from '../../stores/status'
import { createUiStore } from '../../stores/ui'
import { fakeApi } from '../../testing/fakeApi'
import { SenderSettings } from './SenderSettings'

beforeAll(async () => {
  await initI18n('en')
})

/** settings.get / settings.update over the contract's real schema, answering as main's dispatch does. */
function setup(initial: Settings = { language: 'en', point: null, sender: null }) {
  let current = initial
  const update = (input: unknown): Result<Settings> => {
    const parsed = appChannels['settings.update'].input.safeParse(input)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      const field = issue.path.map(String).join('.')
      return { ok: false, error: { code: 'invalid_input', message: `${field}: ${issue.message}`, retryable: false, field } }
    }
    current = { ...current, ...Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) }
    return { ok: true, value: current }
  }
  const api = fakeApi({ 'settings.get': () => ({ ok: true, value: current }), 'settings.update': update })
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
      <SenderSettings />
    </AppContext.Provider>
  )
  return { api, saved: () => current.sender }
}

const group = () => screen.getByRole('group', { name: 'Sender address on labels' })
const type = (label: string, value: string) =>
  fireEvent.change(within(group()).getByLabelText(label, { exact: false }), { target: { value } })

describe('SenderSettings', () => {
  it('saves a sender through settings.update, as labelled fields in a named group', async () => {
    const { api, saved } = setup()
    await act(async () => {})
    type('Name or company', 'Relais Maarif')
    type('Street', 'Rue Ibnou Mounir')
    type('Number', '14')
    type('Postal code', '20330')
    type('City', 'Casablanca')
    type('Country', 'ma')
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    })
    expect(api.calls.filter((c) => c.channel === 'settings.update').map((c) => c.input)).toEqual([
      {
        sender: {
          name1: 'Relais Maarif',
          name2: null,
          street: 'Rue Ibnou Mounir',
          houseNo: '14',
          zip: '20330',
          city: 'Casablanca',
          country: 'MA',
          phone: null
        }
      }
    ])
    expect(saved()).toMatchObject({ name1: 'Relais Maarif', city: 'Casablanca', country: 'MA' })
    expect(screen.getByTestId('sender-outcome').textContent).toBe('Saved.')
    expect(screen.queryByTestId('sender-field-error')).toBeNull()
    // Address fields follow what is typed (Arabic or Latin); codes stay left-to-right.
    expect(screen.getByTestId('sender-city').getAttribute('dir')).toBe('auto')
    expect(screen.getByTestId('sender-phone').getAttribute('dir')).toBe('ltr')
  })

  it('shows a refusal under the field it names, and moves the focus there', async () => {
    const { saved } = setup()
    await act(async () => {})
    type('Name or company', 'Dépôt Oran')
    type('City', 'Oran')
    type('Country', 'D1')
    await act(async () => {
      fireEvent.submit(screen.getByTestId('sender-settings'))
    })
    const country = screen.getByTestId('sender-country')
    expect(country.getAttribute('aria-invalid')).toBe('true')
    const error = screen.getByTestId('sender-field-error')
    expect(error.textContent).toBe('Two letters, the country’s ISO code: MA, DZ, FR, CH…')
    expect(country.getAttribute('aria-describedby')).toBe(error.id)
    expect(document.activeElement).toBe(country)
    expect(screen.getByTestId('sender-outcome').textContent).toBe('Correct the marked field.')
    expect(saved()).toBeNull()

    // A missing name is named too, with its limit.
    type('Country', 'DZ')
    type('Name or company', '  ')
    await act(async () => {
      fireEvent.submit(screen.getByTestId('sender-settings'))
    })
    expect(screen.getByTestId('sender-field-error').textContent).toBe('The name is required (at most 60 characters).')
    expect(document.activeElement).toBe(screen.getByTestId('sender-name1'))
  })

  it('reads the saved sender and clears it', async () => {
    const { api, saved } = setup({ language: 'en', point: null, sender: { name1: 'Entrepôt Blida', city: 'Blida', country: 'DZ' } })
    await act(async () => {})
    expect((screen.getByTestId('sender-name1') as HTMLInputElement).value).toBe('Entrepôt Blida')
    expect((screen.getByTestId('sender-country') as HTMLInputElement).value).toBe('DZ')
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Clear the address' }))
    })
    expect(api.calls.at(-1)).toEqual({ channel: 'settings.update', input: { sender: null } })
    expect(saved()).toBeNull()
    expect((screen.getByTestId('sender-name1') as HTMLInputElement).value).toBe('')
    expect(screen.getByTestId('sender-outcome').textContent).toBe('Address cleared: labels no longer have a sender block.')
  })
})
