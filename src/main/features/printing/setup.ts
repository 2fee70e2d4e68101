// Builds the printing slice for the backend: store, service, drivers and the IPC handlers.
import type { Database } from '../../platform/db/database'
import type { ShipmentRepository } from '../../core/shipments/shipments.repo'
import type { Handlers } from '../../platform/ipc/dispatch'
import type { Clock } from '../../platform/clock'
import type { EventBus } from '../../platform/events'
import type { Logger } from '../../platform/logger'
import type { HtmlToPdf } from '../labels/pdf'
import type { LabelAddress } from '../../../shared/label'
import { listCupsQueues } from './cups'
import { createDriverFactory } from './drivers'
import { execFileAsync } from './exec'
import { PrintService } from './service'
import { PrintStore, type PrinterRow } from './store'
import type { ExecFile, PrinterDriver } from './types'

interface PrintingOptions {
  db: Database
  clock: Clock
  logger: Logger
  events: EventBus
  repo: ShipmentRepository
  /** HTML -> PDF: Electron's printToPDF in the desktop app, Chromium (pdf.chromium.ts) in browser mode. */
  htmlToPdf?: HtmlToPdf | null
  /** Electron silent printing to an OS printer (chromium.electron.ts), desktop only. */
  silentPrint?: (printer: PrinterRow) => PrinterDriver
  exec?: ExecFile
  /** The sender ("From") address for generated labels, read at each print: a change applies to the next label. */
  sender?: () => LabelAddress | null
}

type PrintChannels =
  | 'labels.preview'
  | 'labels.print'
  | 'labels.pdf'
  | 'printers.list'
  | 'printers.save'
  | 'printers.testPrint'
  | 'printJobs.list'
  | 'printJobs.reprint'
  | 'printBatches.start'
  | 'printBatches.resume'
  | 'printBatches.get'

interface PrintingFeature {
  service: PrintService
  handlers: Pick<Handlers, PrintChannels>
  close(): Promise<void>
}

export function createPrintingFeature(o: PrintingOptions): PrintingFeature {
  const exec = o.exec ?? execFileAsync
  const service = new PrintService({
    store: new PrintStore(o.db),
    clock: o.clock,
    logger: o.logger,
    shipment: (id) => {
      const shipment = o.repo.get(id)
      return shipment ? { shipment, carrierData: o.repo.carrierData(id) } : null
    },
    ...(o.sender ? { sender: o.sender } : {}),
    htmlToPdf: o.htmlToPdf ?? null,
    driverFor: createDriverFactory(exec, o.silentPrint),
    listQueues: () => listCupsQueues(exec).catch(() => []),
    onBatchProgress: (info) => o.events.emit('print.progress', info)
  })
  const handlers: Pick<Handlers, PrintChannels> = {
    'labels.preview': ({ shipmentId, size }) => service.preview(shipmentId, size),
    'labels.print': (i) => service.printShipment(i),
    'labels.pdf': ({ shipmentId, size }) => service.pdf(shipmentId, size),
    'printers.list': () => service.listPrinters(),
    'printers.save': (i) => service.savePrinter(i),
    'printers.testPrint': ({ printerId, kind, requestedBy }) => service.testPrint(printerId, kind, requestedBy),
    'printJobs.list': (f) => service.jobs(f),
    'printJobs.reprint': ({ jobId, printerId, requestedBy }) => service.reprint(jobId, printerId, requestedBy),
    'printBatches.start': (i) => service.startBatch(i),
    'printBatches.resume': ({ batchId }) => service.resumeBatch(batchId),
    'printBatches.get': ({ batchId }) => service.batch(batchId)
  }
  return { service, handlers, close: async () => o.htmlToPdf?.close() }
}
