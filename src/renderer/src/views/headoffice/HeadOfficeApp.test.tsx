import { act, fireEvent, render, screen, within } from '@testing-library/react'
import { beforeAll, describe, expect, it } from 'vitest'
import type { OfficeNetwork, OfficePointStock } from '@shared/hub/office'
import type { OfficeApi, OfficeFailure, OfficeResult } from '../../api/office'
import { initI18n } from '../../i18n'
import en from '../../i18n/locales/en.json'
import fr from '../../i18n/locales/fr.json'
import ar from '../../i18n/locales/ar.json'
import de from '../../i18n/locales/de.json'
import { createHeadOfficeStore } from '../../stores/headoffice'
import { HeadOfficeApp } from './HeadOfficeApp'

beforeAll(async () => {
  await initI18n('en')
})

const AT = Date.parse('2026-11-27T09:00:00Z')
const network: OfficeNetwork = {
  at: AT,
  points: [
    { pointId: 'P1', onShelf: 3, expiringByTomorrow: 1, toReturn: 0, handedOver: 2, lastStepAt: AT - 60_000 },
    { pointId: 'P2', onShelf: 0, expiringByTomorrow: 0, toReturn: 1, handedOver: 0, lastStepAt: null }
  ],
  writes: [{ deskId: 'd1', deskName: 'Point 1', kind: 'remark', state: 'failed', count: 2, errorCode: 'carrier_refused', oldestAt: AT }],
  accounts: [
    { account: 'ecotrack/main', holderId: 'd1', holderName: 'Point 1', live: true, renewedAt: AT, remaining: 40, resetsAt: null, calls: 3 }
  ],
  desks: [{ id: 'd1', name: 'Point 1', role: 'point', pointId: 'P1', lastSeq: 12, lastSeenAt: AT, revoked: false }]
}
const stock: OfficePointStock = {
  pointId: 'P1',
  parcels: [{ trackingKey: 'ECQ123', state: 'on_shelf', at: AT - 3600_000, expiresAt: AT + 3600_000 }],
  more: false
}

const ok = <T,>(value: T): Promise<OfficeResult<T>> => Promise.resolve({ ok: true, value })
const no = (refusal: OfficeFailure): Promise<OfficeResult<never>> => Promise.resolve({ ok: false, refusal })

function fakeOffice(over: Partial<OfficeApi> = {}): OfficeApi & { calls: string[] } {
  const calls: string[] = []
  const api: OfficeApi = {
    info: () => ok({ name: 'Guichet', mode: 'hub', version: '1.0.0', user: null }),
    login: (name, password) =>
      password === 'right password' ? ok({ user: { name, role: 'viewer' } }) : no({ refused: 'office.bad_login' }),
    logout: () => ok({ signedOut: true }),
    network: () => ok(network),
    pointStock: (id) => (calls.push(`stock ${id}`), ok({ ...stock, pointId: id })),
    createEnrolmentCode: () => ok({ code: 'ABCD-EFGH' }),
    revokeDesk: () => ok({ revoked: true }),
    ...over
  }
  return Object.assign(api, { calls })
}

const info = { name: 'Guichet', mode: 'hub', version: '1.0.0', user: null } as const

