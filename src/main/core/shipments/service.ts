import type { ShipmentDetail, ShipmentSummary } from '../../../shared/domain'
import type { FindResult, ShipmentPage } from '../../../shared/contract'
import { GuichetError } from '../../../shared/result'
import { normalizeScan, trackingKey } from '../../../shared/scan'
import type { ListFilter, ShipmentRepository } from './shipments.repo'
import type { Clock } from '../../platform/clock'

/** Finding and reading shipments from the local store: works the same online or offline. */
export class ShipmentService {
  constructor(
    private readonly repo: ShipmentRepository,
    private readonly clock: Clock
  ) {}

  /**
   * What the search field does on Enter or a scan: an exact tracking number or reference opens
   * the shipment; anything else (a name, a phone, a partial number) gives a list.
   */
  find(raw: string): FindResult {
    const query = normalizeScan(raw)
    if (!query)
      throw new GuichetError('invalid_input', 'Type or scan a tracking number, a reference, a name or a phone.', { field: 'query' })
    const key = trackingKey(query)
    const exact = key ? this.repo.byTrackingKey(key) : []
    if (exact.length === 1) return { kind: 'shipment', detail: this.get(exact[0]!.id) }
    const byRef = exact.length === 0 ? this.repo.byReference(query) : []
    if (byRef.length === 1) return { kind: 'shipment', detail: this.get(byRef[0]!.id) }
    const items = dedupe([...exact, ...byRef, ...this.search(query, 50)])
    return { kind: 'results', query, items }
  }

  /** Prefix search: tracking numbers first, then references, names and phones. */
  search(text: string, limit: number): ShipmentSummary[] {
    const query = normalizeScan(text)
    if (query.length < 2) return []
    const byTracking = this.repo.byTrackingPrefix(trackingKey(query), limit)
    const rest = byTracking.length >= limit ? [] : this.repo.searchText(query, limit)
    return dedupe([...byTracking, ...rest]).slice(0, limit)
  }

  list(filter: ListFilter): ShipmentPage {
    return this.repo.list(filter, this.clock.now())
  }

  get(id: number): ShipmentDetail {
    const shipment = this.repo.get(id)
    if (!shipment) throw new GuichetError('not_found', `No shipment with id ${id} in this store.`, { field: 'id' })
    return { shipment, events: this.repo.events(id), remarks: this.repo.remarks(id) }
  }
}

function dedupe(items: ShipmentSummary[]): ShipmentSummary[] {
  const seen = new Set<number>()
  return items.filter((s) => (seen.has(s.id) ? false : (seen.add(s.id), true)))
}
