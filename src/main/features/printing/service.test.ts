import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from '../../platform/db/database'
import { ShipmentRepository } from '../../core/shipments/shipments.repo'
import { createDispatch } from '../../platform/ipc/dispatch'
import { ManualClock } from '../../platform/clock'
import { EventBus } from '../../platform/events'
import { silentLogger } from '../../platform/logger'
import { GuichetError } from '../../../shared/result'
import type { PrintBatchInfo } from '../../../shared/contract/labels'
import type { HtmlToPdf } from '../labels/pdf'
import type { LabelAddress } from '../../../shared/label'
import { parseLpstat } from './cups'
import { createPrintingFeature } from './setup'
import type { PrinterRow } from './store'
import type { PrinterDriver, PrintPayload } from './types'

/** A driver that records what it was sent, and can be switched off like an unplugged printer. */
class FakeDriver implements PrinterDriver {
  readonly kind = 'tcp9100' as const
  sent: PrintPayload[] = []
  offline = false
  constructor(readonly accepts: readonly ('pdf' | 'zpl')[]) {}
  async print(p: PrintPayload) {
    await new Promise((r) => setTimeout(r, 1))
    if (this.offline) throw new GuichetError('offline', 'The printer is not reachable.', { retryable: true })
    this.sent.push(p)
    return { externalId: `job-${this.sent.length}` }
  }
}

const fakePdf: HtmlToPdf = {
  async render(html) {
    return Buffer.from(`%PDF-1.4\n% fake ${html.length}\ntrailer\n<</Size 1 /Root 1 0 R>>\nstartxref\n0\n%%EOF\n`, 'latin1')
  },
  async close() {}
}

let db: Database
let repo: ShipmentRepository
let zebra: FakeDriver
let laser: FakeDriver
let events: EventBus
let ids: number[]
const clock = new ManualClock()

function setup(exec?: Parameters<typeof createPrintingFeature>[0]['exec'], sender?: () => LabelAddress | null) {
  const printing = createPrintingFeature({
    db,
    clock,
    logger: silentLogger,
    events,
    repo,
    htmlToPdf: fakePdf,
    ...(exec ? { exec } : {}),
    ...(sender ? { sender } : {})
  })
  // Route the drivers to the fakes; the factory itself is covered by the CUPS/TCP tests.
  ;(printing.service as unknown as { d: { driverFor: (p: PrinterRow) => PrinterDriver } }).d.driverFor = (p) =>
    p.format === 'zpl' ? zebra : laser
  return printing
}

beforeEach(() => {
  db = openDatabase(':memory:').db
  repo = new ShipmentRepository(db)
  events = new EventBus()
  zebra = new FakeDriver(['zpl'])
  laser = new FakeDriver(['pdf'])
  ids = ['ECO-1001', 'ECO-1002', 'ECO-1003', 'ECO-1004'].map((t, i) =>
    repo.insert({
      carrier: 'ecotrack',
      account: 'main',
      trackingNumber: t,
      recipientName: `Client ${i}`,
      point: { id: 'P1', name: 'Stop desk', address: 'Rue A 1, 16000 Alger' },
      createdAt: clock.now()
    })
  )
})
afterEach(() => db.close())

