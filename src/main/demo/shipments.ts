import type { Database } from 'better-sqlite3'
import { ER_COUNTER_POINT } from '../carriers/express-relais/sim/fixtures'
import type { CarrierId, DeliveryPoint, EventKind, UnifiedStatus } from '../../shared/domain'
import type { IncomingEvent, NewShipment, ShipmentRepository } from '../core/shipments/shipments.repo'
import { DAY, HOUR } from '../platform/clock'
import { trackingKey } from '../../shared/scan'
import { swissPostDemoData } from './swisspost-parcels'

/** Three tracking numbers a newcomer can type or scan at once (listed in the README). */
export const DEMO_TRACKING = {
  ecotrack: 'ECQFLD2611240017',
  expressRelais: 'ERMA2611240042',
  swissPost: '996012345600004211'
} as const

/** The counter a demo desk plays: an Express Relais point in Casablanca. */
/** This desk's own relay point in the demo: the Express Relais simulator's counter point. */
export const DEMO_POINT: DeliveryPoint = ER_COUNTER_POINT

type Step = [native: string, label: string, unified: UnifiedStatus, kind: EventKind, location?: string]

// Each carrier's usual path, in its own words. The demo takes a prefix of a path per shipment.
const PATHS: Record<CarrierId, Step[]> = {
  'express-relais': [
    ['NEW_ORDER', 'Initial status at order creation', 'packaging', 'status', 'Casablanca'],
    ['ORDER_CONFIRMED', 'Order Confirmed', 'ready_to_ship', 'status', 'Casablanca'],
    ['PARCEL_PICKEDUP', 'Parcel picked up', 'shipped', 'status', 'Entrepôt Aïn Sebaâ'],
    ['PARCEL_IN_AGENCY', 'The package arrived at the regional agency', 'shipping_in_progress', 'status', 'Agence Casablanca Centre'],
    ['PARCEL_IN_TRANSIT', 'Parcel in transit', 'shipping_in_progress', 'status', 'Casablanca'],
    ['PARCEL_IN_FINAL_AGENCY', 'Parcel has arrived at the final agency', 'shipping_in_progress', 'status', 'Agence Maarif'],
    [
      'PARCEL_IN_DELIVERY',
      'The parcel is delivered to the locker or destination address',
      'shipping_in_progress',
      'out_for_delivery',
      'Maarif'
    ],
    [
      'WAITING_IN_LOCKER',
      'The package waiting for pickup from the automated locker',
      'shipping_in_progress',
      'waiting_at_point',
      'Relais Maarif'
    ],
    ['PARCEL_RETRIEVED', 'Parcel received from Smartlocker', 'delivered', 'status', 'Relais Maarif']
  ],
  ecotrack: [
    ['order_information_received_by_carrier', 'Commande reçue par le transporteur', 'packaging', 'status'],
    ['picked', 'Colis ramassé', 'shipped', 'status', 'Alger'],
    ['accepted_by_carrier', 'Reçu au hub', 'shipping_in_progress', 'status', 'HUB Alger'],
    ['dispatched_to_driver', 'Confié au livreur', 'shipping_in_progress', 'out_for_delivery', 'Station Bab Ezzouar'],
    ['attempt_delivery', 'Tentative de livraison', 'shipping_in_progress', 'status', 'Bab Ezzouar'],
    ['livred', 'Livré', 'delivered', 'status', 'Bab Ezzouar'],
    ['encaissed', 'Encaissé', 'delivered', 'status', 'Station Bab Ezzouar']
  ],
  shiprocket: [
    ['NEW', 'Order created', 'packaging', 'status', 'Bengaluru'],
    ['AWB ASSIGNED', 'AWB assigned', 'ready_to_ship', 'status', 'Bengaluru'],
    ['PICKED UP', 'Shipment picked up', 'shipped', 'status', 'Bengaluru'],
    ['IN TRANSIT', 'In transit', 'shipping_in_progress', 'status', 'Hyderabad hub'],
    ['OUT FOR DELIVERY', 'Out for delivery', 'shipping_in_progress', 'out_for_delivery', 'Chennai'],
    ['DELIVERED', 'Delivered', 'delivered', 'status', 'Chennai']
  ],
  clickpost: [
    ['1', 'Order Placed', 'packaging', 'status', 'Mumbai'],
    ['2', 'Pickup Pending', 'ready_to_ship', 'status', 'Mumbai'],
    ['4', 'Picked Up', 'shipped', 'status', 'Mumbai'],
    ['5', 'InTransit', 'shipping_in_progress', 'status', 'Pune'],
    ['6', 'Out For Delivery', 'shipping_in_progress', 'out_for_delivery', 'Pune'],
    ['8', 'Delivered', 'delivered', 'status', 'Pune']
  ],
  shipway: [
    ['INT', 'In transit', 'shipping_in_progress', 'status', 'Delhi'],
    ['OOD', 'Out for delivery', 'shipping_in_progress', 'out_for_delivery', 'Jaipur'],
    ['DEL', 'Delivered', 'delivered', 'status', 'Jaipur']
  ],
  sendcloud: [
    ['1000', 'Ready to send', 'ready_to_ship', 'status', 'Lille'],
    ['3', 'En route to sorting center', 'shipped', 'status', 'Lille'],
    ['5', 'Sorted', 'shipping_in_progress', 'status', 'Paris Nord'],
    ['12', 'Awaiting customer pickup', 'shipping_in_progress', 'waiting_at_point', 'Relais Pickup Paris 11'],
    ['93', 'Shipment collected by customer', 'delivered', 'status', 'Relais Pickup Paris 11']
  ],
  swisspost: [
    ['DATA_RECEIVED', 'Données de l’envoi reçues', 'packaging', 'status', 'Zürich'],
    ['ACCEPTED', 'Dépôt', 'shipped', 'status', 'Zürich-Mülligen'],
    ['SORTED', 'Tri', 'shipping_in_progress', 'status', 'Härkingen'],
    ['ARRIVED_AT_PICKUP', 'Arrivé au point de retrait', 'shipping_in_progress', 'waiting_at_point', 'PickPost Lausanne Gare'],
    ['COLLECTED', 'Retiré', 'delivered', 'status', 'PickPost Lausanne Gare']
  ]
}