describe('head office', () => {
  it('asks for a name and password, words a refusal, then shows every point’s stock in a table with headers', async () => {
    const api = fakeOffice()
    const store = createHeadOfficeStore(api, null)
    render(<HeadOfficeApp store={store} info={info} />)
    fireEvent.change(screen.getByTestId('office-login-name'), { target: { value: 'chef' } })
    fireEvent.change(screen.getByTestId('office-login-password'), { target: { value: 'wrong one' } })
    await act(async () => fireEvent.click(screen.getByTestId('office-login-submit')))
    expect(screen.getByTestId('office-login-error').textContent).toBe('Wrong user name or password.')
    fireEvent.change(screen.getByTestId('office-login-password'), { target: { value: 'right password' } })
    await act(async () => fireEvent.click(screen.getByTestId('office-login-submit')))
    const table = await screen.findByTestId('office-points-table')
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent)
    ).toEqual(['Point', 'On the shelf', 'Expire by tomorrow', 'To return', 'Handed over', 'Last step'])
    const row = table.querySelector('tr[data-point="P1"]')!
    expect(row.querySelector('[data-col="onShelf"]')!.textContent).toBe('3')
    expect(row.querySelector('[data-col="expiring"]')!.textContent).toBe('1')
    // A point's row opens its stock.
    await act(async () => fireEvent.click(row))
    expect(api.calls).toContain('stock P1')
    expect(within(await screen.findByTestId('office-stock-table')).getByText('ECQ123')).toBeTruthy()
    expect(screen.getByText('on the shelf')).toBeTruthy()
  })

  it('returns to the login screen when the hub says the session ended', async () => {
    const api = fakeOffice({ network: () => no({ refused: 'office.signed_out' }) })
    const store = createHeadOfficeStore(api, { name: 'chef', role: 'admin' })
    render(<HeadOfficeApp store={store} info={info} />)
    expect(await screen.findByTestId('office-login')).toBeTruthy()
    expect(store.getState().user).toBeNull()
  })

  it('says how long a throttled login must wait, and that the hub is unreachable', async () => {
    const store = createHeadOfficeStore(fakeOffice({ login: () => no({ refused: 'office.throttled', retryAfterMs: 150_000 }) }), null)
    render(<HeadOfficeApp store={store} info={info} />)
    await act(async () => void (await store.getState().login('chef', 'x')))
    expect(screen.getByTestId('office-login-error').textContent).toBe('Too many failed attempts: try again in 3 min.')
    const down = createHeadOfficeStore(fakeOffice({ network: () => no({ refused: 'office.unreachable' }) }), {
      name: 'chef',
      role: 'viewer'
    })
    await down.getState().refresh()
    expect(down.getState().error).toEqual({ refused: 'office.unreachable' })
    expect(down.getState().user).not.toBeNull()
  })

  it('offers revocation and enrolment codes to an admin only', async () => {
    const viewer = createHeadOfficeStore(fakeOffice(), { name: 'v', role: 'viewer' })
    const { unmount } = render(<HeadOfficeApp store={viewer} info={info} />)
    await act(async () => fireEvent.click(screen.getByTestId('office-nav-desks')))
    expect(await screen.findByTestId('office-desks')).toBeTruthy()
    expect(screen.queryByText('Revoke')).toBeNull()
    expect(screen.queryByText('Make an enrolment code')).toBeNull()
    unmount()
    const admin = createHeadOfficeStore(fakeOffice(), { name: 'a', role: 'admin' })
    render(<HeadOfficeApp store={admin} info={info} />)
    await act(async () => fireEvent.click(screen.getByTestId('office-nav-desks')))
    fireEvent.change(screen.getByLabelText('Point id'), { target: { value: 'P9' } })
    await act(async () => fireEvent.click(screen.getByText('Make an enrolment code')))
    expect(screen.getByTestId('office-enrol-code').textContent).toBe('ABCD-EFGH')
  })
})

describe('head office words', () => {
  const keys = (o: Record<string, unknown>, p = ''): string[] =>
    Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v as Record<string, unknown>, `${p}${k}.`) : [`${p}${k}`]))
  const flat = (o: Record<string, unknown>, p = ''): Record<string, string> =>
    Object.fromEntries(
      Object.entries(o).flatMap(([k, v]) =>
        v && typeof v === 'object' ? Object.entries(flat(v as Record<string, unknown>, `${p}${k}.`)) : [[`${p}${k}`, String(v)]]
      )
    )
  it('has every key in the four languages, and no English sentence left in fr, ar or de', () => {
    const ref = keys(en.office).sort()
    const english = flat(en.office)
    // Words French shares with English, as the desk's own nav does ("Points").
    const cognates = new Set(['Point', 'Points', 'Hub'])
    for (const l of [fr, ar, de]) {
      expect(keys(l.office).sort()).toEqual(ref)
      const words = flat(l.office)
      const same = Object.keys(english).filter(
        (k) => english[k] === words[k] && !cognates.has(english[k]!) && /[a-z]{4,}/.test(english[k]!.replace(/\{\{\w+\}\}/g, ''))
      )
      expect(same).toEqual([])
    }
  })
})
