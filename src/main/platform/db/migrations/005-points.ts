import type { Migration } from './types'

// Schema version 5: pickup points. Every point a search returned is kept (the whole point as
// JSON, plus the columns an offline search filters on), with each search's result list, so the
// point list still works when the network does not. The point attached to a shipment is kept in
// full beside the shipment's summary columns (point_id, point_name...).
export const migration005: Migration = {
  version: 5,
  name: 'points',
  up(db) {
    db.exec(`
      CREATE TABLE points (
        key         TEXT    PRIMARY KEY,          -- carrier:account:id
        carrier     TEXT    NOT NULL,
        account     TEXT    NOT NULL,
        point_id    TEXT    NOT NULL,
        type        TEXT    NOT NULL,
        name        TEXT    NOT NULL,
        zip         TEXT,
        city        TEXT    NOT NULL,
        city_fold   TEXT    NOT NULL,             -- lower case, no accents: offline city search
        country     TEXT    NOT NULL,
        lat         REAL,
        lon         REAL,
        data        TEXT    NOT NULL,             -- the PickupPoint, JSON
        fetched_at  INTEGER NOT NULL
      );
      CREATE INDEX points_zip ON points(country, zip);
      CREATE INDEX points_city ON points(country, city_fold);
      CREATE INDEX points_pos ON points(lat, lon);

      CREATE TABLE point_searches (
        query_key   TEXT    PRIMARY KEY,          -- the normalised query
        point_keys  TEXT    NOT NULL,             -- JSON array, in result order
        distances   TEXT    NOT NULL,             -- JSON array of metres or null, same order
        errors      TEXT,                         -- JSON, carriers that failed in that search
        searched_at INTEGER NOT NULL
      );

      CREATE TABLE shipment_points (
        shipment_id INTEGER PRIMARY KEY REFERENCES shipments(id) ON DELETE CASCADE,
        point_key   TEXT    NOT NULL,
        data        TEXT    NOT NULL,             -- the PickupPoint as attached, JSON
        attached_at INTEGER NOT NULL
      );
    `)
  }
}
