import type { Migration } from './types'

// Schema version 8: the desk's link to a Guichet hub. Facts are captured by triggers in the very
// transaction that writes them (a shipment registered, a status event, a remark, a counter step,
// a carrier write's state), into an append-only log whose sequence rises by one (AUTOINCREMENT:
// never reused). Nothing else in the app needs to know the hub exists. Events the hub sends are
// applied with a row in hub_applying, which silences the triggers: they are not logged back.
// IF NOT EXISTS: a store opened before this version was registered may hold the tables already.
const quiet = 'NOT EXISTS (SELECT 1 FROM hub_applying)'

export const migration008: Migration = {
  version: 8,
  name: 'hub-sync',
  up(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS hub_log (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,
        kind         TEXT    NOT NULL,
        at           INTEGER NOT NULL,
        carrier      TEXT,
        account      TEXT,
        tracking_key TEXT,
        point_id     TEXT,
        body         TEXT    NOT NULL               -- JSON
      );
      -- What the hub sent: (author desk, its sequence) once, whatever the replays.
      CREATE TABLE IF NOT EXISTS hub_inbox (
        desk_id      TEXT    NOT NULL,
        seq          INTEGER NOT NULL,
        cursor       INTEGER NOT NULL,
        kind         TEXT    NOT NULL,
        at           INTEGER NOT NULL,
        carrier      TEXT,
        account      TEXT,
        tracking_key TEXT,
        point_id     TEXT,
        body         TEXT    NOT NULL,
        PRIMARY KEY (desk_id, seq)
      );
      CREATE INDEX IF NOT EXISTS hub_inbox_kind ON hub_inbox(kind, at);
      CREATE TABLE IF NOT EXISTS hub_link (
        id           INTEGER PRIMARY KEY CHECK (id = 1),
        url          TEXT    NOT NULL,
        desk_id      TEXT    NOT NULL,
        credential   TEXT    NOT NULL,
        role         TEXT    NOT NULL,
        point_id     TEXT,
        acked_seq    INTEGER NOT NULL DEFAULT 0,     -- the hub holds the log up to here
        cursor       INTEGER NOT NULL DEFAULT 0,     -- the hub's order: next pull starts after it
        last_ok_at   INTEGER,
        last_refusal TEXT
      );
      CREATE TABLE IF NOT EXISTS hub_applying (x INTEGER);

      CREATE TRIGGER IF NOT EXISTS hub_log_shipment AFTER INSERT ON shipments WHEN ${quiet}
      BEGIN
        INSERT INTO hub_log (kind, at, carrier, account, tracking_key, point_id, body)
        VALUES ('shipment', NEW.created_at, NEW.carrier, NEW.account, NEW.tracking_key, NEW.point_id, json_object(
          'trackingNumber', NEW.tracking_number, 'reference', NEW.reference, 'recipientName', NEW.recipient_name,
          'recipientPhone', NEW.recipient_phone, 'pointName', NEW.point_name, 'pointAddress', NEW.point_address,
          'pointType', NEW.point_type, 'direction', NEW.direction, 'codAmount', NEW.cod_amount, 'currency', NEW.currency,
          'weightGrams', NEW.weight_grams, 'unifiedStatus', NEW.unified_status, 'nextCheckAt', NEW.next_check_at));
      END;

      CREATE TRIGGER IF NOT EXISTS hub_log_status AFTER INSERT ON tracking_events WHEN ${quiet}
      BEGIN
        INSERT INTO hub_log (kind, at, carrier, account, tracking_key, point_id, body)
        SELECT 'status', NEW.at, s.carrier, s.account, s.tracking_key, s.point_id, json_object(
          'unifiedStatus', NEW.unified_status, 'eventKind', NEW.kind, 'nativeStatus', NEW.native_status,
          'nativeLabel', NEW.native_label, 'description', NEW.description, 'location', NEW.location,
          'comment', NEW.comment, 'waybill', NEW.waybill, 'source', NEW.source, 'dedupeKey', NEW.dedupe_key)
        FROM shipments s WHERE s.id = NEW.shipment_id;
      END;

      CREATE TRIGGER IF NOT EXISTS hub_log_remark AFTER INSERT ON remarks WHEN ${quiet}
      BEGIN
        INSERT INTO hub_log (kind, at, carrier, account, tracking_key, point_id, body)
        SELECT 'remark', NEW.created_at, s.carrier, s.account, s.tracking_key, s.point_id, json_object(
          'text', NEW.text, 'author', NEW.author, 'origin', NEW.origin, 'dedupeKey', NEW.dedupe_key)
        FROM shipments s WHERE s.id = NEW.shipment_id;
      END;

      CREATE TRIGGER IF NOT EXISTS hub_log_counter AFTER INSERT ON counter_audit WHEN ${quiet}
      BEGIN
        INSERT INTO hub_log (kind, at, carrier, account, tracking_key, point_id, body)
        SELECT 'counter', NEW.at, p.carrier, NULL, p.tracking_key, NULL, json_object(
          'action', NEW.action, 'clerk', NEW.clerk, 'state', p.state, 'arrivedAt', p.arrived_at,
          'trackingNumber', p.tracking_number, 'detail', json(coalesce(NEW.detail, 'null')), 'reason', NEW.reason)
        FROM (SELECT NULL) LEFT JOIN counter_parcels p ON p.id = NEW.parcel_id;
      END;

      CREATE TRIGGER IF NOT EXISTS hub_log_write_new AFTER INSERT ON outbox WHEN ${quiet}
      BEGIN
        INSERT INTO hub_log (kind, at, carrier, account, tracking_key, point_id, body)
        VALUES ('outbox', NEW.acted_at, NEW.carrier, NULL, NULL, NULL, json_object(
          'key', NEW.idempotency_key, 'writeKind', NEW.kind, 'state', NEW.state));
      END;

      CREATE TRIGGER IF NOT EXISTS hub_log_write_state AFTER UPDATE OF state ON outbox
      WHEN ${quiet} AND NEW.state <> OLD.state AND NEW.state IN ('sent','failed','discarded')
      BEGIN
        INSERT INTO hub_log (kind, at, carrier, account, tracking_key, point_id, body)
        VALUES ('outbox', NEW.updated_at, NEW.carrier, NULL, NULL, NULL, json_object(
          'key', NEW.idempotency_key, 'writeKind', NEW.kind, 'state', NEW.state, 'errorCode', NEW.last_error_code));
      END;
    `)
  }
}
