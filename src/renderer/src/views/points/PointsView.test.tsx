import { act, fireEvent, render, screen } from '@testing-library/react'
import i18next from 'i18next'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { PointSearchResult, UserIdLookupResult } from '@shared/contract/points'
import { emptyOpeningTimes, type PickupPoint } from '@shared/points'
import { AppContext } from '../../context'
import { initI18n } from '../../i18n'
import { createLookupStore } from '../../stores/lookup'
import { createStatusStore } from '../../stores/status'
import { createUiStore } from '../../stores/ui'
import { fakeApi } from '../../testing/fakeApi'
import { distance, PointsView } from './PointsView'

beforeAll(async () => {
  await initI18n('en')
})
afterEach(async () => {
  await i18next.changeLanguage('en')
})

const times = emptyOpeningTimes()
times.monday.push({ from: '07:30', to: '18:30' })
const point = (id: string, type: PickupPoint['type'], name: string, distanceM: number): PickupPoint & { key: string } => ({
  key: `swisspost:demo:${id}`,
  id,
  carrier: 'swisspost',
  account: 'demo',
  name,
  type,
  street: 'Kasernenstrasse',
  houseNo: '97',
  zip: '8004',
  city: 'Zürich',
  country: 'CH',
  lat: 47.37,
  lon: 8.53,
  openingTimes: times,
  openTomorrow: false,
  openThisWeek: true,
  distanceM,
  services: type === 'locker' ? ['My Post 24'] : ['PickPost']
})

const cached: PointSearchResult = {
  source: 'cache',
  cachedAt: '2026-11-27T09:00:00.000Z',
  errors: [{ carrier: 'swisspost', account: 'demo', code: 'offline', message: 'Swiss Post unreachable' }],
  points: [
    point('8004-MP24-HB', 'locker', 'My Post 24 Zürich Sihlpost', 181),
    point('8004-SIHLPOST', 'post_office', 'Zürich Sihlpost', 219)
  ]
}
const none: UserIdLookupResult = {
  userId: '40015838',
  customerStatus: 'NONE',
  verified: false,
  newlyRegistered: true,
  keyword: 'My Post 24',
  warning: 'not verified'
}

function setup(online: boolean, found: PointSearchResult = cached) {
  const api = fakeApi({
    'points.search': () => ({ ok: true, value: found }),
    'swisspost.userId': () => ({ ok: true, value: none }),
    'accounts.list': () => ({
      ok: true,
      value: [
        {
          carrier: 'sendcloud',
          alias: 'demo',
          baseUrl: 'http://127.0.0.1',
          enabled: true,
          demo: true,
          hasCredentials: true,
          connection: null,
          supported: true,
          options: { shippingMethodId: 8, shippingMethods: '8:PostNL Standard 0-23kg, 1343:DPD Home' }
        }
      ]
    }),
    'shipments.createToPoint': () => ({
      ok: true,
      value: {
        shipmentId: 9,
        trackingNumber: '3SYZXG132912330',
        carrier: 'sendcloud',
        keyword: null,
        userId: null,
        customerStatus: null,
        name2: null,
        warnings: []
      }
    })
  })
  const status = createStatusStore(api)
  status.setState({ connectivity: { online, lastGoodSyncAt: null } as never })
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
        lookup: createLookupStore(api),
        status,
        ui: createUiStore()
      }}
    >
      <PointsView />
    </AppContext.Provider>
  )
  return { api }
}

async function search(text: string) {
  fireEvent.change(screen.getByTestId('points-place'), { target: { value: text } })
  await act(async () => {
    fireEvent.submit(screen.getByTestId('points-place').closest('form')!)
  })
}

describe('PointsView', () => {
  it('offline: the list alone from the cache (no map), with when it was saved and which carrier failed', async () => {
    const { api } = setup(false)
    await search('8004')
    expect(api.calls[0]).toEqual({ channel: 'points.search', input: { country: 'CH', postalCode: '8004' } })
    expect(screen.queryByTestId('points-map')).toBeNull()
    expect(screen.getByTestId('points-cache').textContent).toMatch(/Offline/)
    expect(screen.getByTestId('points-carrier-errors').textContent).toContain('Offline: try again when the network is back.')
    expect(screen.getByTestId('points-carrier-errors').textContent).not.toContain('Swiss Post unreachable')
    const items = screen.getAllByTestId('point-item')
    expect(items.map((b) => b.getAttribute('data-key'))).toEqual(['swisspost:demo:8004-MP24-HB', 'swisspost:demo:8004-SIHLPOST'])
    expect(items[0]!.getAttribute('aria-pressed')).toBe('true')
    expect(items[0]!.textContent).toContain('181 m')
    expect(items[0]!.textContent).toContain('Tomorrow: closed')
  })

  it('a town searches by city; picking another point shows its hours; list items are buttons (keyboard)', async () => {
    const { api } = setup(false)
    await search('Zürich')
    expect(api.calls[0]!.input).toEqual({ country: 'CH', city: 'Zürich' })
    const second = screen.getAllByTestId('point-item')[1]!
    expect(second.tagName).toBe('BUTTON')
    fireEvent.click(second)
    expect(second.getAttribute('aria-pressed')).toBe('true')
    expect(screen.getByTestId('point-detail').textContent).toContain('07:30–18:30')
  })

  it('a My Post 24 locker for a customer with status NONE shows the warning and the Name2 to be printed', async () => {
    setup(false)
    await search('8004')
    for (const [k, v] of Object.entries({
      orderReference: 'WEB-1',
      firstName: 'Marc',
      lastName: 'Dubois',
      email: 'marc@example.ch',
      zip: '1204',
      city: 'Genève'
    })) {
      fireEvent.change(screen.getByTestId(`to-point-${k}`), { target: { value: v } })
    }
    await act(async () => {
      fireEvent.click(screen.getByTestId('lookup-user-id'))
    })
    expect(screen.getByTestId('name2-preview').textContent).toBe('My Post 24 40015838')
    expect(screen.getByTestId('locker-warning').textContent).toMatch(/not verified/)
  })
})

