// A real print path: a CUPS queue on this machine receives a label and cups-pdf writes a PDF of
// the label's size; a raw CUPS queue and a TCP 9100 listener on 127.0.0.1 receive ZPL byte for byte.
// Starts its own cupsd when none runs, and stops only what it started.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { createServer, type AddressInfo, type Server } from 'node:net'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LABEL_SIZES, mmToPoints } from '../../src/shared/label'
import { ChromiumHtmlToPdf } from '../../src/main/features/labels/pdf.chromium'
import { setPdfPageSize } from '../../src/main/features/labels/pdfbox'
import { samplePickPostLabel } from '../../src/main/features/labels/samples'
import { renderSvg, svgToHtml } from '../../src/main/features/labels/svg'
import { renderZpl } from '../../src/main/features/labels/zpl'
import { CupsDriver, listCupsQueues } from '../../src/main/features/printing/cups'
import { execFileAsync } from '../../src/main/features/printing/exec'
import { Tcp9100Driver } from '../../src/main/features/printing/tcp'
import { createBackend } from '../../src/main/backend'
import { browserPlatform } from '../../src/main/platforms'
import { ManualClock } from '../../src/main/platform/clock'
import { silentLogger } from '../../src/main/platform/logger'
import { MemoryStore } from '../../src/main/core/settings/settings'
import type { PrintJobInfo } from '../../src/shared/contract/labels'
import { pdfInfo, requireTools } from './print-tools'

const run = promisify(execFile)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const tag = `${process.pid}_${Date.now() % 100000}`
const PDF_QUEUE = `GuichetPDF_${tag}`
const RAW_QUEUE = `GuichetRaw_${tag}`

/** A stand-in for a label printer: collects every connection's bytes. */
function listener(): Promise<{ server: Server; port: number; received: Promise<Buffer>[] }> {
  return new Promise((resolve) => {
    const received: Promise<Buffer>[] = []
    const server = createServer((sock) => {
      const chunks: Buffer[] = []
      received.push(
        new Promise((done) => {
          sock.on('data', (c) => chunks.push(c))
          sock.on('end', () => {
            sock.end()
            done(Buffer.concat(chunks))
          })
        })
      )
    })
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port, received }))
  })
}

async function schedulerRunning(): Promise<boolean> {
  try {
    return /scheduler is running/.test((await run('lpstat', ['-r'])).stdout)
  } catch {
    return false
  }
}

async function waitFor<T>(what: string, f: () => Promise<T | null> | T | null, ms = 30_000): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const v = await f()
    if (v) return v
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`)
    await sleep(200)
  }
}

/** A PDF cups-pdf wrote after `since` whose name contains `part` (it names files after the job title). */
function newPdf(dir: string, part: string, since: number): string | null {
  if (!existsSync(dir)) return null
  const f = readdirSync(dir).find((n) => n.includes(part) && n.endsWith('.pdf') && statSync(join(dir, n)).mtimeMs >= since - 1000)
  return f ? join(dir, f) : null
}

let cupsd: ChildProcess | null = null
let tcp: Awaited<ReturnType<typeof listener>>
let chromium: ChromiumHtmlToPdf

beforeAll(async () => {
  requireTools('cupsd', 'lpadmin', 'lp', 'lpstat', 'pdfinfo', 'chromium')
  tcp = await listener()
  chromium = new ChromiumHtmlToPdf()
  if (!(await schedulerRunning())) {
    cupsd = spawn('/usr/sbin/cupsd', ['-f'], { stdio: 'ignore' })
    await waitFor('cupsd to start', schedulerRunning, 15_000)
  }
  await run('lpadmin', ['-p', PDF_QUEUE, '-v', 'cups-pdf:/', '-E', '-m', 'lsb/usr/cups-pdf/CUPS-PDF_noopt.ppd'])
  // No PPD: CUPS passes the bytes through untouched, as to a Zebra on the network.
  await run('lpadmin', ['-p', RAW_QUEUE, '-v', `socket://127.0.0.1:${tcp.port}`, '-E'])
}, 60_000)

