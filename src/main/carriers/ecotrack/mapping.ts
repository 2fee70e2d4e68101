// ECOTRACK's status vocabularies as data (contract note §1.7). Three layers share one table:
// activity codes (get/tracking/info), order statuses (get/orders, get/orders/status) and the French
// display statuses (get/trackings/info). Names are folded (accents, case, spaces) before matching,
// so `payé_et_archivé` = `paye_et_archive` and `Return_received` = `return_received`.
import type { StatusMapping, StatusMappingRow } from '../types'

/** Lower case, no accents, runs of spaces/dashes/apostrophes as one underscore. */
export function normaliseEcotrack(native: string): string {
  return native
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim()
    .replace(/[\s'’-]+/g, '_')
}

/** §1.7.1: events of get/tracking/info. */
export const ECOTRACK_ACTIVITY_ROWS: readonly StatusMappingRow[] = [
  { native: 'order_information_received_by_carrier', unified: 'packaging', description: 'Commande enregistrée et validée par le vendeur' },
  { native: 'picked', unified: 'shipped', description: 'Commande récupérée par le prestataire de livraison' },
  {
    native: 'accepted_by_carrier',
    unified: 'shipping_in_progress',
    description: 'Commande réceptionnée par le centre de tri (Hub ou Station)'
  },
  {
    native: 'dispatched_to_driver',
    unified: 'shipping_in_progress',
    kind: 'out_for_delivery',
    description: 'Commande dispatchée au livreur'
  },
  // A failed attempt is not yet a failure: the driver tries again or the parcel is postponed.
  { native: 'attempt_delivery', unified: 'shipping_in_progress', description: 'Tentative de livraison' },
  { native: 'return_asked', unified: 'return', description: 'Retour initié par le centre de tri (Hub ou Station)' },
  { native: 'return_in_transit', unified: 'return', description: 'Retour en transit' },
  { native: 'Return_received', unified: 'return', final: true, description: 'Retour réceptionné par le vendeur' },
  { native: 'livred', unified: 'delivered', description: 'Commande livrée' },
  { native: 'encaissed', unified: 'delivered', description: 'Commande encaissée' },
  { native: 'payed', unified: 'delivered', final: true, description: 'Paiement effectué' },
  // Undocumented, seen when a remark is added through add/maj: a note, not a move.
  { native: 'notification_on_order', unified: 'shipping_in_progress', kind: 'remark', description: 'Remarque ajoutée sur le colis' }
]

/** §1.7.2: the order statuses (filter values of get/orders/status), in the documented order. */
export const ECOTRACK_ORDER_ROWS: readonly StatusMappingRow[] = [
  { native: 'prete_a_expedier', unified: 'ready_to_ship', description: 'Prête à expédier' },
  { native: 'en_ramassage', unified: 'ready_to_ship', description: 'En ramassage' },
  { native: 'en_preparation_stock', unified: 'packaging', description: 'En préparation (stock)' },
  { native: 'vers_hub', unified: 'shipped', description: 'Vers hub' },
  { native: 'en_hub', unified: 'shipping_in_progress', description: 'En hub' },
  { native: 'vers_wilaya', unified: 'shipping_in_progress', description: 'Vers wilaya' },
  { native: 'en_preparation', unified: 'shipping_in_progress', description: 'En préparation à la station' },
  { native: 'en_livraison', unified: 'shipping_in_progress', kind: 'out_for_delivery', description: 'En livraison' },
  { native: 'suspendu', unified: 'delivery_failure', description: 'Suspendu' },
  { native: 'livre_non_encaisse', unified: 'delivered', description: 'Livré non encaissé' },
  { native: 'encaisse_non_paye', unified: 'delivered', description: 'Encaissé non payé' },
  { native: 'paiements_prets', unified: 'delivered', description: 'Paiement prêt' },
  { native: 'paye_et_archive', unified: 'delivered', final: true, description: 'Payé et archivé' },
  { native: 'retour_chez_livreur', unified: 'return', description: 'Retour chez le livreur' },
  { native: 'retour_transit_entrepot', unified: 'return', description: 'Retour en transit vers l’entrepôt' },
  { native: 'retour_en_traitement', unified: 'return', description: 'Retour en traitement' },
  { native: 'retour_recu', unified: 'return', description: 'Retour reçu' },
  { native: 'retour_archive', unified: 'return', final: true, description: 'Retour archivé' },
  { native: 'annule', unified: 'cancelled', final: true, description: 'Annulé' }
]

/** §1.7.3: French display statuses of get/trackings/info. */
export const ECOTRACK_DISPLAY_ROWS: readonly StatusMappingRow[] = [
  { native: 'Prêt à expédier', unified: 'ready_to_ship' },
  { native: 'Prêt à préparer', unified: 'packaging' },
  { native: 'En ramassage', unified: 'ready_to_ship' },
  { native: 'Stock en préparation', unified: 'packaging' },
  { native: 'Vers hub', unified: 'shipped' },
  { native: 'En hub', unified: 'shipping_in_progress' },
  { native: 'Vers wilaya', unified: 'shipping_in_progress' },
  { native: 'En préparation', unified: 'shipping_in_progress' },
  { native: 'En livraison', unified: 'shipping_in_progress', kind: 'out_for_delivery' },
  { native: 'Suspendus', unified: 'delivery_failure' },
  { native: 'Retours chez livreur', unified: 'return' },
  { native: 'Retours en traitement', unified: 'return' },
  { native: 'Retours prêts', unified: 'return' },
  { native: 'Retours reçu', unified: 'return' },
  { native: 'Retours à dispatcher vers stock', unified: 'return' },
  { native: 'Retours en transit stock', unified: 'return' },
  { native: 'Retours en stock', unified: 'return' },
  { native: 'Livre non encaissé', unified: 'delivered' },
  { native: 'Livre encaissé non payé', unified: 'delivered' },
  { native: 'Paiement prêt', unified: 'delivered' },
  { native: 'Paiement archivé', unified: 'delivered', final: true },
  { native: 'Retours archivé', unified: 'return', final: true }
]

export const ecotrackMapping: StatusMapping = {
  rows: [...ECOTRACK_ACTIVITY_ROWS, ...ECOTRACK_ORDER_ROWS, ...ECOTRACK_DISPLAY_ROWS],
  normalise: normaliseEcotrack,
  // Unknown statuses stay visible with their native text; "in progress" claims the least.
  fallback: { unified: 'shipping_in_progress', kind: 'info' }
}
