import type { Migration } from './types'

// Schema version 1: shipments, their timeline, remarks, and search.
// Times are integer milliseconds since the epoch (UTC); the API turns them into ISO strings.
export const migration001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE shipments (
        id               INTEGER PRIMARY KEY,
        carrier          TEXT    NOT NULL,
        account          TEXT    NOT NULL DEFAULT 'default',
        tracking_number  TEXT    NOT NULL,
        tracking_key     TEXT    NOT NULL,           -- upper case, no separators: what scans match
        reference        TEXT,
        recipient_name   TEXT    NOT NULL DEFAULT '',
        recipient_phone  TEXT,
        phone_keys       TEXT    NOT NULL DEFAULT '', -- international and national digits, for prefix search
        point_id         TEXT,
        point_name       TEXT,
        point_address    TEXT,
        point_type       TEXT,
        unified_status   TEXT    NOT NULL DEFAULT 'packaging',
        status_kind      TEXT    NOT NULL DEFAULT 'status',
        native_status    TEXT,
        native_label     TEXT,
        status_at        INTEGER,
        direction        TEXT    NOT NULL DEFAULT 'forward' CHECK (direction IN ('forward','return')),
        parent_id        INTEGER REFERENCES shipments(id) ON DELETE SET NULL,
        cod_amount       REAL,
        currency         TEXT,
        weight_grams     INTEGER,
        carrier_data     TEXT,                        -- carrier-specific fields, JSON
        created_at       INTEGER NOT NULL,
        updated_at       INTEGER NOT NULL,
        last_checked_at  INTEGER,
        last_good_check_at INTEGER,
        next_check_at    INTEGER,                     -- the poller's durable schedule; NULL = not polled
        check_failures   INTEGER NOT NULL DEFAULT 0,
        last_error_code  TEXT,
        last_error       TEXT,
        last_error_at    INTEGER,
        UNIQUE (carrier, account, tracking_key)
      );
      CREATE INDEX shipments_tracking_key ON shipments(tracking_key);
      CREATE INDEX shipments_reference ON shipments(reference COLLATE NOCASE) WHERE reference IS NOT NULL;
      CREATE INDEX shipments_status ON shipments(unified_status, created_at);
      CREATE INDEX shipments_due ON shipments(next_check_at) WHERE next_check_at IS NOT NULL;
      CREATE INDEX shipments_parent ON shipments(parent_id) WHERE parent_id IS NOT NULL;

      CREATE TABLE tracking_events (
        id              INTEGER PRIMARY KEY,
        shipment_id     INTEGER NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
        at              INTEGER NOT NULL,
        unified_status  TEXT    NOT NULL,
        kind            TEXT    NOT NULL DEFAULT 'status',
        native_status   TEXT    NOT NULL,
        native_label    TEXT,
        description     TEXT,
        location        TEXT,
        comment         TEXT,
        waybill         TEXT,
        source          TEXT    NOT NULL,
        recorded_at     INTEGER NOT NULL,
        dedupe_key      TEXT    NOT NULL,  -- the same carrier event seen twice (poll + webhook) is kept once
        UNIQUE (shipment_id, dedupe_key)
      );
      CREATE INDEX tracking_events_shipment ON tracking_events(shipment_id, at);

      CREATE TABLE remarks (
        id           INTEGER PRIMARY KEY,
        shipment_id  INTEGER NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
        text         TEXT    NOT NULL,
        author       TEXT,
        origin       TEXT    NOT NULL DEFAULT 'local' CHECK (origin IN ('local','carrier')),
        state        TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','sent','failed')),
        created_at   INTEGER NOT NULL,
        dedupe_key   TEXT,
        UNIQUE (shipment_id, dedupe_key)
      );
      CREATE INDEX remarks_shipment ON remarks(shipment_id, created_at);

      -- Prefix search on reference, name and phone. External content: the text lives once, in shipments.
      CREATE VIRTUAL TABLE shipment_search USING fts5(
        reference, recipient_name, phone_keys,
        content='shipments', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3'
      );
      CREATE TRIGGER shipments_ai AFTER INSERT ON shipments BEGIN
        INSERT INTO shipment_search(rowid, reference, recipient_name, phone_keys)
        VALUES (new.id, new.reference, new.recipient_name, new.phone_keys);
      END;
      CREATE TRIGGER shipments_ad AFTER DELETE ON shipments BEGIN
        INSERT INTO shipment_search(shipment_search, rowid, reference, recipient_name, phone_keys)
        VALUES ('delete', old.id, old.reference, old.recipient_name, old.phone_keys);
      END;
      CREATE TRIGGER shipments_au AFTER UPDATE OF reference, recipient_name, phone_keys ON shipments BEGIN
        INSERT INTO shipment_search(shipment_search, rowid, reference, recipient_name, phone_keys)
        VALUES ('delete', old.id, old.reference, old.recipient_name, old.phone_keys);
        INSERT INTO shipment_search(rowid, reference, recipient_name, phone_keys)
        VALUES (new.id, new.reference, new.recipient_name, new.phone_keys);
      END;

      -- Small facts about this store (demo mode seeded, when, ...).
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `)
  }
}
