// Label files, printers, jobs and batches in SQLite (schema v2). Label bytes are stored as they
// were printed, so a reprint sends exactly the same file.
// Table owner: `label_files`, `printers`, `print_jobs`, `print_batches`, `print_batch_items`.
import { createHash } from 'node:crypto'
import type { Database } from '../../platform/db/database'
import type { LabelSizeId } from '../../../shared/label'
import { readLabelWarnings, type LabelWarning } from '../../../shared/label-warnings'
import type { PrintBatchInfo, PrinterDriverKind, PrintJobInfo } from '../../../shared/contract/labels'
import { iso } from '../../platform/clock'
import type { PrintFormat } from './types'

export interface LabelFile {
  id: number
  shipmentId: number | null
  source: 'generated' | 'carrier' | 'test'
  format: PrintFormat
  size: LabelSizeId | null
  dpi: number | null
  content: Buffer
  sha256: string
  warnings: LabelWarning[]
  createdAt: number
}

export interface PrinterRow {
  id: string
  name: string
  driver: PrinterDriverKind
  target: string
  format: PrintFormat
  size: LabelSizeId
  dpi: 203 | 300 | null
}

interface LabelRow {
  id: number
  shipment_id: number | null
  source: LabelFile['source']
  format: PrintFormat
  size: LabelSizeId | null
  dpi: number | null
  content: Buffer
  sha256: string
  warnings: string | null
  created_at: number
}
const toLabel = (r: LabelRow): LabelFile => ({
  id: r.id,
  shipmentId: r.shipment_id,
  source: r.source,
  format: r.format,
  size: r.size,
  dpi: r.dpi,
  content: r.content,
  sha256: r.sha256,
  warnings: readLabelWarnings(r.warnings),
  createdAt: r.created_at
})

interface JobRow {
  id: number
  label_id: number
  shipment_id: number | null
  printer_id: string
  printer_name: string
  kind: PrintJobInfo['kind']
  state: PrintJobInfo['state']
  requested_by: string | null
  error: string | null
  created_at: number
  finished_at: number | null
  format: PrintFormat
  source: PrintJobInfo['source']
  warnings: string | null
}
const toJob = (r: JobRow): PrintJobInfo => ({
  id: r.id,
  shipmentId: r.shipment_id,
  labelId: r.label_id,
  printerId: r.printer_id,
  printerName: r.printer_name,
  kind: r.kind,
  state: r.state,
  format: r.format,
  source: r.source,
  requestedBy: r.requested_by,
  error: r.error,
  createdAt: iso(r.created_at)!,
  finishedAt: iso(r.finished_at),
  warnings: readLabelWarnings(r.warnings)
})
const JOB_SELECT = `SELECT j.*, l.format, l.source, l.warnings FROM print_jobs j JOIN label_files l ON l.id = j.label_id`

export class PrintStore {
  constructor(private readonly db: Database) {}

