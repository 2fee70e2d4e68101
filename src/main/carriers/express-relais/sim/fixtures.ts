// Parcels the Express Relais simulator starts with: the demo's Express Relais shipments
// (services/demo.ts), at least as far along as the demo shows, the rest of their path to come.
import type { DeliveryPoint } from '../../../../shared/domain'
import { HOUR } from '../../../platform/clock'

/** The relay point the simulator's counter parcels wait at (the demo desk's own point). */
export const ER_COUNTER_POINT: DeliveryPoint = {
  id: 'ER-CAS-0142',
  name: 'Relais Maarif – Librairie Al Amal',
  address: '27 Rue Ibnou Mounir, Maarif, 20330 Casablanca',
  carrier: 'express-relais',
  type: 'counter'
}

export const ER_FORWARD = [
  'NEW_ORDER',
  'ORDER_CONFIRMED',
  'PARCEL_PICKEDUP',
  'PARCEL_IN_AGENCY',
  'PARCEL_IN_TRANSIT',
  'PARCEL_IN_FINAL_AGENCY',
  'PARCEL_IN_DELIVERY',
  'WAITING_IN_LOCKER',
  'PARCEL_RETRIEVED'
] as const
export const ER_FORWARD_COD = [...ER_FORWARD.slice(0, 8), 'WAITING_COD', 'COD_PAID', 'PARCEL_RETRIEVED'] as const
export const ER_RETURN = ['PARCEL_TO_RETURN', 'RETURN_REQUEST_CONFIRMED', 'PARCEL_RETURNED'] as const

export const ER_LOCKER: DeliveryPoint = {
  id: 'SL-CAS-007',
  name: 'Smart Locker Twin Center',
  address: 'Boulevard Zerktouni, 20100 Casablanca',
  carrier: 'express-relais',
  type: 'locker'
}

export interface ErFixture {
  idParcelClient: string
  recipient: string
  mobile: string
  city: string
  cod: number
  point: DeliveryPoint | null
  ageHours: number
  done: number
  path: readonly string[]
}

export const EXPRESS_RELAIS_FIXTURES: readonly ErFixture[] = [
  {
    idParcelClient: 'ERMA2611240042',
    recipient: 'Yasmine El Idrissi',
    mobile: '212612345678',
    city: 'Casablanca',
    cod: 349,
    point: ER_COUNTER_POINT,
    ageHours: 30,
    done: 8,
    path: ER_FORWARD_COD
  },
  {
    idParcelClient: 'ERMA2611230031',
    recipient: 'Karim Benjelloun',
    mobile: '212661234590',
    city: 'Casablanca',
    cod: 0,
    point: ER_COUNTER_POINT,
    ageHours: 52,
    done: 8,
    path: ER_FORWARD
  },
  {
    idParcelClient: 'ERMA2611270055',
    recipient: 'Salma Tazi',
    mobile: '212700112233',
    city: 'Casablanca',
    cod: 129.9,
    point: ER_COUNTER_POINT,
    ageHours: 10,
    done: 4,
    path: ER_FORWARD_COD
  },
  {
    idParcelClient: 'ERMA2611180012',
    recipient: 'Omar Alaoui',
    mobile: '212655443322',
    city: 'Casablanca',
    cod: 0,
    point: ER_LOCKER,
    ageHours: 24 * 9,
    done: 9,
    path: ER_FORWARD
  },
  {
    idParcelClient: 'ERMA2611260077',
    recipient: 'Nadia Berrada',
    mobile: '212622998877',
    city: 'Casablanca',
    cod: 0,
    point: ER_LOCKER,
    ageHours: 40,
    done: 6,
    path: ER_FORWARD
  },
  {
    idParcelClient: 'ERMA2611100003',
    recipient: 'Hamza Chraibi',
    mobile: '212677665544',
    city: 'Casablanca',
    cod: 0,
    point: ER_COUNTER_POINT,
    ageHours: 24 * 17,
    done: 4,
    path: [...ER_FORWARD.slice(0, 3), ...ER_RETURN]
  },
  {
    idParcelClient: 'ERMA2611250064',
    recipient: 'Imane Fassi',
    mobile: '212633221100',
    city: 'Casablanca',
    cod: 0,
    point: null,
    ageHours: 70,
    done: 3,
    path: ['NEW_ORDER', 'ORDER_CONFIRMED', 'ORDER_REFUSED']
  }
]

export const ER_STEP_GAP_MS = 2 * HOUR

/** Waybill as the demo shows it: assigned once the parcel is picked up. */
export const erWaybill = (id: string) => `WB${id.slice(-8)}`
