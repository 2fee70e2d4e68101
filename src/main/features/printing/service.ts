// Printing a shipment's label: pick the right file (the carrier's, as is, or one we draw), send
// it through the printer's driver, keep the job for reprint, refuse an accidental second print.
import { LABEL_SIZES, mmToPoints, type LabelLayout, type LabelSizeId, type ZplDpi, type LabelAddress } from '../../../shared/label'
import type { LabelPreview, PrintBatchInfo, PrinterInfo, PrintJobInfo } from '../../../shared/contract/labels'
import type { Shipment } from '../../../shared/domain'
import type { LabelWarning } from '../../../shared/label-warnings'
import { GuichetError } from '../../../shared/result'
import type { Clock } from '../../platform/clock'
import type { Logger } from '../../platform/logger'
import { calibrationLayout } from '../labels/calibration'
import { checkCarrierLabel } from '../labels/carrier'
import { buildLabelModel, draftFromShipment } from '../labels/model'
import type { HtmlToPdf } from '../labels/pdf'
import { setPdfPageSize } from '../labels/pdfbox'
import { testPageLabel } from '../labels/samples'
import { layoutToSvg, svgToHtml } from '../labels/svg'
import { layoutToZpl } from '../labels/zpl'
import { layoutLabel } from '../../../shared/label'
import type { CupsQueue } from './cups'
import type { LabelFile, PrinterRow, PrintStore } from './store'
import type { PrinterDriver } from './types'

interface PrintServiceDeps {
  store: PrintStore
  clock: Clock
  logger: Logger
  /** The shipment and its carrier data, or null when unknown. */
  shipment(id: number): { shipment: Shipment; carrierData: Record<string, unknown> | null } | null
  /** This counter's sender address for generated labels, if any. */
  sender?: () => LabelAddress | null
  /** null where no Chromium is available: PDF printers then refuse generated labels clearly. */
  htmlToPdf: HtmlToPdf | null
  /** The driver for a printer (CUPS, TCP, Electron silent print). */
  driverFor(printer: PrinterRow): PrinterDriver
  /** The OS queues (lpstat); [] when there is no print system. */
  listQueues(): Promise<CupsQueue[]>
  /** Batch progress, for the 'print.progress' event. */
  onBatchProgress?(info: PrintBatchInfo): void
}

interface Rendered {
  bytes: Buffer
  warnings: LabelWarning[]
}

const PDF_TARGET = { format: 'pdf', dpi: null } as const

export class PrintService {
  /** Shipments with a print on its way: a double click arrives before the first job is stored. */
  private readonly inFlight = new Set<number>()
  private readonly running = new Map<number, Promise<PrintBatchInfo>>()

  /** A label or a batch is printing right now: the updater never restarts over it. */
  isBusy(): boolean {
    return this.inFlight.size > 0 || this.running.size > 0
  }

  constructor(private readonly d: PrintServiceDeps) {
    const n = d.store.pauseInterrupted(d.clock.now())
    if (n) d.logger.info('print.batches_paused_at_start', { batches: n })
  }

  // --- printers --------------------------------------------------------------------------

  async listPrinters(): Promise<PrinterInfo[]> {
    const configured = this.d.store.printers()
    const queues = await this.d.listQueues()
    const out: PrinterInfo[] = configured.map((p) => ({
      ...p,
      isDefault: queues.some((q) => q.isDefault && `cups:${q.name}` === p.id),
      configured: true
    }))
    for (const q of queues) {
      const id = `cups:${q.name}`
      if (out.some((p) => p.id === id)) continue
      out.push({ ...fromQueue(q), isDefault: q.isDefault, configured: false })
    }
    return out
  }

  savePrinter(input: Omit<PrinterRow, 'id'>): PrinterInfo {
    if (input.driver === 'tcp9100' && !/^[A-Za-z0-9.-]{1,120}(:\d{1,5})?$/.test(input.target)) {
      throw new GuichetError('invalid_input', 'A network label printer is "host" or "host:port" (port 9100 by default).', {
        field: 'target'
      })
    }
    if ((input.driver === 'tcp9100' || input.driver === 'cups-raw') && input.format !== 'zpl')
      throw new GuichetError('invalid_input', 'A raw printer takes ZPL.', { field: 'format' })
    if ((input.driver === 'cups-pdf' || input.driver === 'chromium') && input.format !== 'pdf')
      throw new GuichetError('invalid_input', 'This driver prints PDF.', { field: 'format' })
    const id =
      input.driver === 'tcp9100' ? `tcp:${input.target}` : input.driver === 'chromium' ? `os:${input.target}` : `cups:${input.target}`
    const row: PrinterRow = { ...input, id, dpi: input.format === 'zpl' ? (input.dpi ?? 203) : null }
    this.d.store.savePrinter(row, this.d.clock.now())
    return { ...row, isDefault: false, configured: true }
  }

