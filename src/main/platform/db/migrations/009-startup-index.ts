import type { Migration } from './types'

// Schema version 9: start-up reads "last good sync" (the newest successful carrier check) to
// seed the connectivity bar (max(), which a partial index would not serve). Without an index that is a scan of every shipment: half a second
// and most of the file read on a year of parcels, before the first scan can be answered.
export const migration009: Migration = {
  version: 9,
  name: 'startup-index',
  up(db) {
    db.exec(`CREATE INDEX IF NOT EXISTS shipments_last_good ON shipments(last_good_check_at)`)
  }
}
