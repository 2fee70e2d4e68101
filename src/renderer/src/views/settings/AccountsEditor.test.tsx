import { act, fireEvent, render, screen, within } from '@testing-library/react'
import i18next from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import type { AccountInfo, ConnectionCheck } from '@shared/contract/accounts'
import type { CarrierId } from '@shared/domain'
import { AppContext } from '../../context'
import { initI18n } from '../../i18n'
import { createLookupStore } from '../../stores/lookup'
import { createStatusStore } from '../../stores/status'
import { createUiStore } from '../../stores/ui'
import { fakeApi } from '../../testing/fakeApi'
import { AccountsEditor } from './AccountsEditor'

beforeAll(async () => {
  await initI18n('fr')
})

/** Main's accounts and vault, in memory: save, set secrets, test answering `verdict`. */
function setup(verdict: (carrier: CarrierId) => ConnectionCheck) {
  const accounts: AccountInfo[] = []
  const vault = new Map<string, Record<string, string>>()
  const api = fakeApi({
    'accounts.list': () => ({ ok: true, value: accounts.map((a) => ({ ...a, hasCredentials: vault.has(`${a.carrier}/${a.alias}`) })) }),
    'accounts.save': (input) => {
      const a: AccountInfo = {
        carrier: input.carrier,
        alias: input.alias,
        baseUrl: input.baseUrl,
        enabled: input.enabled ?? true,
        demo: false,
        options: input.options ?? {},
        hasCredentials: vault.has(`${input.carrier}/${input.alias}`),
        supported: true,
        connection: null
      }
      accounts.splice(0, accounts.length, ...accounts.filter((x) => x.alias !== a.alias), a)
      return { ok: true, value: a }
    },
    'credentials.set': (input) => {
      vault.set(`${input.carrier}/${input.account}`, input.secrets)
      return { ok: true, value: { carrier: input.carrier, account: input.account, configured: true, hints: {} } }
    },
    'credentials.status': () => ({
      ok: true,
      value: {
        backend: 'encrypted-file',
        available: true,
        problem: null,
        accounts: [...vault.keys()].map((k) => ({
          carrier: k.split('/')[0] as CarrierId,
          account: k.split('/')[1]!,
          configured: true,
          hints: { api_token: '••••0001' }
        }))
      }
    }),
    'accounts.test': (input) => {
      const check = verdict(input.carrier)
      const a = accounts.find((x) => x.alias === input.alias)
      if (a) a.connection = check
      return { ok: true, value: check }
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
      value={{
        api,
        info,
        settings: { language: 'fr', point: null, sender: null },
        lookup: createLookupStore(api),
        status: createStatusStore(api),
        ui: createUiStore()
      }}
    >
      <AccountsEditor />
    </AppContext.Provider>
  )
  return { api, vault }
}

const at = '2026-12-03T20:00:00.000Z'
const editor = () => screen.getByTestId('accounts-editor')

describe('AccountsEditor (fr)', () => {
  it('Shipway asks for the e-mail and the licence key, as Shipway names them; no raw field name on screen', async () => {
    setup(() => ({ state: 'connected', at, call: 'track' }))
    await act(async () => {})
    fireEvent.change(screen.getByTestId('account-carrier'), { target: { value: 'shipway' } })
    const secrets = within(screen.getByTestId('account-secrets'))
    expect(secrets.getByLabelText('E-mail du compte')).toHaveProperty('type', 'text')
    expect(secrets.getByLabelText('Clé de licence')).toHaveProperty('type', 'password')
    expect(secrets.queryByLabelText('Mot de passe')).toBeNull()
    expect(screen.getByTestId('account-url')).toHaveProperty('value', 'https://app.shipway.com')
    fireEvent.change(screen.getByTestId('account-carrier'), { target: { value: 'ecotrack' } })
    expect(editor().textContent).not.toMatch(/api_token/)
    expect(secrets.getByLabelText('Jeton d’API')).toBeTruthy()
  })

  it('Swiss Post shows its four hosts with their documented defaults', async () => {
    setup(() => ({ state: 'connected', at, call: 'credentials' }))
    await act(async () => {})
    fireEvent.change(screen.getByTestId('account-carrier'), { target: { value: 'swisspost' } })
    const box = screen.getByTestId('account-options-swisspost')
    for (const host of ['tokenUrl', 'barcodeUrl', 'placesUrl', 'userIdUrl']) {
      const input = within(box).getByTestId(`account-${host}`) as HTMLInputElement
      expect(input.placeholder).toMatch(/^https:\/\//)
      expect(box.textContent).toContain(`Par défaut : ${input.placeholder}`)
    }
  })

  it('saves the account and its token, then tests it: "connected", and the list no longer says credentials missing', async () => {
    const { api, vault } = setup(() => ({ state: 'connected', at, call: 'credentials' }))
    await act(async () => {})
    fireEvent.change(screen.getByTestId('account-alias'), { target: { value: 'nord' } })
    fireEvent.change(screen.getByTestId('account-url'), { target: { value: 'https://nord.ecotrack.dz' } })
    fireEvent.change(screen.getByTestId('secret-api_token'), { target: { value: 'tok-0001' } })
    await act(async () => {
      fireEvent.click(screen.getByTestId('account-save'))
    })
    expect(api.calls.map((c) => c.channel).filter((c) => c !== 'accounts.list' && c !== 'credentials.status')).toEqual([
      'accounts.save',
      'credentials.set',
      'accounts.test'
    ])
    expect(vault.get('ecotrack/nord')).toEqual({ api_token: 'tok-0001' })
    const outcome = screen.getByTestId('account-outcome')
    expect(outcome.textContent).toContain('Compte « nord » enregistré.')
    expect(outcome.textContent).toContain('Connecté : ECOTRACK accepte ces identifiants.')
    expect(outcome.textContent).not.toContain('Enregistré.')
    const row = screen.getByTestId('account-row-ecotrack-nord')
    expect(row.textContent).toContain('configuré')
    expect(row.textContent).not.toContain('identifiants manquants')
    expect(row.textContent).toContain('Jeton d’API')
  })

  it('a wrong token: saved, and the carrier’s refusal worded in French (never main’s English)', async () => {
    setup(() => ({ state: 'refused', at, call: 'credentials', error: { code: 'unauthorized', params: { httpStatus: 401 } } }))
    await act(async () => {})
    fireEvent.change(screen.getByTestId('account-url'), { target: { value: 'https://nord.ecotrack.dz' } })
    fireEvent.change(screen.getByTestId('secret-api_token'), { target: { value: 'wrong' } })
    await act(async () => {
      fireEvent.click(screen.getByTestId('account-save'))
    })
    const outcome = screen.getByTestId('account-outcome')
    expect(outcome.textContent).toContain('Compte « default » enregistré.')
    expect(outcome.textContent).toContain('ECOTRACK refuse ces identifiants.')
    expect(outcome.textContent).toContain(i18next.getFixedT('fr')('errors.unauthorized'))
    expect(outcome.textContent).toContain('401')
  })

  it('an offline desk saves all the same and says the connection is not checked', async () => {
    setup(() => ({ state: 'unreachable', at, call: 'credentials', error: { code: 'offline' } }))
    await act(async () => {})
    fireEvent.change(screen.getByTestId('account-url'), { target: { value: 'https://nord.ecotrack.dz' } })
    fireEvent.change(screen.getByTestId('secret-api_token'), { target: { value: 'tok' } })
    await act(async () => {
      fireEvent.click(screen.getByTestId('account-save'))
    })
    expect(screen.getByTestId('account-outcome').textContent).toContain('ECOTRACK injoignable')
    expect(screen.getByTestId('account-row-ecotrack-default').querySelector('[data-state="unreachable"]')).not.toBeNull()
  })
})