  private async printer(id: string): Promise<PrinterRow> {
    const saved = this.d.store.printer(id)
    if (saved) return saved
    if (id.startsWith('cups:')) {
      const q = (await this.d.listQueues()).find((x) => `cups:${x.name}` === id)
      if (q) return fromQueue(q)
    }
    throw new GuichetError('not_found', 'That printer is not known any more; pick one from the list.', { field: 'printerId' })
  }

  // --- labels ------------------------------------------------------------------------------

  private draftModel(shipmentId: number) {
    const found = this.d.shipment(shipmentId)
    if (!found) throw new GuichetError('not_found', `Shipment ${shipmentId} is not in the local store.`, { field: 'shipmentId' })
    const model = buildLabelModel(draftFromShipment(found.shipment, found.carrierData, this.d.sender?.() ?? null))
    return { model, shipment: found.shipment }
  }

  preview(shipmentId: number, size: LabelSizeId = 'A6'): LabelPreview {
    const last = this.d.store.lastLabelPrint(shipmentId)
    const carrier = this.d.store.carrierLabel(shipmentId)
    if (carrier) {
      const dims = carrier.size ? LABEL_SIZES[carrier.size] : null
      return {
        source: 'carrier',
        size: carrier.size,
        widthMm: dims?.widthMm ?? null,
        heightMm: dims?.heightMm ?? null,
        svg: null,
        format: carrier.format,
        warnings: carrier.warnings,
        lastPrintedAt: last?.createdAt ?? null
      }
    }
    const { model } = this.draftModel(shipmentId)
    const layout = layoutLabel(model, size)
    // The same fields a ZPL printer would transliterate, said before printing.
    const warnings = [...model.warnings, ...layoutToZpl(layout, 203).warnings]
    return {
      source: 'generated',
      size,
      widthMm: layout.widthMm,
      heightMm: layout.heightMm,
      svg: layoutToSvg(layout),
      format: 'svg',
      warnings,
      lastPrintedAt: last?.createdAt ?? null
    }
  }

  /**
   * The label as an exact-size PDF file, for "save as PDF" where no printer is set up (browser
   * mode): a carrier's PDF as it came, else Guichet's own layout through the same PDF path.
   */
  async pdf(shipmentId: number, size: LabelSizeId = 'A6'): Promise<{ fileName: string; base64: string }> {
    const carrier = this.d.store.carrierLabel(shipmentId)
    if (carrier && carrier.format !== 'pdf') throw new GuichetError('unsupported', 'The carrier sent this label as ZPL, not PDF.')
    const { model, shipment } = this.draftModel(shipmentId)
    const bytes = carrier ? carrier.content : (await this.render(layoutLabel(model, size), PDF_TARGET)).bytes
    return { fileName: `${shipment.trackingNumber.replace(/[^A-Za-z0-9_-]/g, '')}.pdf`, base64: Buffer.from(bytes).toString('base64') }
  }

  private async render(layout: LabelLayout, printer: Pick<PrinterRow, 'format' | 'dpi'>): Promise<Rendered> {
    if (printer.format === 'zpl') {
      const z = layoutToZpl(layout, (printer.dpi ?? 203) as ZplDpi)
      return { bytes: Buffer.from(z.zpl, 'utf8'), warnings: z.warnings }
    }
    if (!this.d.htmlToPdf)
      throw new GuichetError('unsupported', 'PDF labels need Chromium, which is not available here; use a ZPL printer.')
    const html = svgToHtml(layoutToSvg(layout), layout.size)
    const raw = await this.d.htmlToPdf.render(html, layout.size)
    const fixed = setPdfPageSize(raw, mmToPoints(layout.widthMm), mmToPoints(layout.heightMm))
    if (!fixed.fixed) this.d.logger.warn('print.pdf_size_not_fixed', { size: layout.size })
    return { bytes: fixed.pdf, warnings: [] }
  }

  /** Stores a label a carrier returned (PDF or ZPL), to be printed as it is. */
  saveCarrierLabel(
    shipmentId: number,
    declared: 'pdf' | 'zpl' | undefined,
    bytes: Buffer,
    size: LabelSizeId | null = null,
    dpi: number | null = null
  ): LabelFile {
    const format = checkCarrierLabel(bytes, declared)
    const found = this.d.shipment(shipmentId)
    return this.d.store.saveLabel(
      {
        shipmentId,
        carrier: found?.shipment.carrier ?? null,
        trackingNumber: found?.shipment.trackingNumber ?? null,
        source: 'carrier',
        format,
        size,
        dpi,
        content: bytes,
        warnings: []
      },
      this.d.clock.now()
    )
  }