  /** Stores a label file; the same bytes for the same shipment are kept once. */
  saveLabel(
    f: {
      shipmentId: number | null
      carrier?: string | null
      trackingNumber?: string | null
      source: LabelFile['source']
      format: PrintFormat
      size: LabelSizeId | null
      dpi: number | null
      content: Buffer
      warnings: LabelWarning[]
    },
    now: number
  ): LabelFile {
    const sha256 = createHash('sha256').update(f.content).digest('hex')
    const same = this.db
      .prepare('SELECT * FROM label_files WHERE sha256 = ? AND shipment_id IS ? AND source = ? ORDER BY id DESC LIMIT 1')
      .get(sha256, f.shipmentId, f.source) as LabelRow | undefined
    if (same) return toLabel(same)
    const id = this.db
      .prepare(
        `INSERT INTO label_files (shipment_id, carrier, tracking_number, source, format, size, dpi, content, sha256, warnings, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
      )
      .run(
        f.shipmentId,
        f.carrier ?? null,
        f.trackingNumber ?? null,
        f.source,
        f.format,
        f.size,
        f.dpi,
        f.content,
        sha256,
        f.warnings.length ? JSON.stringify(f.warnings) : null,
        now
      ).lastInsertRowid as number
    return this.label(id)!
  }

  label(id: number): LabelFile | null {
    const r = this.db.prepare('SELECT * FROM label_files WHERE id = ?').get(id) as LabelRow | undefined
    return r ? toLabel(r) : null
  }

  /** The newest file a carrier returned for this shipment, if any. */
  carrierLabel(shipmentId: number): LabelFile | null {
    const r = this.db
      .prepare(`SELECT * FROM label_files WHERE shipment_id = ? AND source = 'carrier' ORDER BY id DESC LIMIT 1`)
      .get(shipmentId) as LabelRow | undefined
    return r ? toLabel(r) : null
  }

  savePrinter(p: PrinterRow, now: number): void {
    this.db
      .prepare(
        `INSERT INTO printers (id, name, driver, target, format, size, dpi, updated_at) VALUES (@id, @name, @driver, @target, @format, @size, @dpi, @now)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, driver = excluded.driver, target = excluded.target, format = excluded.format,
           size = excluded.size, dpi = excluded.dpi, updated_at = excluded.updated_at`
      )
      .run({ ...p, now })
  }
  printer(id: string): PrinterRow | null {
    return (
      (this.db.prepare('SELECT id, name, driver, target, format, size, dpi FROM printers WHERE id = ?').get(id) as
        PrinterRow | undefined) ?? null
    )
  }
  printers(): PrinterRow[] {
    return this.db.prepare('SELECT id, name, driver, target, format, size, dpi FROM printers ORDER BY name').all() as PrinterRow[]
  }

  startJob(
    j: {
      labelId: number
      shipmentId: number | null
      printer: PrinterRow
      kind: PrintJobInfo['kind']
      requestedBy: string | null
      batchId?: number | null
    },
    now: number
  ): number {
    return this.db
      .prepare(
        `INSERT INTO print_jobs (label_id, shipment_id, printer_id, printer_name, kind, state, requested_by, batch_id, created_at)
         VALUES (?, ?, ?, ?, ?, 'printing', ?, ?, ?)`
      )
      .run(j.labelId, j.shipmentId, j.printer.id, j.printer.name, j.kind, j.requestedBy, j.batchId ?? null, now).lastInsertRowid as number
  }
  finishJob(id: number, r: { ok: true; externalId: string | null } | { ok: false; error: string }, now: number): void {
    if (r.ok)
      this.db.prepare(`UPDATE print_jobs SET state = 'done', external_id = ?, finished_at = ? WHERE id = ?`).run(r.externalId, now, id)
    else
      this.db.prepare(`UPDATE print_jobs SET state = 'failed', error = ?, finished_at = ? WHERE id = ?`).run(r.error.slice(0, 500), now, id)
  }
  job(id: number): PrintJobInfo | null {
    const r = this.db.prepare(`${JOB_SELECT} WHERE j.id = ?`).get(id) as JobRow | undefined
    return r ? toJob(r) : null
  }
  jobs(filter: { shipmentId?: number | undefined; limit: number }): PrintJobInfo[] {
    const rows = (
      filter.shipmentId != null
        ? this.db.prepare(`${JOB_SELECT} WHERE j.shipment_id = ? ORDER BY j.id DESC LIMIT ?`).all(filter.shipmentId, filter.limit)
        : this.db.prepare(`${JOB_SELECT} ORDER BY j.id DESC LIMIT ?`).all(filter.limit)
    ) as JobRow[]
    return rows.map(toJob)
  }
  /** The last label print of a shipment that did not fail: a new print is a reprint. */
  lastLabelPrint(shipmentId: number): PrintJobInfo | null {
    const r = this.db
      .prepare(`${JOB_SELECT} WHERE j.shipment_id = ? AND j.kind IN ('label','reprint') AND j.state != 'failed' ORDER BY j.id DESC LIMIT 1`)
      .get(shipmentId) as JobRow | undefined
    return r ? toJob(r) : null
  }

  createBatch(b: { printerId: string; shipmentIds: number[]; reprint: boolean; requestedBy: string | null }, now: number): number {
    return this.db.transaction(() => {
      const id = this.db
        .prepare(
          `INSERT INTO print_batches (printer_id, state, reprint, requested_by, created_at, updated_at) VALUES (?, 'running', ?, ?, ?, ?)`
        )
        .run(b.printerId, b.reprint ? 1 : 0, b.requestedBy, now, now).lastInsertRowid as number
      const ins = this.db.prepare('INSERT INTO print_batch_items (batch_id, position, shipment_id) VALUES (?, ?, ?)')
      b.shipmentIds.forEach((s, i) => ins.run(id, i, s))
      return id
    })()
  }
  batchRow(
    id: number
  ): { id: number; printer_id: string; state: PrintBatchInfo['state']; reprint: number; requested_by: string | null } | null {
    return (this.db.prepare('SELECT id, printer_id, state, reprint, requested_by FROM print_batches WHERE id = ?').get(id) as never) ?? null
  }
  setBatchState(id: number, state: PrintBatchInfo['state'], now: number): void {
    this.db.prepare('UPDATE print_batches SET state = ?, updated_at = ? WHERE id = ?').run(state, now, id)
  }
  /** The first item not yet printed or skipped, in order. */
  nextBatchItem(id: number): { position: number; shipment_id: number } | null {
    return (
      (this.db
        .prepare(
          `SELECT position, shipment_id FROM print_batch_items WHERE batch_id = ? AND state IN ('pending','failed') ORDER BY position LIMIT 1`
        )
        .get(id) as never) ?? null
    )
  }
  setBatchItem(id: number, position: number, state: 'done' | 'failed' | 'skipped', jobId: number | null, error: string | null): void {
    this.db
      .prepare('UPDATE print_batch_items SET state = ?, job_id = ?, error = ? WHERE batch_id = ? AND position = ?')
      .run(state, jobId, error, id, position)
  }
  batch(id: number): PrintBatchInfo | null {
    const b = this.batchRow(id)
    if (!b) return null
    const counts = this.db.prepare('SELECT state, COUNT(*) n FROM print_batch_items WHERE batch_id = ? GROUP BY state').all(id) as Array<{
      state: string
      n: number
    }>
    const n = (s: string) => counts.find((c) => c.state === s)?.n ?? 0
    const total = counts.reduce((a, c) => a + c.n, 0)
    const next = this.nextBatchItem(id)
    const lastError =
      (
        this.db.prepare(`SELECT error FROM print_batch_items WHERE batch_id = ? AND state = 'failed' ORDER BY position LIMIT 1`).get(id) as
          { error: string } | undefined
      )?.error ?? null
    return {
      id,
      printerId: b.printer_id,
      state: b.state,
      total,
      done: n('done'),
      failed: n('failed'),
      skipped: n('skipped'),
      next: next ? next.position : total,
      lastError
    }
  }
  /** Batches cut off by a quit or a crash: paused, to be resumed by the clerk. */
  pauseInterrupted(now: number): number {
    return this.db.prepare(`UPDATE print_batches SET state = 'paused', updated_at = ? WHERE state = 'running'`).run(now).changes
  }
}