describe('distance', () => {
  it('is written the way each language writes numbers', () => {
    expect(distance(1300, 'fr')).toMatch(/^1,3\s?km$/)
    expect(distance(1300, 'de')).toMatch(/^1,3\s?km$/)
    expect(distance(1300, 'en')).toBe('1.3 km')
    expect(distance(181, 'fr')).toMatch(/^181\s?m$/)
  })

  it('offline: says the map is unavailable and that the list still works', async () => {
    setup(false)
    await search('8004')
    expect(screen.getByTestId('points-map-unavailable').textContent).toMatch(/Map unavailable.*list below still works/)
  })

  it('online: no such note while the map can load', async () => {
    setup(true)
    await search('8004')
    expect(screen.queryByTestId('points-map-unavailable')).toBeNull()
  })

  it('a Moroccan point in French: no Swiss word (NPA) on the form or the search; a Swiss point keeps them', async () => {
    await i18next.changeLanguage('fr')
    const casa = {
      ...point('MA-CASA-07', 'counter', 'Relais Maârif', 300),
      carrier: 'sendcloud' as const,
      country: 'MA',
      zip: '20330',
      city: 'Casablanca'
    }
    setup(false, { ...cached, points: [{ ...casa, key: 'sendcloud:demo:MA-CASA-07' }] })
    fireEvent.change(screen.getByTestId('points-country'), { target: { value: 'MA' } })
    expect(screen.getByTestId('points-place').closest('label')!.textContent).not.toMatch(/NPA/)
    expect(screen.getByTestId('points-place').getAttribute('placeholder')).toMatch(/Casablanca/)
    await search('20330')
    const form = screen.getByTestId('to-point-form').textContent!
    expect(form).toContain('Code postal')
    expect(form).not.toMatch(/NPA|Strasse|canton/i)
  })

  it('a Swiss point in French keeps the Swiss words', async () => {
    await i18next.changeLanguage('fr')
    setup(false)
    await search('1204')
    expect(screen.getByTestId('points-place').closest('label')!.textContent).toMatch(/NPA/)
    expect(screen.getByTestId('to-point-form').textContent).toContain('NPA')
  })

  it('Sendcloud: the clerk sees the account’s method and can choose another; the choice goes with the create', async () => {
    const nl = {
      ...point('10875', 'counter', 'Primera Eindhoven', 400),
      carrier: 'sendcloud' as const,
      country: 'NL',
      key: 'sendcloud:demo:10875'
    }
    const { api } = setup(false, { ...cached, points: [nl] })
    await search('5611')
    const select = (await screen.findByTestId('to-point-shipping-method')) as HTMLSelectElement
    await screen.findByText('DPD Home (1343)')
    expect(select.options[0]!.textContent).toBe('The account’s method (no. 8)')
    fireEvent.change(select, { target: { value: '1343' } })
    for (const [k, v] of Object.entries({
      orderReference: 'WEB-9',
      firstName: 'Anna',
      lastName: 'de Vries',
      email: 'anna@example.nl',
      zip: '5611 AC',
      city: 'Eindhoven'
    }))
      fireEvent.change(screen.getByTestId(`to-point-${k}`), { target: { value: v } })
    await act(async () => {
      fireEvent.submit(screen.getByTestId('to-point-form'))
    })
    const create = api.calls.find((c) => c.channel === 'shipments.createToPoint')!
    expect(create.input).toMatchObject({ pointKey: 'sendcloud:demo:10875', shippingMethodId: 1343 })
    // "Another method": a typed number; nothing typed sends none (the account's default applies).
    fireEvent.change(select, { target: { value: 'other' } })
    fireEvent.change(screen.getByTestId('to-point-shipping-method-id'), { target: { value: '2001' } })
    expect((screen.getByTestId('to-point-shipping-method-id') as HTMLInputElement).value).toBe('2001')
  })
})
