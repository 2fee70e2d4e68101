import type { Migration } from './types'

// Schema version 4: the outbox. Every write meant for a carrier is a row here, written in the
// same transaction as the local change it carries (a remark, a return request...), so a crash or
// a cut cable can delay it but never lose it or send it twice.
export const migration004: Migration = {
  version: 4,
  name: 'outbox',
  up(db) {
    db.exec(`
      CREATE TABLE outbox (
        id               INTEGER PRIMARY KEY,
        kind             TEXT    NOT NULL,             -- remark, return_request, ... (a handler per kind)
        shipment_id      INTEGER REFERENCES shipments(id) ON DELETE SET NULL,
        carrier          TEXT    NOT NULL,
        account          TEXT    NOT NULL,
        idempotency_key  TEXT    NOT NULL UNIQUE,      -- sent to the carrier where its API takes one
        payload          TEXT    NOT NULL,             -- JSON, the kind's own fields
        state            TEXT    NOT NULL DEFAULT 'pending'
                         CHECK (state IN ('pending','inflight','sent','failed','discarded')),
        acted_at         INTEGER NOT NULL,             -- when the clerk acted (not when it was sent)
        created_at       INTEGER NOT NULL,
        attempts         INTEGER NOT NULL DEFAULT 0,
        next_attempt_at  INTEGER,                      -- NULL once the row is final
        last_attempt_at  INTEGER,
        last_error_code  TEXT,
        last_error       TEXT,
        last_error_at    INTEGER,
        sent_at          INTEGER,
        result           TEXT,                         -- JSON, what the carrier answered
        updated_at       INTEGER NOT NULL
      );
      CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state = 'pending';
      CREATE INDEX outbox_shipment ON outbox(shipment_id, id);
      CREATE INDEX outbox_open ON outbox(state) WHERE state IN ('pending','inflight','failed');
    `)
  }
}
