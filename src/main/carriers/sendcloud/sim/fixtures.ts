// Demo and test data for the Sendcloud simulator: service points of several carriers in the
// Netherlands, Belgium and France (shops, lockers, post offices), shaped as v3 ServicePoints.

export interface ScPointFixture {
  id: number
  carrier: 'postnl' | 'dhl' | 'mondial_relay' | 'colissimo' | 'bpost'
  carrierPointId: string
  name: string
  generalShopType: 'servicepoint' | 'locker' | 'post_office'
  street: string
  houseNumber: string
  postalCode: string
  city: string
  country: string
  lat: number
  lon: number
  /** Monday first; null closed. */
  hours: Array<[string, string] | null>
  /** Not accepting parcels right now (full, closed for works): check-availability says false. */
  unavailable?: boolean
}

const SHOP: ScPointFixture['hours'] = [
  ['09:00', '18:00'],
  ['09:00', '18:00'],
  ['09:00', '18:00'],
  ['09:00', '18:00'],
  ['09:00', '21:00'],
  ['10:00', '17:00'],
  null
]
const ALWAYS: ScPointFixture['hours'] = Array.from({ length: 7 }, () => ['00:00', '23:59'] as [string, string])
const OFFICE: ScPointFixture['hours'] = [
  ['08:30', '17:30'],
  ['08:30', '17:30'],
  ['08:30', '17:30'],
  ['08:30', '17:30'],
  ['08:30', '17:30'],
  ['09:00', '12:00'],
  null
]
const WEEKDAYS_ONLY: ScPointFixture['hours'] = [
  ['09:00', '17:00'],
  ['09:00', '17:00'],
  ['09:00', '17:00'],
  ['09:00', '17:00'],
  ['09:00', '17:00'],
  null,
  null
]

export const SC_POINTS: readonly ScPointFixture[] = [
  {
    id: 10001,
    carrier: 'postnl',
    carrierPointId: '217165',
    name: 'Primera Stadhuisplein',
    generalShopType: 'servicepoint',
    street: 'Stadhuisplein',
    houseNumber: '10',
    postalCode: '5611 EM',
    city: 'Eindhoven',
    country: 'NL',
    lat: 51.4393,
    lon: 5.4779,
    hours: SHOP
  },
  {
    id: 10002,
    carrier: 'postnl',
    carrierPointId: 'PL-5611-01',
    name: 'PostNL Pakketautomaat Station',
    generalShopType: 'locker',
    street: 'Stationsplein',
    houseNumber: '17',
    postalCode: '5611 AC',
    city: 'Eindhoven',
    country: 'NL',
    lat: 51.4431,
    lon: 5.4797,
    hours: ALWAYS
  },
  {
    id: 10003,
    carrier: 'dhl',
    carrierPointId: 'NL-561101',
    name: 'DHL ServicePoint Albert Heijn',
    generalShopType: 'servicepoint',
    street: 'Vestdijk',
    houseNumber: '25',
    postalCode: '5611 CA',
    city: 'Eindhoven',
    country: 'NL',
    lat: 51.4392,
    lon: 5.4823,
    hours: SHOP
  },
  {
    id: 10004,
    carrier: 'dhl',
    carrierPointId: 'NL-561190',
    name: 'DHL Parcelstation Centrum',
    generalShopType: 'locker',
    street: 'Kleine Berg',
    houseNumber: '2',
    postalCode: '5611 JS',
    city: 'Eindhoven',
    country: 'NL',
    lat: 51.4362,
    lon: 5.4766,
    hours: ALWAYS,
    unavailable: true
  },
  {
    id: 10005,
    carrier: 'postnl',
    carrierPointId: '203144',
    name: 'Bruna Kalverstraat',
    generalShopType: 'servicepoint',
    street: 'Kalverstraat',
    houseNumber: '88',
    postalCode: '1012 PH',
    city: 'Amsterdam',
    country: 'NL',
    lat: 52.3702,
    lon: 4.8912,
    hours: SHOP
  },
  {
    id: 20001,
    carrier: 'mondial_relay',
    carrierPointId: '020817',
    name: 'Relais Tabac du Marché',
    generalShopType: 'servicepoint',
    street: 'Rue de Bretagne',
    houseNumber: '39',
    postalCode: '75003',
    city: 'Paris',
    country: 'FR',
    lat: 48.8634,
    lon: 2.3622,
    hours: WEEKDAYS_ONLY
  },
  {
    id: 20002,
    carrier: 'mondial_relay',
    carrierPointId: '073512',
    name: 'Locker Mondial Relay République',
    generalShopType: 'locker',
    street: 'Place de la République',
    houseNumber: '5',
    postalCode: '75003',
    city: 'Paris',
    country: 'FR',
    lat: 48.8674,
    lon: 2.3636,
    hours: ALWAYS
  },
  {
    id: 20003,
    carrier: 'colissimo',
    carrierPointId: '751030',
    name: 'La Poste Paris Archives',
    generalShopType: 'post_office',
    street: 'Rue des Archives',
    houseNumber: '67',
    postalCode: '75003',
    city: 'Paris',
    country: 'FR',
    lat: 48.8628,
    lon: 2.3596,
    hours: OFFICE
  },
  {
    id: 30001,
    carrier: 'bpost',
    carrierPointId: '1000-BX',
    name: 'bpost Bruxelles De Brouckère',
    generalShopType: 'post_office',
    street: 'Boulevard Anspach',
    houseNumber: '1',
    postalCode: '1000',
    city: 'Bruxelles',
    country: 'BE',
    lat: 50.8513,
    lon: 4.3527,
    hours: OFFICE
  }
]