  /**
   * Prints a shipment's label once. A second print is refused with 'conflict' and reprint: true
   * until the clerk confirms (reprint: true). Checked synchronously, so a double click prints once.
   */
  async printShipment(input: {
    shipmentId: number
    printerId: string
    size?: LabelSizeId | undefined
    reprint: boolean
    requestedBy?: string | undefined
    batchId?: number
  }): Promise<PrintJobInfo> {
    const { shipmentId } = input
    if (this.inFlight.has(shipmentId)) throw new GuichetError('conflict', 'This label is being printed right now.', { reprint: false })
    if (!input.reprint) {
      const last = this.d.store.lastLabelPrint(shipmentId)
      if (last)
        throw new GuichetError('conflict', `This label was already printed on ${last.printerName} at ${last.createdAt}. Print it again?`, {
          reprint: true
        })
    }
    this.inFlight.add(shipmentId)
    try {
      const printer = await this.printer(input.printerId)
      const driver = this.d.driverFor(printer)
      let label = this.d.store.carrierLabel(shipmentId)
      if (label && !driver.accepts.includes(label.format)) {
        throw new GuichetError(
          'unsupported',
          `The carrier's label is ${label.format.toUpperCase()} and ${printer.name} takes ${driver.accepts.join('/').toUpperCase()}; it is printed as the carrier made it, so choose a ${label.format.toUpperCase()} printer.`
        )
      }
      let html: string | undefined
      if (!label) {
        const { model, shipment } = this.draftModel(shipmentId)
        const size = input.size ?? printer.size
        const layout = layoutLabel(model, size)
        if (driver.kind === 'chromium') html = svgToHtml(layoutToSvg(layout), size)
        const r = await this.render(layout, printer)
        label = this.d.store.saveLabel(
          {
            shipmentId,
            carrier: shipment.carrier,
            trackingNumber: shipment.trackingNumber,
            source: 'generated',
            format: printer.format,
            size,
            dpi: printer.format === 'zpl' ? printer.dpi : null,
            content: r.bytes,
            warnings: [...model.warnings, ...r.warnings]
          },
          this.d.clock.now()
        )
      }
      const kind = this.d.store.lastLabelPrint(shipmentId) ? 'reprint' : 'label'
      return await this.send(label, printer, driver, kind, input.requestedBy ?? null, input.batchId ?? null, html)
    } finally {
      this.inFlight.delete(shipmentId)
    }
  }

  private async send(
    label: LabelFile,
    printer: PrinterRow,
    driver: PrinterDriver,
    kind: PrintJobInfo['kind'],
    requestedBy: string | null,
    batchId: number | null,
    html?: string
  ): Promise<PrintJobInfo> {
    if (!driver.accepts.includes(label.format))
      throw new GuichetError(
        'unsupported',
        `${printer.name} takes ${driver.accepts.join('/').toUpperCase()}, this label is ${label.format.toUpperCase()}.`
      )
    const jobId = this.d.store.startJob(
      { labelId: label.id, shipmentId: label.shipmentId, printer, kind, requestedBy, batchId },
      this.d.clock.now()
    )
    try {
      const r = await driver.print({
        format: label.format,
        bytes: label.content,
        size: label.size,
        title: `guichet-${kind}-${jobId}`,
        copies: 1,
        ...(html ? { html } : {})
      })
      this.d.store.finishJob(jobId, { ok: true, externalId: r.externalId }, this.d.clock.now())
      this.d.logger.info('print.done', { jobId, printer: printer.id, kind, shipmentId: label.shipmentId })
    } catch (e) {
      const err = e instanceof GuichetError ? e : new GuichetError('internal', 'The printer driver failed.')
      if (!(e instanceof GuichetError)) this.d.logger.error('print.driver_failed', { jobId, error: e })
      this.d.store.finishJob(jobId, { ok: false, error: err.message }, this.d.clock.now())
      throw err
    }
    return this.d.store.job(jobId)!
  }

  /** One click: the very same file again, on the same printer unless another is chosen. */
  async reprint(jobId: number, printerId?: string, requestedBy?: string): Promise<PrintJobInfo> {
    const job = this.d.store.job(jobId)
    if (!job) throw new GuichetError('not_found', `Print job ${jobId} does not exist.`, { field: 'jobId' })
    const label = this.d.store.label(job.labelId)!
    const printer = await this.printer(printerId ?? job.printerId)
    const kind = job.kind === 'test' || job.kind === 'calibration' ? job.kind : 'reprint'
    const driver = this.d.driverFor(printer)
    // Silent printing draws HTML, not the stored PDF: the same layout is drawn again from the shipment.
    let html: string | undefined
    if (driver.kind === 'chromium' && label.source === 'generated' && label.shipmentId != null && label.size) {
      html = svgToHtml(layoutToSvg(layoutLabel(this.draftModel(label.shipmentId).model, label.size)), label.size)
    }
    return this.send(label, printer, driver, kind, requestedBy ?? null, null, html)
  }

