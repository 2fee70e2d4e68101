import { act, fireEvent, render, screen } from '@testing-library/react'
import { beforeAll, describe, expect, it } from 'vitest'
import { webhookSecretChannels } from '@shared/contract/webhooks'
import type { Result } from '@shared/result'
import { AppContext } from '../../context'
import { initI18n } from '../../i18n'
import { createLookupStore } from '../../stores/lookup'
import { createStatusStore } from '../../stores/status'
import { createUiStore } from '../../stores/ui'
import { fakeApi } from '../../testing/fakeApi'
import { WebhookSecrets } from './WebhookSecrets'

beforeAll(async () => {
  await initI18n('en')
})

const SECRET = 'q4JY2m5x0vN8t1Kp7Rb3Wc6Zd9Fh0Gs2Lj5Aw8Ee1Uo'

function setup() {
  const calls: unknown[] = []
  const rotate = (input: unknown): Result<unknown> => {
    calls.push(input)
    const parsed = webhookSecretChannels['webhooks.rotateSecret'].input.safeParse(input)
    if (!parsed.success) return { ok: false, error: { code: 'invalid_input', message: 'account', retryable: false, field: 'account' } }
    const { carrier, account } = parsed.data
    const where =
      carrier === 'shipway'
        ? { sentAs: 'query', name: 'token' }
        : { sentAs: 'header', name: carrier === 'shiprocket' ? 'x-api-key' : 'webhook_key' }
    return { ok: true, value: { carrier, account, secret: SECRET, ...where, path: `/webhooks/${carrier}/${account}` } }
  }
  const api = fakeApi({ 'webhooks.rotateSecret': rotate as never })
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
        settings: { language: 'en', point: null, sender: null },
        lookup: createLookupStore(api),
        status: createStatusStore(api),
        ui: createUiStore()
      }}
    >
      <WebhookSecrets />
    </AppContext.Provider>
  )
  return { calls }
}

describe('WebhookSecrets', () => {
  it('asks main to generate the secret and shows it once, with where the carrier sends it', async () => {
    const { calls } = setup()
    expect(screen.queryByTestId('webhook-secret-issued')).toBeNull()
    // Nothing to type: there is no field for the secret itself.
    expect(screen.queryByDisplayValue(SECRET)).toBeNull()
    fireEvent.change(screen.getByTestId('webhook-secret-carrier'), { target: { value: 'shipway' } })
    fireEvent.change(screen.getByTestId('webhook-secret-account'), { target: { value: 'sw-main' } })
    await act(async () => {
      fireEvent.click(screen.getByTestId('webhook-secret-generate'))
    })
    expect(calls).toEqual([{ carrier: 'shipway', account: 'sw-main' }])
    expect((screen.getByTestId('webhook-secret-value') as HTMLInputElement).value).toBe(SECRET)
    const issued = screen.getByTestId('webhook-secret-issued').textContent
    expect(issued).toContain('shown only this once')
    expect(issued).toContain('?token=')
    expect(issued).toContain('/webhooks/shipway/sw-main')
    // Changing the account hides the secret: it belongs to the account it was made for.
    fireEvent.change(screen.getByTestId('webhook-secret-account'), { target: { value: 'other' } })
    expect(screen.queryByTestId('webhook-secret-issued')).toBeNull()
  })

  it('words a refusal from main in the clerk language', async () => {
    setup()
    fireEvent.change(screen.getByTestId('webhook-secret-account'), { target: { value: 'bad alias!' } })
    await act(async () => {
      fireEvent.click(screen.getByTestId('webhook-secret-generate'))
    })
    expect(screen.getByText(/A value entered is not accepted/)).toBeTruthy()
    expect(screen.queryByTestId('webhook-secret-issued')).toBeNull()
  })
})
