import { describe, expect, it } from 'vitest'
import { mapStatus } from '../types'
import { mappingProblems, pairProblems } from '../testing/mapping.testkit'
import { loadSharedData } from '../testing/specs.testkit'
import { ECOTRACK_ACTIVITY_ROWS, ECOTRACK_DISPLAY_ROWS, ECOTRACK_ORDER_ROWS, ecotrackMapping, normaliseEcotrack } from './mapping'

describe('ECOTRACK status layers (activity codes, order statuses, display statuses)', () => {
  it('are consistent (rows that fold to the same key agree)', () => {
    expect(mappingProblems(ecotrackMapping)).toEqual([])
  })
  it('map the statuses whose documented meaning says the outcome (contract note §1.7)', () => {
    const pairs = [
      ['livred', 'delivered'], // delivered
      ['Return_received', 'return'], // seller received the return
      ['annule', 'cancelled'],
      ['retour_recu', 'return'],
      ['livre_non_encaisse', 'delivered'],
      ['en_livraison', 'shipping_in_progress'],
      ['prete_a_expedier', 'ready_to_ship'],
      ['Livre non encaissé', 'delivered'],
      ['Retours reçu', 'return']
    ] as const
    expect(pairProblems(ecotrackMapping, pairs)).toEqual([])
  })
})

describe('ECOTRACK normalisation', () => {
  it('folds accents, case and spaces: payé_et_archivé = paye_et_archive, Return_received = return_received', () => {
    expect(normaliseEcotrack('payé_et_archivé')).toBe('paye_et_archive')
    expect(mapStatus(ecotrackMapping, 'payé_et_archivé')).toEqual({ unified: 'delivered', kind: 'status', known: true })
    expect(mapStatus(ecotrackMapping, 'return_received').unified).toBe('return')
    expect(mapStatus(ecotrackMapping, ' EN_LIVRAISON ').kind).toBe('out_for_delivery')
  })
  it('covers the documented lists exactly (19 order statuses, 11 activity codes + notification_on_order, 22 display statuses)', () => {
    expect(ECOTRACK_ORDER_ROWS.map((r) => r.native).join(',')).toBe(
      'prete_a_expedier,en_ramassage,en_preparation_stock,vers_hub,en_hub,vers_wilaya,en_preparation,en_livraison,suspendu,livre_non_encaisse,encaisse_non_paye,paiements_prets,paye_et_archive,retour_chez_livreur,retour_transit_entrepot,retour_en_traitement,retour_recu,retour_archive,annule'
    )
    expect(ECOTRACK_ACTIVITY_ROWS.length).toBe(12)
    expect(ECOTRACK_DISPLAY_ROWS.length).toBe(22)
  })
  it('keeps an unknown status visible through the fallback', () => {
    expect(mapStatus(ecotrackMapping, 'statut_inconnu')).toEqual({ unified: 'shipping_in_progress', kind: 'info', known: false })
  })
})

describe('ECOTRACK reference data copies', () => {
  it('match ../shared/carriers/data (a missing file fails the test)', async () => {
    const { ecotrackReferenceData } = await import('./sim/state')
    const ref = ecotrackReferenceData()
    expect(ref.wilayas).toEqual(loadSharedData('ecotrack-wilayas.json'))
    expect(ref.communes).toEqual(loadSharedData('ecotrack-communes.json'))
    expect(ref.fees).toEqual(loadSharedData('ecotrack-fees.json'))
  })
})