interface DemoSpec {
  carrier: CarrierId
  tracking: string
  reference: string
  name: string
  phone: string
  ageHours: number
  steps: number
  point?: DeliveryPoint | null
  cod?: [number, string]
  tail?: Step[]
  /** Swiss Post: the customer's PickPost / My Post 24 User ID, printed in Name2. */
  userId?: string
}

const ER_LOCKER: DeliveryPoint = {
  id: 'SL-CAS-007',
  name: 'Smart Locker Twin Center',
  address: 'Boulevard Zerktouni, 20100 Casablanca',
  carrier: 'express-relais',
  type: 'locker'
}
const ECO_DESK: DeliveryPoint = {
  id: 'STOP-16-BEZ',
  name: 'Stop desk Bab Ezzouar',
  address: 'Cité 5 Juillet, 16042 Bab Ezzouar, Alger',
  carrier: 'ecotrack',
  type: 'stop_desk'
}
const SC_POINT: DeliveryPoint = {
  id: '10875349',
  name: 'Tabac de la Roquette',
  address: '58 Rue de la Roquette, 75011 Paris',
  carrier: 'sendcloud',
  type: 'counter'
}
const SP_PICKPOST: DeliveryPoint = {
  id: 'PP-1003',
  name: 'PickPost Lausanne Gare',
  address: 'Place de la Gare 9, 1003 Lausanne',
  carrier: 'swisspost',
  type: 'post_office'
}
const SP_LOCKER: DeliveryPoint = {
  id: 'MP24-8004-02',
  name: 'My Post 24 Zürich Hardbrücke',
  address: 'Hardstrasse 201, 8005 Zürich',
  carrier: 'swisspost',
  type: 'locker'
}

