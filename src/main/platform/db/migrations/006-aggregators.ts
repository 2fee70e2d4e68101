import type { Migration } from './types'

// Schema version 6: the aggregators' order guard. Shiprocket takes no idempotency key, so a
// create repeated after a crash would be a second order at the aggregator. Each create is first
// written here (state 'pending', durably) with the reference Guichet sends; a restart that finds
// a pending row asks the aggregator for that reference before ever creating again.
export const migration006: Migration = {
  version: 6,
  name: 'aggregators',
  up(db) {
    db.exec(`
      CREATE TABLE aggregator_orders (
        id                   INTEGER PRIMARY KEY,
        carrier              TEXT    NOT NULL,
        account              TEXT    NOT NULL,            -- the alias whose credentials made it
        direction            TEXT    NOT NULL CHECK (direction IN ('forward','return')),
        reference            TEXT    NOT NULL,            -- our order id, sent to the aggregator
        state                TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','created','failed')),
        request              TEXT    NOT NULL,            -- JSON, what was (or will be) sent
        attempts             INTEGER NOT NULL DEFAULT 0,  -- creates sent; > 0 while pending = maybe created
        carrier_order_id     TEXT,
        carrier_shipment_id  TEXT,
        awb                  TEXT,
        courier              TEXT,
        label_url            TEXT,
        shipment_id          INTEGER REFERENCES shipments(id) ON DELETE SET NULL,
        parent_shipment_id   INTEGER REFERENCES shipments(id) ON DELETE SET NULL,
        last_error_code      TEXT,
        last_error           TEXT,
        created_at           INTEGER NOT NULL,
        updated_at           INTEGER NOT NULL,
        UNIQUE (carrier, account, direction, reference)
      );
      CREATE INDEX aggregator_orders_shipment ON aggregator_orders(shipment_id) WHERE shipment_id IS NOT NULL;
      CREATE INDEX aggregator_orders_open ON aggregator_orders(state) WHERE state = 'pending';
    `)
  }
}
