import type { Migration } from './types'

// Schema version 7: counter operations. A parcel's life at this desk (arrived with a driver or
// dropped off by a customer, shelved, handed over, sent back) lives beside the carrier's shipment,
// not in it: a parcel may arrive before its shipment is known (unmatched, matched later), and
// what the carrier says and what is on the shelf may disagree. Every step is kept in the audit.
// IF NOT EXISTS: a store opened before this version was registered may hold the tables already.
export const migration007: Migration = {
  version: 7,
  name: 'counter',
  up(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS counter_sessions (
        id              INTEGER PRIMARY KEY,
        kind            TEXT    NOT NULL CHECK (kind IN ('checkin','collection')),
        driver          TEXT    NOT NULL,
        announced       INTEGER,                      -- parcels the driver says he brings
        clerk           TEXT    NOT NULL,
        opened_at       INTEGER NOT NULL,
        closed_at       INTEGER,
        signature       TEXT,                         -- SVG drawn on screen (collection)
        manifest        TEXT                          -- JSON: what was expected to leave (collection)
      );

      CREATE TABLE IF NOT EXISTS counter_parcels (
        id              INTEGER PRIMARY KEY,
        tracking_key    TEXT    NOT NULL,
        tracking_number TEXT    NOT NULL,
        shipment_id     INTEGER REFERENCES shipments(id) ON DELETE SET NULL, -- NULL: unmatched
        carrier         TEXT,
        origin          TEXT    NOT NULL CHECK (origin IN ('driver','dropoff')),
        state           TEXT    NOT NULL CHECK (state IN ('on_shelf','refused','handed_over','to_return','collected')),
        slot            TEXT,
        pickup_code     TEXT,
        recipient_name  TEXT,
        recipient_phone TEXT,
        arrived_at      INTEGER NOT NULL,
        session_id      INTEGER REFERENCES counter_sessions(id),
        damaged         INTEGER NOT NULL DEFAULT 0,
        damage_note     TEXT,
        photo           TEXT,                         -- file name under <dataDir>/counter-photos
        not_for_point   INTEGER NOT NULL DEFAULT 0,
        refused_reason  TEXT,
        handover_id     INTEGER,
        handed_over_at  INTEGER,
        return_at       INTEGER,                      -- prepared for return
        collection_id   INTEGER REFERENCES counter_sessions(id),
        collected_at    INTEGER
      );
      CREATE INDEX IF NOT EXISTS counter_parcels_key ON counter_parcels(tracking_key);
      CREATE INDEX IF NOT EXISTS counter_parcels_state ON counter_parcels(state, arrived_at);
      CREATE INDEX IF NOT EXISTS counter_parcels_shipment ON counter_parcels(shipment_id) WHERE shipment_id IS NOT NULL;
      CREATE INDEX IF NOT EXISTS counter_parcels_unmatched ON counter_parcels(id) WHERE shipment_id IS NULL;
      CREATE INDEX IF NOT EXISTS counter_parcels_session ON counter_parcels(session_id) WHERE session_id IS NOT NULL;
      CREATE INDEX IF NOT EXISTS counter_parcels_handed ON counter_parcels(handed_over_at) WHERE handed_over_at IS NOT NULL;
      CREATE INDEX IF NOT EXISTS counter_parcels_collected ON counter_parcels(collected_at) WHERE collected_at IS NOT NULL;
      CREATE INDEX IF NOT EXISTS counter_parcels_return ON counter_parcels(return_at) WHERE return_at IS NOT NULL;
      -- One live parcel per tracking number: a second scan finds the first.
      CREATE UNIQUE INDEX IF NOT EXISTS counter_parcels_live ON counter_parcels(tracking_key) WHERE state IN ('on_shelf','to_return');

      CREATE TABLE IF NOT EXISTS counter_handovers (
        id              INTEGER PRIMARY KEY,
        at              INTEGER NOT NULL,
        clerk           TEXT    NOT NULL,
        method          TEXT    NOT NULL,             -- id, code, id+code, override
        id_type         TEXT,
        id_last4        TEXT,                         -- last digits only, never the full number
        cod_amount      REAL,
        cod_currency    TEXT,
        cod_method      TEXT,                         -- cash, card
        signature       TEXT,                         -- SVG drawn on screen
        override_reason TEXT,
        parcel_ids      TEXT    NOT NULL              -- JSON array
      );

      CREATE TABLE IF NOT EXISTS counter_audit (
        id              INTEGER PRIMARY KEY,
        at              INTEGER NOT NULL,
        clerk           TEXT    NOT NULL,
        action          TEXT    NOT NULL,
        parcel_id       INTEGER,
        detail          TEXT,                         -- JSON
        reason          TEXT                          -- required for overrides
      );
      CREATE INDEX IF NOT EXISTS counter_audit_at ON counter_audit(at);
      CREATE INDEX IF NOT EXISTS counter_handovers_at ON counter_handovers(at);
    `)
  }
}