afterAll(async () => {
  for (const q of [PDF_QUEUE, RAW_QUEUE]) await run('lpadmin', ['-x', q]).catch(() => undefined)
  await chromium?.close()
  await new Promise((r) => tcp?.server.close(r))
  if (cupsd?.pid) {
    process.kill(cupsd.pid, 'SIGTERM')
    await new Promise((r) => cupsd!.once('exit', r))
  }
})

describe('CUPS', () => {
  it('lists the queues', async () => {
    const names = (await listCupsQueues(execFileAsync)).map((q) => [q.name, q.guessedFormat])
    expect(names).toContainEqual([PDF_QUEUE, 'pdf'])
    expect(names).toContainEqual([RAW_QUEUE, 'zpl'])
  })

  it('a PDF label through lp comes out of cups-pdf at the label size', { timeout: 90_000 }, async () => {
    const size = '4x6' as const
    const { widthMm, heightMm } = LABEL_SIZES[size]
    const pdf = setPdfPageSize(
      await chromium.render(svgToHtml(renderSvg(samplePickPostLabel(), size), size), size),
      mmToPoints(widthMm),
      mmToPoints(heightMm)
    ).pdf
    const outDir = join(homedir(), 'PDF')
    const title = `guichet-test-${tag}`
    const since = Date.now()
    const { externalId } = await new CupsDriver(PDF_QUEUE, false, execFileAsync).print({
      format: 'pdf',
      bytes: pdf,
      size,
      title,
      copies: 1
    })
    expect(externalId).toMatch(new RegExp(`^${PDF_QUEUE}-\\d+$`))
    const file = await waitFor(`cups-pdf to write into ${outDir}`, () => newPdf(outDir, title, since))
    // cups-pdf may still be writing: wait until pdfinfo can read the whole file.
    const info = await waitFor('a complete PDF', () => pdfInfo(file).catch(() => null))
    expect(info.pages).toBe(1)
    // cups-pdf re-renders through Ghostscript, which rounds the page to whole points (A6: 297 x 419).
    expect(Math.abs(info.widthPt - 288)).toBeLessThanOrEqual(1)
    expect(Math.abs(info.heightPt - 432)).toBeLessThanOrEqual(1)
    rmSync(file, { force: true })
  })

  it('a raw CUPS queue hands the ZPL to the printer byte for byte', { timeout: 60_000 }, async () => {
    const { zpl } = renderZpl(samplePickPostLabel(), '4x6', 203)
    const bytes = Buffer.from(zpl, 'utf8')
    const n = tcp.received.length
    await new CupsDriver(RAW_QUEUE, true, execFileAsync).print({ format: 'zpl', bytes, size: '4x6', title: 'raw-test', copies: 1 })
    await waitFor('the job to reach the listener', () => tcp.received.length > n || null)
    const got = await tcp.received[n]!
    expect(got.equals(bytes)).toBe(true)
  })
})

describe('TCP 9100', () => {
  it('sends ZPL byte for byte, copies in one connection', async () => {
    const { zpl } = renderZpl(samplePickPostLabel(), 'A6', 300)
    const bytes = Buffer.from(zpl, 'utf8')
    const n = tcp.received.length
    await new Tcp9100Driver('127.0.0.1', tcp.port).print({ format: 'zpl', bytes, size: 'A6', title: 't', copies: 2 })
    await waitFor('the listener', () => tcp.received.length > n || null)
    expect((await tcp.received[n]!).equals(Buffer.concat([bytes, bytes]))).toBe(true)
  })

  it('says clearly when the printer is off', async () => {
    const closed = await listener()
    const port = closed.port
    await new Promise((r) => closed.server.close(r))
    await expect(
      new Tcp9100Driver('127.0.0.1', port, 3000).print({ format: 'zpl', bytes: Buffer.from('^XA^XZ'), size: null, title: 't', copies: 1 })
    ).rejects.toMatchObject({
      code: 'offline',
      retryable: true,
      message: expect.stringContaining(`127.0.0.1:${port} is not reachable`)
    })
    await expect(
      new Tcp9100Driver('127.0.0.1', port).print({ format: 'pdf', bytes: Buffer.from('%PDF'), size: null, title: 't', copies: 1 })
    ).rejects.toMatchObject({ code: 'unsupported' })
  })
})