  async testPrint(printerId: string, kind: 'test' | 'calibration', requestedBy?: string): Promise<PrintJobInfo> {
    const printer = await this.printer(printerId)
    const layout = kind === 'test' ? layoutLabel(testPageLabel(printer.name), printer.size) : calibrationLayout(printer.size, printer.name)
    const r = await this.render(layout, printer)
    const html = svgToHtml(layoutToSvg(layout), layout.size)
    const label = this.d.store.saveLabel(
      {
        shipmentId: null,
        source: 'test',
        format: printer.format,
        size: printer.size,
        dpi: printer.format === 'zpl' ? printer.dpi : null,
        content: r.bytes,
        warnings: r.warnings
      },
      this.d.clock.now()
    )
    return this.send(label, printer, this.d.driverFor(printer), kind, requestedBy ?? null, null, html)
  }

  jobs(filter: { shipmentId?: number | undefined; limit: number }): PrintJobInfo[] {
    return this.d.store.jobs(filter)
  }

  // --- batches ------------------------------------------------------------------------------

  /** Starts printing a selection in order; returns at once, progress follows as events. */
  startBatch(input: { shipmentIds: number[]; printerId: string; reprint: boolean; requestedBy?: string | undefined }): PrintBatchInfo {
    const id = this.d.store.createBatch(
      { printerId: input.printerId, shipmentIds: input.shipmentIds, reprint: input.reprint, requestedBy: input.requestedBy ?? null },
      this.d.clock.now()
    )
    this.run(id)
    return this.d.store.batch(id)!
  }

  resumeBatch(id: number): PrintBatchInfo {
    const b = this.d.store.batch(id)
    if (!b) throw new GuichetError('not_found', `Print batch ${id} does not exist.`, { field: 'batchId' })
    if (b.state === 'done' || this.running.has(id)) return b
    this.d.store.setBatchState(id, 'running', this.d.clock.now())
    this.run(id)
    return this.d.store.batch(id)!
  }

  batch(id: number): PrintBatchInfo {
    const b = this.d.store.batch(id)
    if (!b) throw new GuichetError('not_found', `Print batch ${id} does not exist.`, { field: 'batchId' })
    return b
  }

  /** Resolves when the batch stops (done or paused); for tests and for shutdown. */
  whenSettled(id: number): Promise<PrintBatchInfo> {
    return this.running.get(id) ?? Promise.resolve(this.batch(id))
  }

  private run(id: number): void {
    const p = this.loop(id).finally(() => this.running.delete(id))
    this.running.set(id, p)
  }

  private async loop(id: number): Promise<PrintBatchInfo> {
    const row = this.d.store.batchRow(id)!
    for (;;) {
      const item = this.d.store.nextBatchItem(id)
      if (!item) {
        this.d.store.setBatchState(id, 'done', this.d.clock.now())
        break
      }
      try {
        const job = await this.printShipment({
          shipmentId: item.shipment_id,
          printerId: row.printer_id,
          reprint: row.reprint === 1,
          requestedBy: row.requested_by ?? undefined,
          batchId: id
        })
        this.d.store.setBatchItem(id, item.position, 'done', job.id, null)
      } catch (e) {
        const err = e instanceof GuichetError ? e : new GuichetError('internal', 'Printing failed.')
        if (err.code === 'conflict' && err.reprint) {
          this.d.store.setBatchItem(id, item.position, 'skipped', null, err.message)
        } else {
          // Stop in order: the rest waits until the clerk fixes the printer and resumes.
          this.d.store.setBatchItem(id, item.position, 'failed', null, err.message)
          this.d.store.setBatchState(id, 'paused', this.d.clock.now())
          this.progress(id)
          break
        }
      }
      this.progress(id)
    }
    const info = this.d.store.batch(id)!
    this.d.onBatchProgress?.(info)
    return info
  }

  private progress(id: number): void {
    const info = this.d.store.batch(id)
    if (info) this.d.onBatchProgress?.(info)
  }
}

function fromQueue(q: CupsQueue): PrinterRow {
  const zpl = q.guessedFormat === 'zpl'
  return {
    id: `cups:${q.name}`,
    name: q.name,
    driver: zpl ? 'cups-raw' : 'cups-pdf',
    target: q.name,
    format: q.guessedFormat,
    size: zpl ? '4x6' : 'A6',
    dpi: zpl ? 203 : null
  }
}