const SPECS: DemoSpec[] = [
  // Express Relais: the demo desk's own carrier.
  {
    carrier: 'express-relais',
    tracking: DEMO_TRACKING.expressRelais,
    reference: 'CMD-MA-10421',
    name: 'Yasmine El Idrissi',
    phone: '+212612345678',
    ageHours: 30,
    steps: 8,
    point: DEMO_POINT,
    cod: [349, 'MAD']
  },
  {
    carrier: 'express-relais',
    tracking: 'ERMA2611230031',
    reference: 'CMD-MA-10388',
    name: 'Karim Benjelloun',
    phone: '+212661234590',
    ageHours: 52,
    steps: 8,
    point: DEMO_POINT
  },
  {
    carrier: 'express-relais',
    tracking: 'ERMA2611270055',
    reference: 'CMD-MA-10502',
    name: 'Salma Tazi',
    phone: '+212700112233',
    ageHours: 10,
    steps: 4,
    point: DEMO_POINT,
    cod: [129.9, 'MAD']
  },
  {
    carrier: 'express-relais',
    tracking: 'ERMA2611180012',
    reference: 'CMD-MA-10177',
    name: 'Omar Alaoui',
    phone: '+212655443322',
    ageHours: 24 * 9,
    steps: 9,
    point: ER_LOCKER
  },
  {
    carrier: 'express-relais',
    tracking: 'ERMA2611260077',
    reference: 'CMD-MA-10466',
    name: 'Nadia Berrada',
    phone: '+212622998877',
    ageHours: 40,
    steps: 6,
    point: ER_LOCKER
  },
  {
    carrier: 'express-relais',
    tracking: 'ERMA2611100003',
    reference: 'CMD-MA-09876',
    name: 'Hamza Chraibi',
    phone: '+212677665544',
    ageHours: 24 * 17,
    steps: 3,
    point: DEMO_POINT,
    tail: [['PARCEL_TO_RETURN', 'The client has initiated the return of the parcel in question', 'return', 'status', 'Agence Maarif']]
  },
  {
    carrier: 'express-relais',
    tracking: 'ERMA2611250064',
    reference: 'CMD-MA-10440',
    name: 'Imane Fassi',
    phone: '+212633221100',
    ageHours: 70,
    steps: 2,
    point: null,
    tail: [['ORDER_REFUSED', 'Order refused by Express Relais', 'delivery_failure', 'status', 'Casablanca']]
  },
  // ECOTRACK courier (Algeria).
  {
    carrier: 'ecotrack',
    tracking: DEMO_TRACKING.ecotrack,
    reference: 'DZ-4471',
    name: 'Amina Boudiaf',
    phone: '0551234567',
    ageHours: 44,
    steps: 4,
    point: ECO_DESK,
    cod: [4500, 'DZD']
  },
  {
    carrier: 'ecotrack',
    tracking: 'ECQFLD2611220009',
    reference: 'DZ-4409',
    name: 'Rachid Belkacem',
    phone: '0661987654',
    ageHours: 24 * 6,
    steps: 7,
    point: null,
    cod: [2800, 'DZD']
  },
  {
    carrier: 'ecotrack',
    tracking: 'ECQFLD2611260021',
    reference: 'DZ-4490',
    name: 'Lina Hamidi',
    phone: '0770112233',
    ageHours: 20,
    steps: 2,
    point: null,
    cod: [6200, 'DZD']
  },
  {
    carrier: 'ecotrack',
    tracking: 'ECQFLD2611150004',
    reference: 'DZ-4310',
    name: 'Sofiane Mansouri',
    phone: '0558776655',
    ageHours: 24 * 12,
    steps: 5,
    point: ECO_DESK,
    cod: [3100, 'DZD'],
    tail: [['return_asked', 'Retour demandé', 'return', 'status', 'Station Bab Ezzouar']]
  },
  // Shiprocket, Clickpost, Shipway: the warehouse side (seed 002).
  {
    carrier: 'shiprocket',
    tracking: '141123221084922',
    reference: 'SR-ORD-88121',
    name: 'Priya Raman',
    phone: '+919876543210',
    ageHours: 26,
    steps: 5,
    point: null
  },
  {
    carrier: 'shiprocket',
    tracking: '141123221084931',
    reference: 'SR-ORD-88140',
    name: 'Arjun Mehta',
    phone: '+919812345678',
    ageHours: 24 * 4,
    steps: 6,
    point: null
  },
  {
    carrier: 'clickpost',
    tracking: 'CP2611240012',
    reference: 'CP-55012',
    name: 'Ananya Iyer',
    phone: '+919900112233',
    ageHours: 15,
    steps: 4,
    point: null
  },
  {
    carrier: 'clickpost',
    tracking: 'CP2611200044',
    reference: 'CP-54877',
    name: 'Rohan Kapoor',
    phone: '+919811223344',
    ageHours: 24 * 8,
    steps: 5,
    point: null,
    tail: [['9', 'Failed Delivery', 'delivery_failure', 'status', 'Pune']]
  },
  {
    carrier: 'shipway',
    tracking: '7788990011',
    reference: 'SW-2231',
    name: 'Meera Nair',
    phone: '+919845012345',
    ageHours: 60,
    steps: 2,
    point: null
  },
  // Sendcloud service points (seed 003).
  {
    carrier: 'sendcloud',
    tracking: '3SYZXG132912330',
    reference: 'FR-77810',
    name: 'Camille Laurent',
    phone: '+33612345678',
    ageHours: 50,
    steps: 4,
    point: SC_POINT
  },
  {
    carrier: 'sendcloud',
    tracking: '3SYZXG132912347',
    reference: 'FR-77824',
    name: 'Julien Moreau',
    phone: '+33698765432',
    ageHours: 18,
    steps: 2,
    point: SC_POINT
  },
  // A cross-border parcel for a customer who also has an Express Relais parcel at the demo desk (counter: two parcels, one customer).
  {
    carrier: 'sendcloud',
    tracking: '3SYZXG132912361',
    reference: 'FR-77839',
    name: 'Salma Tazi',
    phone: '+212700112233',
    ageHours: 20,
    steps: 3,
    point: DEMO_POINT
  },
  // Swiss Post PickPost / My Post 24 (seed 004).
  {
    carrier: 'swisspost',
    tracking: DEMO_TRACKING.swissPost,
    userId: 'PT011227',
    reference: 'CH-30017',
    name: 'Lukas Meier',
    phone: '+41791234567',
    ageHours: 28,
    steps: 4,
    point: SP_PICKPOST
  },
  {
    carrier: 'swisspost',
    tracking: '996012345600004228',
    userId: 'PT020431',
    reference: 'CH-30021',
    name: 'Sophie Favre',
    phone: '+41789876543',
    ageHours: 12,
    steps: 3,
    point: SP_LOCKER
  },
  {
    carrier: 'swisspost',
    tracking: '996012345600004235',
    userId: 'PT007812',
    reference: 'CH-29980',
    name: 'Noah Schmid',
    phone: '+41765554433',
    ageHours: 24 * 5,
    steps: 5,
    point: SP_PICKPOST
  }
]