describe('the whole path through the backend', () => {
  it('labels.print on a CUPS PDF queue and on a raw ZPL queue; a second print asks "reprint?"', { timeout: 120_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'guichet-print-e2e-'))
    const htmlToPdf = new ChromiumHtmlToPdf()
    const backend = createBackend({
      dataDir,
      version: '0.0.0-test',
      settingsStore: new MemoryStore(),
      clock: new ManualClock(),
      logger: silentLogger,
      demo: true,
      platform: browserPlatform({ htmlToPdf })
    })
    try {
      const call = async <T>(channel: string, input: unknown): Promise<T> => {
        const r = await backend.dispatch(channel, input)
        if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`)
        return r.value as T
      }
      const listed = await call<Array<{ id: string }>>('printers.list', {})
      expect(listed.map((p) => p.id)).toContain(`cups:${PDF_QUEUE}`)
      const shipments = (await call<{ items: Array<{ id: number }> }>('shipments.list', {})).items
      expect(shipments.length).toBeGreaterThan(1)

      // A6 PDF through the cups-pdf queue.
      const office = await call<{ id: string }>('printers.save', {
        name: 'Office',
        driver: 'cups-pdf',
        target: PDF_QUEUE,
        format: 'pdf',
        size: 'A6'
      })
      const outDir = join(homedir(), 'PDF')
      const since = Date.now()
      const job = await call<PrintJobInfo>('labels.print', { shipmentId: shipments[0]!.id, printerId: office.id, requestedBy: 'test' })
      expect(job).toMatchObject({ state: 'done', kind: 'label', format: 'pdf', source: 'generated' })
      const file = await waitFor('the label from cups-pdf', () => newPdf(outDir, `guichet-label-${job.id}`, since))
      const info = await waitFor('a complete PDF', () => pdfInfo(file).catch(() => null))
      expect(info.pages).toBe(1)
      expect(Math.abs(info.widthPt - mmToPoints(105))).toBeLessThanOrEqual(1)
      expect(Math.abs(info.heightPt - mmToPoints(148))).toBeLessThanOrEqual(1)
      rmSync(file, { force: true })

      const again = await backend.dispatch('labels.print', { shipmentId: shipments[0]!.id, printerId: office.id })
      expect(again).toMatchObject({ ok: false, error: { code: 'conflict', reprint: true } })

      // ZPL at 300 dpi through the raw queue: the stored label reaches the "printer" unchanged.
      const zebra = await call<{ id: string }>('printers.save', {
        name: 'Zebra',
        driver: 'cups-raw',
        target: RAW_QUEUE,
        format: 'zpl',
        size: '4x6',
        dpi: 300
      })
      const n = tcp.received.length
      const zjob = await call<PrintJobInfo>('labels.print', { shipmentId: shipments[1]!.id, printerId: zebra.id })
      await waitFor('the ZPL at the listener', () => tcp.received.length > n || null)
      const stored = backend.db.prepare('SELECT content FROM label_files WHERE id = ?').get(zjob.labelId) as { content: Buffer }
      const got = await tcp.received[n]!
      expect(got.equals(stored.content)).toBe(true)
      expect(got.toString()).toContain('^PW1200')

      // One-click reprint of the same job: the same bytes again.
      await call<PrintJobInfo>('printJobs.reprint', { jobId: zjob.id })
      await waitFor('the reprint at the listener', () => tcp.received.length > n + 1 || null)
      expect((await tcp.received[n + 1]!).equals(stored.content)).toBe(true)
      const jobs = await call<PrintJobInfo[]>('printJobs.list', { shipmentId: shipments[1]!.id })
      expect(jobs.map((j) => j.kind)).toEqual(['reprint', 'label'])
    } finally {
      backend.close()
      await htmlToPdf.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