describe('PrintService', () => {
  it('prints once; a second print is a conflict with reprint: true until confirmed', async () => {
    const p = setup()
    const zpl = p.service.savePrinter({ name: 'Zebra', driver: 'tcp9100', target: '127.0.0.1:9100', format: 'zpl', size: '4x6', dpi: 203 })
    const job = await p.service.printShipment({ shipmentId: ids[0]!, printerId: zpl.id, reprint: false, requestedBy: 'amina' })
    expect(job).toMatchObject({
      kind: 'label',
      state: 'done',
      format: 'zpl',
      source: 'generated',
      printerName: 'Zebra',
      requestedBy: 'amina'
    })
    expect(zebra.sent[0]!.bytes.toString()).toContain('^FDECO-1001^FS')

    const dispatch = createDispatch(p.handlers as never, silentLogger)
    const again = await dispatch('labels.print', { shipmentId: ids[0], printerId: zpl.id })
    expect(again.ok).toBe(false)
    if (!again.ok) {
      expect(again.error.code).toBe('conflict')
      expect(again.error.reprint).toBe(true)
      expect(again.error.message).toMatch(/already printed on Zebra/)
    }
    const confirmed = await dispatch('labels.print', { shipmentId: ids[0], printerId: zpl.id, reprint: true })
    expect(confirmed.ok && (confirmed.value as { kind: string }).kind).toBe('reprint')
    expect(zebra.sent).toHaveLength(2)
  })

  it('a double click prints one label', async () => {
    const p = setup()
    const zpl = p.service.savePrinter({ name: 'Zebra', driver: 'tcp9100', target: 'zebra.local', format: 'zpl', size: 'A6', dpi: 300 })
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => p.service.printShipment({ shipmentId: ids[1]!, printerId: zpl.id, reprint: false }))
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason.code === 'conflict')).toBe(true)
    expect(zebra.sent).toHaveLength(1)
  })

  it('one-click reprint sends the very same bytes; jobs keep printer, time and who', async () => {
    const p = setup()
    const pdf = p.service.savePrinter({ name: 'Office', driver: 'cups-pdf', target: 'Office', format: 'pdf', size: 'A6', dpi: null })
    const first = await p.service.printShipment({ shipmentId: ids[0]!, printerId: pdf.id, reprint: false, requestedBy: 'sam' })
    clock.advance(60_000)
    const again = await p.service.reprint(first.id, undefined, 'lea')
    expect(again).toMatchObject({ kind: 'reprint', labelId: first.labelId, requestedBy: 'lea', printerId: pdf.id })
    expect(laser.sent[1]!.bytes.equals(laser.sent[0]!.bytes)).toBe(true)
    expect(laser.sent[0]!.size).toBe('A6')
    const jobs = p.service.jobs({ shipmentId: ids[0]!, limit: 10 })
    expect(jobs.map((j) => j.kind)).toEqual(['reprint', 'label'])
    expect(jobs[0]!.createdAt).toBe(new Date(clock.now()).toISOString())
  })

  it("prints a carrier's label as it is, and refuses it on a printer of another language", async () => {
    const p = setup()
    const carrierPdf = Buffer.from('%PDF-1.7\n%carrier bytes, never redrawn\n%%EOF\n')
    // A ZPL file from Sendcloud / Swiss Post is stored the same way, format recognised from the bytes.
    expect(p.service.saveCarrierLabel(ids[3]!, undefined, Buffer.from('^XA^FO10,10^FDSC^FS^XZ')).format).toBe('zpl')
    p.service.saveCarrierLabel(ids[2]!, 'pdf', carrierPdf, 'A6')
    const zpl = p.service.savePrinter({ name: 'Zebra', driver: 'tcp9100', target: 'zebra', format: 'zpl', size: 'A6', dpi: 203 })
    await expect(p.service.printShipment({ shipmentId: ids[2]!, printerId: zpl.id, reprint: false })).rejects.toMatchObject({
      code: 'unsupported'
    })
    const pdf = p.service.savePrinter({ name: 'Office', driver: 'cups-pdf', target: 'Office', format: 'pdf', size: 'A6', dpi: null })
    const job = await p.service.printShipment({ shipmentId: ids[2]!, printerId: pdf.id, reprint: false })
    expect(job.source).toBe('carrier')
    expect(laser.sent[0]!.bytes.equals(carrierPdf)).toBe(true)
    expect(p.service.preview(ids[2]!)).toMatchObject({ source: 'carrier', svg: null, format: 'pdf' })
    expect(() => p.service.saveCarrierLabel(ids[2]!, 'pdf', Buffer.from('<html>'))).toThrow(/neither a PDF nor a ZPL/)
    expect(() => p.service.saveCarrierLabel(ids[2]!, 'pdf', Buffer.from('^XA^FDx^FS^XZ'))).toThrow(/said PDF but returned a ZPL/)
  })

  it('a failed print is kept as failed and does not count as printed', async () => {
    const p = setup()
    const zpl = p.service.savePrinter({ name: 'Zebra', driver: 'tcp9100', target: 'zebra', format: 'zpl', size: 'A6', dpi: 203 })
    zebra.offline = true
    await expect(p.service.printShipment({ shipmentId: ids[0]!, printerId: zpl.id, reprint: false })).rejects.toMatchObject({
      code: 'offline',
      retryable: true
    })
    zebra.offline = false
    const job = await p.service.printShipment({ shipmentId: ids[0]!, printerId: zpl.id, reprint: false })
    expect(job.kind).toBe('label')
    expect(p.service.jobs({ limit: 10 }).map((j) => j.state)).toEqual(['done', 'failed'])
  })

  it('prints a batch in order with progress, pauses on a failure and resumes where it stopped', async () => {
    const p = setup()
    const progress: PrintBatchInfo[] = []
    events.on('print.progress', (i) => progress.push(i))
    const zpl = p.service.savePrinter({ name: 'Zebra', driver: 'tcp9100', target: 'zebra', format: 'zpl', size: 'A6', dpi: 203 })
    await p.service.printShipment({ shipmentId: ids[1]!, printerId: zpl.id, reprint: false })
    zebra.sent = []
    // Unplug the printer after the first label.
    const print = zebra.print.bind(zebra)
    zebra.print = async (x) => {
      const r = await print(x)
      zebra.offline = true
      return r
    }
    const started = p.service.startBatch({ shipmentIds: [ids[0]!, ids[1]!, ids[2]!, ids[3]!], printerId: zpl.id, reprint: false })
    expect(started).toMatchObject({ state: 'running', total: 4 })
    const paused = await p.service.whenSettled(started.id)
    // ids[1] was printed before: skipped, not printed twice; ids[2] failed; ids[3] waits.
    expect(paused).toMatchObject({ state: 'paused', done: 1, skipped: 1, failed: 1, next: 2 })
    expect(paused.lastError).toMatch(/not reachable/)
    zebra.offline = false
    zebra.print = print
    p.service.resumeBatch(started.id)
    const done = await p.service.whenSettled(started.id)
    expect(done).toMatchObject({ state: 'done', done: 3, skipped: 1, failed: 0, next: 4 })
    expect(zebra.sent.map((s) => /\^FD(ECO-\d+)\^FS/.exec(s.bytes.toString())![1])).toEqual(['ECO-1001', 'ECO-1003', 'ECO-1004'])
    expect(progress.at(-1)).toMatchObject({ state: 'done', done: 3 })
  })

  it('a batch cut off by a quit is paused at the next start, and resumable', async () => {
    const p = setup()
    const zpl = p.service.savePrinter({ name: 'Zebra', driver: 'tcp9100', target: 'zebra', format: 'zpl', size: 'A6', dpi: 203 })
    const b = p.service.startBatch({ shipmentIds: [ids[0]!, ids[1]!], printerId: zpl.id, reprint: false })
    await p.service.whenSettled(b.id)
    db.prepare(`UPDATE print_batches SET state = 'running'`).run()
    db.prepare(`UPDATE print_batch_items SET state = 'pending' WHERE position = 1`).run()
    const restarted = setup()
    expect(restarted.service.batch(b.id)).toMatchObject({ state: 'paused', next: 1 })
    restarted.service.resumeBatch(b.id)
    expect(await restarted.service.whenSettled(b.id)).toMatchObject({ state: 'done' })
  })

  it('test page and calibration page go to the printer in its language', async () => {
    const p = setup()
    const zpl = p.service.savePrinter({ name: 'Zebra', driver: 'cups-raw', target: 'ZEBRA', format: 'zpl', size: '4x6', dpi: 300 })
    expect(await p.service.testPrint(zpl.id, 'test')).toMatchObject({ kind: 'test', source: 'test', state: 'done' })
    expect(await p.service.testPrint(zpl.id, 'calibration')).toMatchObject({ kind: 'calibration' })
    expect(zebra.sent[1]!.bytes.toString()).toContain('^PW1200')
    expect(zebra.sent[1]!.bytes.toString()).toContain('Calibration')
  })

  it('previews the exact SVG with ZPL transliteration warnings', () => {
    const p = setup()
    const id = repo.insert({
      carrier: 'ecotrack',
      account: 'main',
      trackingNumber: 'ECO-2001',
      recipientName: 'محمد',
      createdAt: clock.now()
    })
    const pv = p.service.preview(id, '4x6')
    expect(pv).toMatchObject({ source: 'generated', size: '4x6', widthMm: 101.6, heightMm: 152.4, format: 'svg', lastPrintedAt: null })
    expect(pv.svg).toMatch(/^<svg [^>]*width="101.6mm" height="152.4mm"/)
    expect(pv.warnings).toContainEqual({
      code: 'printed_as',
      params: expect.objectContaining({ field: 'recipient.name1', from: 'محمد', to: 'Mhmd' })
    })
  })

  it('prints the sender as a From block, read at each print: a change applies to the next label', async () => {
    let sender: LabelAddress | null = null
    const p = setup(undefined, () => sender)
    const zpl = p.service.savePrinter({ name: 'Zebra', driver: 'tcp9100', target: '127.0.0.1:9100', format: 'zpl', size: '4x6', dpi: 203 })
    await p.service.printShipment({ shipmentId: ids[0]!, printerId: zpl.id, reprint: false })
    const without = zebra.sent[0]!.bytes.toString()
    expect(without).not.toContain('^FDExpéditeur^FS')
    expect(p.service.preview(ids[0]!, '4x6').svg).not.toContain('data-field="sender"')

    sender = {
      name1: 'Depot Oran',
      street: 'Rue Larbi Ben Mhidi',
      houseNo: '7',
      zip: '31000',
      city: 'Oran',
      country: 'DZ',
      phone: '041 33 22 11'
    }
    await p.service.printShipment({ shipmentId: ids[1]!, printerId: zpl.id, reprint: false })
    const withSender = zebra.sent[1]!.bytes.toString()
    // An ECOTRACK (Algerian) parcel's label reads French even where the address gives no country: no English word.
    expect(withSender).toContain('^FDExpéditeur^FS')
    expect(withSender).not.toMatch(/\^FD(From|To|Tel|Pickup point|Home delivery)\b/)
    // Too long for one line: the name, then the whole address with the phone, nothing cut.
    expect(withSender).toContain('^FDDepot Oran^FS')
    expect(withSender).toContain('^FDRue Larbi Ben Mhidi 7, 31000 Oran, DZ, Tél. 041 33 22 11^FS')
    const svg = p.service.preview(ids[1]!, '4x6').svg!
    expect(svg).toContain('data-field="sender">Depot Oran</text>')
    expect(svg).toMatch(/data-field="sender.address">[^<]*31000 Oran/)

    // A short one stays on one line.
    sender = { name1: 'Depot Oran', city: 'Oran', country: 'DZ' }
    await p.service.printShipment({ shipmentId: ids[3]!, printerId: zpl.id, reprint: false })
    expect(zebra.sent[2]!.bytes.toString()).toContain('^FDDepot Oran, Oran, DZ^FS')

    sender = null
    await p.service.printShipment({ shipmentId: ids[2]!, printerId: zpl.id, reprint: false })
    expect(zebra.sent[3]!.bytes.toString()).not.toContain('Depot Oran')
    expect(zebra.sent[3]!.bytes.toString()).not.toContain('^FDExpéditeur^FS')
  })

  it('lists OS queues and saved printers; unknown printers and bad input are refused clearly', async () => {
    const exec = async (file: string, args: readonly string[]) => ({
      stdout:
        args[0] === '-v'
          ? 'device for Office: ipp://10.0.0.5/ipp/print\ndevice for ZEBRA: socket://10.0.0.9:9100\n'
          : 'system default destination: Office\n',
      stderr: ''
    })
    const p = setup(exec)
    p.service.savePrinter({ name: 'Desk Zebra', driver: 'tcp9100', target: '10.0.0.20', format: 'zpl', size: 'A6', dpi: 203 })
    const list = await p.service.listPrinters()
    expect(list.map((x) => [x.id, x.format, x.isDefault, x.configured])).toEqual([
      ['tcp:10.0.0.20', 'zpl', false, true],
      ['cups:Office', 'pdf', true, false],
      ['cups:ZEBRA', 'zpl', false, false]
    ])
    await expect(p.service.printShipment({ shipmentId: ids[0]!, printerId: 'cups:Nope', reprint: false })).rejects.toMatchObject({
      code: 'not_found'
    })
    expect(() =>
      p.service.savePrinter({ name: 'x', driver: 'tcp9100', target: 'a b; rm -rf /', format: 'zpl', size: 'A6', dpi: 203 })
    ).toThrow(GuichetError)
    expect(() => p.service.savePrinter({ name: 'x', driver: 'cups-pdf', target: 'Q', format: 'zpl', size: 'A6', dpi: 203 })).toThrow(
      /prints PDF/
    )
  })
})