/** Spreads a path over the shipment's life: the first step at creation, the last one recent. */
function eventsFor(spec: DemoSpec, createdAt: number, now: number): IncomingEvent[] {
  const steps = [...PATHS[spec.carrier].slice(0, spec.steps), ...(spec.tail ?? [])]
  const span = Math.max(now - createdAt - 20 * 60_000, HOUR)
  return steps.map(([native, label, unified, kind, location], i) => {
    const at = createdAt + Math.round((span * i) / Math.max(steps.length - 1, 1))
    const e: IncomingEvent = {
      at,
      unifiedStatus: unified,
      kind,
      nativeStatus: native,
      nativeLabel: label,
      description: label,
      location: location ?? null,
      source: 'demo'
    }
    if (spec.carrier === 'express-relais' && i >= 2) e.waybill = `WB${spec.tracking.slice(-8)}`
    return e
  })
}

/** Fills an empty store with the demo shipments. Idempotent: a second call adds nothing. */
export function seedDemo(db: Database, repo: ShipmentRepository, now: number): number {
  const done = db.prepare("SELECT value FROM meta WHERE key = 'demo_seeded_at'").get()
  if (done) return 0
  let created = 0
  db.transaction(() => {
    for (const spec of SPECS) {
      const createdAt = now - spec.ageHours * HOUR
      const s: NewShipment = {
        carrier: spec.carrier,
        account: 'demo',
        trackingNumber: spec.tracking,
        reference: spec.reference,
        recipientName: spec.name,
        recipientPhone: spec.phone,
        point: spec.point ?? null,
        codAmount: spec.cod?.[0] ?? null,
        currency: spec.cod?.[1] ?? null,
        weightGrams: 400 + ((spec.tracking.charCodeAt(spec.tracking.length - 1) * 37) % 4000),
        carrierData: spec.userId && spec.point ? swissPostDemoData(spec.point, spec, spec.userId) : null,
        createdAt,
        nextCheckAt: createdAt + DAY > now ? now + HOUR : now + 2 * HOUR
      }
      const id = repo.insert(s)
      repo.appendEvents(id, eventsFor(spec, createdAt, now), now)
      created++
    }
    const first = SPECS[0]!
    const firstId = repo.byTrackingKey(trackingKey(first.tracking))[0]!.id
    repo.addRemark({
      shipmentId: firstId,
      text: 'Cliente prévenue par SMS, passera après 18h.',
      author: 'Relais Maarif',
      origin: 'local',
      state: 'sent',
      createdAt: now - 3 * HOUR
    })
    db.prepare("INSERT INTO meta (key, value) VALUES ('demo_seeded_at', ?)").run(String(now))
  })()
  return created
}

export const isDemoSeeded = (db: Database): boolean => !!db.prepare("SELECT 1 FROM meta WHERE key = 'demo_seeded_at'").get()