/** Places the simulator can geocode (postal code or town), [lat, lon]. */
export const SC_PLACES: ReadonlyArray<{ country: string; postalCode: string; city: string; lat: number; lon: number }> = [
  { country: 'NL', postalCode: '5611', city: 'Eindhoven', lat: 51.4408, lon: 5.4778 },
  { country: 'NL', postalCode: '1012', city: 'Amsterdam', lat: 52.3731, lon: 4.8922 },
  { country: 'FR', postalCode: '75003', city: 'Paris', lat: 48.8637, lon: 2.3615 },
  { country: 'BE', postalCode: '1000', city: 'Bruxelles', lat: 50.8503, lon: 4.3517 }
]

export const SC_CARRIER_NAMES: Record<ScPointFixture['carrier'], string> = {
  postnl: 'PostNL',
  dhl: 'DHL',
  mondial_relay: 'Mondial Relay',
  colissimo: 'Colissimo',
  bpost: 'bpost'
}

/** Shipping methods that deliver to a service point, by carrier. */
export const SC_METHODS: ReadonlyArray<{ id: number; name: string; carrier: string; servicePoint: boolean }> = [
  { id: 8, name: 'Unstamped letter', carrier: 'sendcloud', servicePoint: false },
  { id: 1318, name: 'PostNL Service Point 0-23kg', carrier: 'postnl', servicePoint: true },
  { id: 1442, name: 'DHL ServicePoint 0-20kg', carrier: 'dhl', servicePoint: true },
  { id: 2061, name: 'Mondial Relay Point Relais 0-30kg', carrier: 'mondial_relay', servicePoint: true },
  { id: 3105, name: 'bpost @bpost 0-30kg', carrier: 'bpost', servicePoint: true }
]

/** Parcel status messages as the contract note lists them (§3.7), for the sim's own answers. */
export const SC_STATUS_MESSAGES: ReadonlyMap<number, string> = new Map([
  [1, 'Announced'],
  [3, 'En route to sorting center'],
  [4, 'Delivery delayed'],
  [5, 'Sorted'],
  [6, 'Not sorted'],
  [7, 'Being sorted'],
  [8, 'Delivery attempt failed'],
  [11, 'Delivered'],
  [12, 'Awaiting customer pickup'],
  [13, 'Announced: not collected'],
  [15, 'Error collecting'],
  [22, 'Shipment picked up by driver'],
  [80, 'Unable to deliver'],
  [91, 'Parcel en route'],
  [92, 'Driver en route'],
  [93, 'Shipment collected by customer'],
  [999, 'No label'],
  [1000, 'Ready to send'],
  [1001, 'Being announced'],
  [1002, 'Announcement failed'],
  [1337, 'Unknown status - check carrier track & trace page for more insights'],
  [1998, 'Cancelled upstream'],
  [1999, 'Cancellation requested'],
  [2000, 'Cancelled'],
  [2001, 'Submitting cancellation request'],
  [62989, 'At Customs'],
  [62991, 'Refused by recipient'],
  [62992, 'Returned to sender'],
  [62993, 'Delivery method changed'],
  [62994, 'Delivery date changed'],
  [62995, 'Delivery address changed'],
  [62996, 'Exception'],
  [62997, 'Address invalid']
])
