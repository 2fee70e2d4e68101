// The OS print system on Linux and macOS (CUPS): list queues with lpstat, print with lp.
// Windows has no lp: there the Electron silent-print driver (chromium.electron.ts) prints PDFs
// to the named printer, and ZPL goes over TCP 9100.
import type * as FsPromises from 'node:fs/promises'
import { lazyRequire } from '../../platform/startup/lazy'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LABEL_SIZES } from '../../../shared/label'
import { GuichetError } from '../../../shared/result'
import type { DriverKind, ExecFile, PrintFormat, PrinterDriver, PrintPayload } from './types'

// Loaded at the first print (fs/promises brings readline with it), not at start.
const fsp = lazyRequire<typeof FsPromises>('node:fs/promises')

export interface CupsQueue {
  name: string
  /** Device URI (socket://host:9100, cups-pdf:/, usb://Zebra/...). */
  uri: string
  isDefault: boolean
  /** A queue without a PPD passes bytes through: the right place for ZPL. */
  guessedFormat: PrintFormat
}

/** Parses `lpstat -v` and `lpstat -d` (LC_ALL=C). Pure, for tests. */
export function parseLpstat(devices: string, dflt: string): CupsQueue[] {
  const def = /system default destination:\s*(\S+)/.exec(dflt)?.[1] ?? null
  const out: CupsQueue[] = []
  for (const line of devices.split('\n')) {
    const m = /^device for ([^:]+):\s*(\S+)/.exec(line.trim())
    if (!m) continue
    const [, name, uri] = m as unknown as [string, string, string]
    const rawish = /^(socket|tcp):\/\//i.test(uri) || /zebra|zpl|zdesigner/i.test(name + uri)
    out.push({ name, uri, isDefault: name === def, guessedFormat: rawish ? 'zpl' : 'pdf' })
  }
  return out
}

export async function listCupsQueues(exec: ExecFile): Promise<CupsQueue[]> {
  let devices = ''
  try {
    devices = (await exec('lpstat', ['-v'], { timeoutMs: 5000 })).stdout
  } catch (e) {
    // No scheduler or no queue: an empty list, not a failure of the whole screen.
    if (e instanceof GuichetError && e.code === 'unsupported') throw e
    return []
  }
  const dflt = await exec('lpstat', ['-d'], { timeoutMs: 5000 }).then(
    (r) => r.stdout,
    () => ''
  )
  return parseLpstat(devices, dflt)
}

const QUEUE_NAME = /^[A-Za-z0-9_.@-]{1,127}$/

/** A CUPS queue: PDF at the label's exact media size, or raw bytes (ZPL) with -o raw. */
export class CupsDriver implements PrinterDriver {
  readonly kind: DriverKind
  readonly accepts: readonly PrintFormat[]
  constructor(
    private readonly queue: string,
    private readonly raw: boolean,
    private readonly exec: ExecFile,
    private readonly tmp: string = tmpdir()
  ) {
    if (!QUEUE_NAME.test(queue))
      throw new GuichetError('invalid_input', `"${queue.slice(0, 40)}" is not a printer queue name.`, { field: 'printer' })
    this.kind = raw ? 'cups-raw' : 'cups-pdf'
    this.accepts = raw ? ['zpl'] : ['pdf']
  }

  async print(p: PrintPayload): Promise<{ externalId: string | null }> {
    if (!this.accepts.includes(p.format))
      throw new GuichetError('unsupported', `The queue ${this.queue} takes ${this.accepts.join('/')}, not ${p.format}.`)
    const dir = await fsp().mkdtemp(join(this.tmp, 'guichet-print-'))
    const file = join(dir, `label.${p.format}`)
    try {
      await fsp().writeFile(file, p.bytes)
      const args = [
        '-d',
        this.queue,
        '-n',
        String(Math.max(1, Math.min(99, p.copies))),
        '-t',
        p.title.replace(/[^\w .#/-]/g, '').slice(0, 60) || 'label'
      ]
      if (this.raw) args.push('-o', 'raw')
      else if (p.size) {
        const { widthMm, heightMm } = LABEL_SIZES[p.size]
        // The exact media and no scaling: a 4x6 label must not be fitted onto A4 or split in two.
        args.push('-o', `media=Custom.${widthMm}x${heightMm}mm`, '-o', 'print-scaling=none', '-o', 'fit-to-page=false')
      }
      args.push('--', file)
      const { stdout } = await this.exec('lp', args, { timeoutMs: 20_000 })
      return { externalId: /request id is (\S+)/.exec(stdout)?.[1] ?? null }
    } finally {
      await fsp().rm(dir, { recursive: true, force: true })
    }
  }
}
