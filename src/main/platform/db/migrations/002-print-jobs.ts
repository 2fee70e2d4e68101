import type { Migration } from './types'

// Schema version 2: label files (generated or returned by a carrier, kept byte for byte),
// configured printers, every print job (for one-click reprint), and resumable print batches.
export const migration002: Migration = {
  version: 2,
  name: 'print-jobs',
  up(db) {
    db.exec(`
      CREATE TABLE label_files (
        id            INTEGER PRIMARY KEY,
        shipment_id   INTEGER REFERENCES shipments(id) ON DELETE SET NULL,
        carrier       TEXT,
        tracking_number TEXT,
        source        TEXT    NOT NULL CHECK (source IN ('generated','carrier','test')),
        format        TEXT    NOT NULL CHECK (format IN ('pdf','zpl')),
        size          TEXT,                -- A6, 4x6, A5, A7; NULL when a carrier file does not say
        dpi           INTEGER,             -- ZPL only
        content       BLOB    NOT NULL,    -- exactly the bytes sent to the printer
        sha256        TEXT    NOT NULL,
        warnings      TEXT,                -- JSON array, shown before printing
        created_at    INTEGER NOT NULL
      );
      CREATE INDEX label_files_shipment ON label_files(shipment_id, created_at) WHERE shipment_id IS NOT NULL;

      CREATE TABLE printers (
        id            TEXT    PRIMARY KEY,  -- 'cups:<queue>' or 'tcp:<host>:<port>'
        name          TEXT    NOT NULL,
        driver        TEXT    NOT NULL CHECK (driver IN ('cups-pdf','cups-raw','tcp9100','chromium')),
        target        TEXT    NOT NULL,     -- CUPS queue name, host:port, or OS printer name
        format        TEXT    NOT NULL CHECK (format IN ('pdf','zpl')),
        size          TEXT    NOT NULL DEFAULT 'A6',
        dpi           INTEGER,
        updated_at    INTEGER NOT NULL
      );

      CREATE TABLE print_jobs (
        id            INTEGER PRIMARY KEY,
        label_id      INTEGER NOT NULL REFERENCES label_files(id),
        shipment_id   INTEGER REFERENCES shipments(id) ON DELETE SET NULL,
        printer_id    TEXT    NOT NULL,
        printer_name  TEXT    NOT NULL,
        kind          TEXT    NOT NULL CHECK (kind IN ('label','reprint','test','calibration')),
        state         TEXT    NOT NULL CHECK (state IN ('printing','done','failed')),
        requested_by  TEXT,
        batch_id      INTEGER,
        external_id   TEXT,                 -- the OS queue's job id (lp "request id")
        error         TEXT,
        created_at    INTEGER NOT NULL,
        finished_at   INTEGER
      );
      CREATE INDEX print_jobs_shipment ON print_jobs(shipment_id, created_at) WHERE shipment_id IS NOT NULL;
      CREATE INDEX print_jobs_created ON print_jobs(created_at);

      CREATE TABLE print_batches (
        id            INTEGER PRIMARY KEY,
        printer_id    TEXT    NOT NULL,
        state         TEXT    NOT NULL CHECK (state IN ('running','paused','done')),
        reprint       INTEGER NOT NULL DEFAULT 0,
        requested_by  TEXT,
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL
      );
      CREATE TABLE print_batch_items (
        batch_id      INTEGER NOT NULL REFERENCES print_batches(id) ON DELETE CASCADE,
        position      INTEGER NOT NULL,
        shipment_id   INTEGER NOT NULL,
        state         TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','done','failed','skipped')),
        job_id        INTEGER,
        error         TEXT,
        PRIMARY KEY (batch_id, position)
      );
    `)
  }
}
