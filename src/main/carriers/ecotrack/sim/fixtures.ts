// Parcels the ECOTRACK simulator starts with: the demo's ECOTRACK shipments (services/demo.ts),
// each at least as far along as the demo shows, with the rest of its path still to come on the
// simulator's clock, so "refresh now" in demo mode brings sensible new events.
import { HOUR } from '../../../platform/clock'

/** One step: the activity code (get/tracking/info) and the order status it puts the parcel in. */
export interface EcoStep {
  activity: string
  order: string
  station?: string
  /** A delivery-attempt reason (get/orders/status activity[]). */
  reason?: string
}

export const ECO_FORWARD: readonly EcoStep[] = [
  { activity: 'order_information_received_by_carrier', order: 'prete_a_expedier' },
  { activity: 'picked', order: 'vers_hub', station: 'Alger' },
  { activity: 'accepted_by_carrier', order: 'en_hub', station: 'HUB' },
  { activity: 'dispatched_to_driver', order: 'en_livraison', station: 'Station Bab Ezzouar' },
  { activity: 'attempt_delivery', order: 'en_livraison', station: 'Station Bab Ezzouar', reason: 'Client ne réponds pas' },
  { activity: 'livred', order: 'livre_non_encaisse', station: 'Station Bab Ezzouar' },
  { activity: 'encaissed', order: 'encaisse_non_paye', station: 'Station Bab Ezzouar' },
  { activity: 'payed', order: 'paye_et_archive' }
]

export const ECO_RETURN: readonly EcoStep[] = [
  { activity: 'return_asked', order: 'retour_chez_livreur', station: 'Station Bab Ezzouar' },
  { activity: 'return_in_transit', order: 'retour_transit_entrepot', station: 'HUB' },
  { activity: 'Return_received', order: 'retour_recu' }
]

export interface EcoFixture {
  tracking: string
  reference: string
  client: string
  phone: string
  adresse: string
  commune: string
  wilaya_id: number
  montant: number
  stop_desk: 0 | 1
  /** Hours before the simulator's start the order was created. */
  ageHours: number
  /** Steps already done at start. */
  done: number
  path: readonly EcoStep[]
}

const fwdThenReturn = [...ECO_FORWARD.slice(0, 5), ...ECO_RETURN]

export const ECOTRACK_FIXTURES: readonly EcoFixture[] = [
  {
    tracking: 'ECQFLD2611240017',
    reference: 'DZ-4471',
    client: 'Amina Boudiaf',
    phone: '0551234567',
    adresse: 'Cité 5 Juillet',
    commune: 'Bab Ezzouar',
    wilaya_id: 16,
    montant: 4500,
    stop_desk: 1,
    ageHours: 44,
    done: 4,
    path: ECO_FORWARD
  },
  {
    tracking: 'ECQFLD2611220009',
    reference: 'DZ-4409',
    client: 'Rachid Belkacem',
    phone: '0661987654',
    adresse: '12 rue Didouche Mourad',
    commune: 'Alger Centre',
    wilaya_id: 16,
    montant: 2800,
    stop_desk: 0,
    ageHours: 24 * 6,
    done: 7,
    path: ECO_FORWARD
  },
  {
    tracking: 'ECQFLD2611260021',
    reference: 'DZ-4490',
    client: 'Lina Hamidi',
    phone: '0770112233',
    adresse: 'Lot 45 Kouba',
    commune: 'Kouba',
    wilaya_id: 16,
    montant: 6200,
    stop_desk: 0,
    ageHours: 20,
    done: 2,
    path: ECO_FORWARD
  },
  {
    tracking: 'ECQFLD2611150004',
    reference: 'DZ-4310',
    client: 'Sofiane Mansouri',
    phone: '0558776655',
    adresse: 'Cité 5 Juillet',
    commune: 'Bab Ezzouar',
    wilaya_id: 16,
    montant: 3100,
    stop_desk: 1,
    ageHours: 24 * 12,
    done: 6,
    path: fwdThenReturn
  }
]

/** Gap between steps still to come, on the simulator's clock: the first comes a minute after start. */
export const ECO_STEP_GAP_MS = 2 * HOUR
