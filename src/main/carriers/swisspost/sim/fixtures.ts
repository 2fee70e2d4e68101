// Demo and test data for the Swiss Post simulator: real-looking points around Zürich, Bern,
// Genève and Lausanne (PickPost counters, post offices, My Post 24 lockers) and customers with
// each customer status of seed 004.
import type { CustomerStatus } from '../../../../shared/points'

export interface SpPoiFixture {
  id: string
  /** T1 partner counter (PickPost), T6 My Post 24 terminal, T9 staffed branch (PickPost). */
  typeTag: 'T1' | 'T6' | 'T9'
  name: string
  street: string
  zip: string
  city: string
  kanton: string
  lat: number
  lon: number
  /** Weekly hours, Monday first; null closed. A locker is open round the clock. */
  hours: Array<[string, string] | null>
}

const WEEKDAY_OFFICE: SpPoiFixture['hours'] = [
  ['07:30', '18:30'],
  ['07:30', '18:30'],
  ['07:30', '18:30'],
  ['07:30', '18:30'],
  ['07:30', '18:30'],
  ['08:00', '16:00'],
  null
]
const ALWAYS: SpPoiFixture['hours'] = Array.from({ length: 7 }, () => ['00:00', '24:00'] as [string, string])
const SHOP: SpPoiFixture['hours'] = [
  ['09:00', '19:00'],
  ['09:00', '19:00'],
  ['09:00', '19:00'],
  ['09:00', '19:00'],
  ['09:00', '20:00'],
  ['09:00', '17:00'],
  null
]

export const SP_POIS: readonly SpPoiFixture[] = [
  {
    id: '8004-SIHLPOST',
    typeTag: 'T9',
    name: 'Zürich Sihlpost',
    street: 'Kasernenstrasse 97',
    zip: '8004',
    city: 'Zürich',
    kanton: 'ZH',
    lat: 47.3776,
    lon: 8.5326,
    hours: WEEKDAY_OFFICE
  },
  {
    id: '8004-MP24-HB',
    typeTag: 'T6',
    name: 'My Post 24 Zürich Sihlpost',
    street: 'Kasernenstrasse 95',
    zip: '8004',
    city: 'Zürich',
    kanton: 'ZH',
    lat: 47.3779,
    lon: 8.5321,
    hours: ALWAYS
  },
  {
    id: '8004-AG-LANGSTR',
    typeTag: 'T1',
    name: 'Filiale mit Partner Langstrasse',
    street: 'Langstrasse 120',
    zip: '8004',
    city: 'Zürich',
    kanton: 'ZH',
    lat: 47.3782,
    lon: 8.5268,
    hours: SHOP
  },
  {
    id: '8005-MP24-HARDBR',
    typeTag: 'T6',
    name: 'My Post 24 Zürich Hardbrücke',
    street: 'Hardstrasse 219',
    zip: '8005',
    city: 'Zürich',
    kanton: 'ZH',
    lat: 47.3852,
    lon: 8.5172,
    hours: ALWAYS
  },
  {
    id: '8001-FRAUMUENSTER',
    typeTag: 'T9',
    name: 'Zürich Fraumünster',
    street: 'Kappelergasse 1',
    zip: '8001',
    city: 'Zürich',
    kanton: 'ZH',
    lat: 47.3696,
    lon: 8.5413,
    hours: WEEKDAY_OFFICE
  },
  {
    id: '3011-BERN-BOLLWERK',
    typeTag: 'T9',
    name: 'Bern Bollwerk',
    street: 'Bollwerk 25',
    zip: '3011',
    city: 'Bern',
    kanton: 'BE',
    lat: 46.9495,
    lon: 7.4392,
    hours: WEEKDAY_OFFICE
  },
  {
    id: '3011-MP24-BAHNHOF',
    typeTag: 'T6',
    name: 'My Post 24 Bern Bahnhof',
    street: 'Bahnhofplatz 10',
    zip: '3011',
    city: 'Bern',
    kanton: 'BE',
    lat: 46.9488,
    lon: 7.4398,
    hours: ALWAYS
  },
  {
    id: '1204-GE-MONTBLANC',
    typeTag: 'T9',
    name: 'Genève Mont-Blanc',
    street: 'Rue du Mont-Blanc 18',
    zip: '1201',
    city: 'Genève',
    kanton: 'GE',
    lat: 46.2087,
    lon: 6.1442,
    hours: WEEKDAY_OFFICE
  },
  {
    id: '1204-MP24-CORNAVIN',
    typeTag: 'T6',
    name: 'My Post 24 Genève Cornavin',
    street: 'Place de Cornavin 7',
    zip: '1201',
    city: 'Genève',
    kanton: 'GE',
    lat: 46.2096,
    lon: 6.1424,
    hours: ALWAYS
  },
  {
    id: '1003-LS-STFRANCOIS',
    typeTag: 'T9',
    name: 'Lausanne St-François',
    street: 'Place Saint-François 15',
    zip: '1003',
    city: 'Lausanne',
    kanton: 'VD',
    lat: 46.5196,
    lon: 6.6335,
    hours: WEEKDAY_OFFICE
  }
]

/** Places the geocoder knows: postal codes and towns, centre [lon, lat] as places.post.ch gives it. */
export const SP_PLACES: ReadonlyArray<{ id: string; name: string; zip: string; pt: [number, number] }> = [
  { id: 'city-8004', name: 'Zürich', zip: '8004', pt: [8.5297, 47.3778] },
  { id: 'city-8005', name: 'Zürich', zip: '8005', pt: [8.5186, 47.3869] },
  { id: 'city-8001', name: 'Zürich', zip: '8001', pt: [8.5417, 47.3717] },
  { id: 'city-3011', name: 'Bern', zip: '3011', pt: [7.4446, 46.948] },
  { id: 'city-1201', name: 'Genève', zip: '1201', pt: [6.1432, 46.2092] },
  { id: 'city-1204', name: 'Genève', zip: '1204', pt: [6.1466, 46.2017] },
  { id: 'city-1003', name: 'Lausanne', zip: '1003', pt: [6.6323, 46.5197] }
]

export interface SpCustomerFixture {
  email: string
  firstName: string
  lastName: string
  status: CustomerStatus
}

/** Known PickPost / My Post 24 customers; anyone else is registered on the fly with status NONE (seed 004). */
export const SP_CUSTOMERS: readonly SpCustomerFixture[] = [
  { email: 'zoe.muller@example.ch', firstName: 'Zoë', lastName: 'Müller', status: 'SUISSE-ID' },
  { email: 'luca.rossi@example.ch', firstName: 'Luca', lastName: 'Rossi', status: 'MAIL' },
  { email: 'anna.keller@example.ch', firstName: 'Anna', lastName: 'Keller', status: 'REGISTRED_MAIL' },
  { email: 'marc.dubois@example.ch', firstName: 'Marc', lastName: 'Dubois', status: 'NONE' }
]

/** A franking licence the simulator accepts. */
export const SP_FRANKING_LICENSE = '60033190'
