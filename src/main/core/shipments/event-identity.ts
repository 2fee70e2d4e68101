// When is an incoming tracking event one the timeline already shows? Its dedupe key is the
// carrier's own identity for it, but two sources can name the same event differently: the demo
// seeds each parcel's past without the carrier's key (it cannot know it), and an adapter can
// report one status both in its history and as "current" under two keys. Both used to double a
// timeline on refresh (17 rows for the README parcel's 9 events).
import type { Database, Statement } from 'better-sqlite3'

interface EventIdentity {
  /** The key an event is stored under: the carrier's, or time + native status. */
  dedupeKey: string
  nativeStatus: string
  at: number
  source: string
}

/** A tracking_events row's columns, as the insert statements bind them. */
interface StoredEvent {
  at: number
  unified_status: string
  kind: string
  native_label: string | null
  description: string | null
  location: string | null
  comment: string | null
  waybill: string | null
  source: string
  recorded_at: number
  dedupe_key: string
}

export const eventDedupeKey = (e: { dedupeKey?: string; at: number; nativeStatus: string }): string =>
  e.dedupeKey ?? `${e.at}|${e.nativeStatus}`

/**
 * Decides, before an insert, whether an event is already held:
 * - the same key, or the same native status at the same instant, is the same event;
 * - a carrier's report of a status the demo seeded takes over the demo's row (the carrier's
 *   time and words replace the stand-in), once per seeded row.
 */
export class EventMatcher {
  private readonly sameInstant: Statement
  private readonly demoStandIn: Statement
  private readonly takeOver: Statement

  constructor(db: Database) {
    this.sameInstant = db.prepare(
      'SELECT 1 FROM tracking_events WHERE shipment_id = ? AND native_status = ? AND at = ? AND dedupe_key <> ? LIMIT 1'
    )
    this.demoStandIn = db.prepare(
      "SELECT id FROM tracking_events WHERE shipment_id = ? AND native_status = ? AND source = 'demo' ORDER BY at, id LIMIT 1"
    )
    // OR IGNORE: a key already held elsewhere means the carrier's event is kept already.
    this.takeOver = db.prepare(`UPDATE OR IGNORE tracking_events SET at = @at, unified_status = @unified_status, kind = @kind,
        native_label = @native_label, description = @description, location = @location, comment = @comment,
        waybill = @waybill, source = @source, recorded_at = @recorded_at, dedupe_key = @dedupe_key WHERE id = @id`)
  }

  /** The carrier's event replaces the demo's stand-in row; true when it did. */
  claim(rowId: number, e: StoredEvent): boolean {
    return this.takeOver.run({ ...e, id: rowId }).changes > 0
  }

  /** 'held': skip it; a number: the demo row it replaces; 'new': insert it. */
  match(shipmentId: number, e: EventIdentity): 'held' | 'new' | number {
    if (this.sameInstant.get(shipmentId, e.nativeStatus, e.at, e.dedupeKey)) return 'held'
    if (e.source === 'demo') return 'new'
    const row = this.demoStandIn.get(shipmentId, e.nativeStatus) as { id: number } | undefined
    return row ? row.id : 'new'
  }
}