describe('silent printing (Electron, driver chromium)', () => {
  it('gets the label as HTML at its exact size; a carrier PDF is refused clearly', async () => {
    const printing = createPrintingFeature({ db, clock, logger: silentLogger, events, repo, htmlToPdf: fakePdf })
    const silent = {
      kind: 'chromium' as const,
      accepts: ['pdf'] as const,
      sent: [] as PrintPayload[],
      async print(p: PrintPayload) {
        if (!p.html) throw new GuichetError('unsupported', 'Silent printing needs the label as HTML; use the PDF queue instead.')
        this.sent.push(p)
        return { externalId: null }
      }
    }
    ;(printing.service as unknown as { d: { driverFor: () => PrinterDriver } }).d.driverFor = () => silent
    const os = printing.service.savePrinter({
      name: 'HP LaserJet',
      driver: 'chromium',
      target: 'HP LaserJet',
      format: 'pdf',
      size: '4x6',
      dpi: null
    })
    expect(os.id).toBe('os:HP LaserJet')
    const job = await printing.service.printShipment({ shipmentId: ids[0]!, printerId: os.id, reprint: false })
    expect(job.state).toBe('done')
    expect(silent.sent[0]!.html).toContain('@page{size:101.6mm 152.4mm;margin:0}')
    expect(silent.sent[0]!.html).toContain('ECO-1001')
    await printing.service.reprint(job.id)
    expect(silent.sent[1]!.html).toBe(silent.sent[0]!.html)
    printing.service.saveCarrierLabel(ids[1]!, 'pdf', Buffer.from('%PDF-1.7\n%%EOF\n'))
    await expect(printing.service.printShipment({ shipmentId: ids[1]!, printerId: os.id, reprint: false })).rejects.toMatchObject({
      code: 'unsupported'
    })
  })
})

describe('parseLpstat', () => {
  it('reads queues, device URIs and the default', () => {
    expect(
      parseLpstat(
        'device for GuichetPDF: cups-pdf:/\ndevice for Zebra_GK420: usb://Zebra/GK420d\nnoise\n',
        'system default destination: GuichetPDF'
      )
    ).toEqual([
      { name: 'GuichetPDF', uri: 'cups-pdf:/', isDefault: true, guessedFormat: 'pdf' },
      { name: 'Zebra_GK420', uri: 'usb://Zebra/GK420d', isDefault: false, guessedFormat: 'zpl' }
    ])
    expect(parseLpstat('', 'no system default destination')).toEqual([])
  })
})
