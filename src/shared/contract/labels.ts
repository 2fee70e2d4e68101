import { z } from 'zod'
import { noInput, shipmentId } from './schemas'
import { out } from './types'
import { LABEL_SIZE_IDS, type LabelSizeId } from '../label'
import type { LabelWarning } from '../label-warnings'

export type PrinterDriverKind = 'cups-pdf' | 'cups-raw' | 'tcp9100' | 'chromium'

export interface PrinterInfo {
  id: string
  name: string
  driver: PrinterDriverKind
  /** CUPS queue, host:port, or OS printer name. */
  target: string
  format: 'pdf' | 'zpl'
  size: LabelSizeId
  dpi: 203 | 300 | null
  isDefault: boolean
  /** Saved in Guichet's settings (else only seen in the OS list). */
  configured: boolean
}

export interface PrintJobInfo {
  id: number
  shipmentId: number | null
  labelId: number
  printerId: string
  printerName: string
  kind: 'label' | 'reprint' | 'test' | 'calibration'
  state: 'printing' | 'done' | 'failed'
  format: 'pdf' | 'zpl'
  source: 'generated' | 'carrier' | 'test'
  requestedBy: string | null
  error: string | null
  createdAt: string
  finishedAt: string | null
  /** Transliterated fields and other things the clerk must know about this label (worded by the renderer). */
  warnings: LabelWarning[]
}

export interface LabelPreview {
  source: 'generated' | 'carrier'
  size: LabelSizeId | null
  widthMm: number | null
  heightMm: number | null
  /** The exact SVG that the PDF path prints; null for a carrier file (printed as is). */
  svg: string | null
  format: 'pdf' | 'zpl' | 'svg'
  warnings: LabelWarning[]
  /** When it was last printed, so the UI can say "already printed". */
  lastPrintedAt: string | null
}

export interface PrintBatchInfo {
  id: number
  printerId: string
  state: 'running' | 'paused' | 'done'
  total: number
  done: number
  failed: number
  /** Already printed and not asked to reprint: left out, not a failure. */
  skipped: number
  /** Position (0-based) of the next item to print; equals total when finished. */
  next: number
  lastError: string | null
}

const printerId = z.lazy(() => z.string().trim().min(1).max(160))
const labelSize = z.lazy(() => z.enum(LABEL_SIZE_IDS as [LabelSizeId, ...LabelSizeId[]]))
const who = z.lazy(() => z.string().trim().max(64).optional())

export const labelChannels = {
  /** The label as it will print: the same SVG the PDF path uses, or a note that the carrier's file is used. */
  'labels.preview': { input: z.lazy(() => z.strictObject({ shipmentId, size: labelSize.optional() })), output: out<LabelPreview>() },
  /** Prints a shipment's label once. A second print fails with code 'conflict' and reprint: true unless `reprint` is set. */
  'labels.print': {
    input: z.lazy(() =>
      z.strictObject({ shipmentId, printerId, size: labelSize.optional(), reprint: z.boolean().default(false), requestedBy: who })
    ),
    output: out<PrintJobInfo>()
  },
  /** The label as an exact-size PDF file (base64), for "save as PDF" where no printer is set up. */
  'labels.pdf': {
    input: z.lazy(() => z.strictObject({ shipmentId, size: labelSize.optional() })),
    output: out<{ fileName: string; base64: string }>()
  },
  'printers.list': { input: noInput, output: out<PrinterInfo[]>() },
  /** Saves how Guichet drives a printer (driver, format, size, dpi). */
  'printers.save': {
    input: z.lazy(() =>
      z.strictObject({
        name: z.string().trim().min(1).max(80),
        driver: z.enum(['cups-pdf', 'cups-raw', 'tcp9100', 'chromium']),
        target: z.string().trim().min(1).max(160),
        format: z.enum(['pdf', 'zpl']),
        size: labelSize.default('A6'),
        dpi: z
          .union([z.literal(203), z.literal(300)])
          .nullable()
          .default(null)
      })
    ),
    output: out<PrinterInfo>()
  },
  /** A test label, or a calibration page (border and 10 mm ticks) to check size and offset. */
  'printers.testPrint': {
    input: z.lazy(() => z.strictObject({ printerId, kind: z.enum(['test', 'calibration']).default('test'), requestedBy: who })),
    output: out<PrintJobInfo>()
  },
  'printJobs.list': {
    input: z.lazy(() => z.strictObject({ shipmentId: shipmentId.optional(), limit: z.number().int().min(1).max(500).default(50) })),
    output: out<PrintJobInfo[]>()
  },
  /** One-click reprint: the same stored file, on the same printer unless another is given. */
  'printJobs.reprint': {
    input: z.lazy(() => z.strictObject({ jobId: z.number().int().positive(), printerId: printerId.optional(), requestedBy: who })),
    output: out<PrintJobInfo>()
  },
  /** Prints a selection in order; progress comes as 'print.progress' events; a failure pauses the batch. */
  'printBatches.start': {
    input: z.lazy(() =>
      z.strictObject({
        shipmentIds: z.array(shipmentId).min(1).max(1000),
        printerId,
        reprint: z.boolean().default(false),
        requestedBy: who
      })
    ),
    output: out<PrintBatchInfo>()
  },
  'printBatches.resume': { input: z.lazy(() => z.strictObject({ batchId: z.number().int().positive() })), output: out<PrintBatchInfo>() },
  'printBatches.get': { input: z.lazy(() => z.strictObject({ batchId: z.number().int().positive() })), output: out<PrintBatchInfo>() }
}
