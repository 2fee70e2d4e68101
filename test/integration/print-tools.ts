// System tools the print tests use. A missing tool fails the test with the Debian package to
// install (CI installs them); it never skips silently.
import { execFile } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { promisify } from 'node:util'

const run = promisify(execFile)

const PACKAGES: Record<string, string> = {
  zbarimg: 'zbar-tools',
  dmtxread: 'dmtx-utils',
  pdfinfo: 'poppler-utils',
  pdftoppm: 'poppler-utils',
  lp: 'cups-client',
  lpstat: 'cups-client',
  lpadmin: 'cups',
  cupsd: 'cups',
  chromium: 'chromium'
}

function which(bin: string): string | null {
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin', '/usr/bin'])
  for (const d of dirs) {
    try {
      accessSync(`${d}/${bin}`, constants.X_OK)
      return `${d}/${bin}`
    } catch {
      /* next */
    }
  }
  return null
}

export function requireTools(...bins: string[]): Record<string, string> {
  const found: Record<string, string> = {}
  const missing: string[] = []
  for (const b of bins) {
    const p = b === 'chromium' ? (process.env.CHROMIUM_PATH ?? which('chromium')) : which(b)
    if (p) found[b] = p
    else missing.push(b)
  }
  if (missing.length) {
    const pkgs = [...new Set(missing.map((m) => PACKAGES[m] ?? m))].join(' ')
    throw new Error(`Missing system tools: ${missing.join(', ')}. Install them: apt-get install -y ${pkgs}`)
  }
  if (!which('cups-pdf') && bins.includes('lpadmin')) {
    try {
      accessSync('/usr/lib/cups/backend/cups-pdf')
    } catch {
      throw new Error('The cups-pdf backend is missing. Install it: apt-get install -y printer-driver-cups-pdf')
    }
  }
  return found
}

/** Decoded Code 128 / QR payloads in an image (zbarimg), e.g. ['CODE-128:123']. */
export async function zbar(png: string): Promise<string[]> {
  try {
    const { stdout } = await run('zbarimg', ['-q', '--raw', '-Sdisable', '-Scode128.enable', '-Sqrcode.enable', png], { timeout: 30_000 })
    return stdout.split('\n').filter(Boolean)
  } catch (e) {
    // zbarimg exits 4 when it finds nothing.
    if ((e as { code?: number }).code === 4) return []
    throw e
  }
}

/**
 * Decoded DataMatrix payloads (dmtxread). `region` limits the scan to where the layout put the
 * symbol (x from the left, y from the bottom, in % of the image): dmtxread on a whole label is slow.
 */
export async function dmtx(png: string, region?: { xMinPct: number; yMaxPct: number }): Promise<string[]> {
  const area = region ? [`-x${Math.max(0, Math.floor(region.xMinPct))}%`, `-Y${Math.min(100, Math.ceil(region.yMaxPct))}%`] : []
  try {
    const { stdout } = await run('dmtxread', ['-m', '20000', '-N', '1', ...area, png], { timeout: 60_000 })
    return stdout.split('\n').filter(Boolean)
  } catch (e) {
    if ((e as { code?: number }).code === 1) return []
    throw e
  }
}

export async function pdfInfo(pdf: string): Promise<{ pages: number; widthPt: number; heightPt: number }> {
  const { stdout } = await run('pdfinfo', [pdf])
  const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(stdout)
  const pages = /Pages:\s+(\d+)/.exec(stdout)
  if (!size || !pages) throw new Error(`pdfinfo gave no page size for ${pdf}: ${stdout}`)
  return { pages: Number(pages[1]), widthPt: Number(size[1]), heightPt: Number(size[2]) }
}

export async function pdfToPng(pdf: string, outBase: string, dpi = 300): Promise<string> {
  await run('pdftoppm', ['-png', '-r', String(dpi), '-singlefile', pdf, outBase])
  return `${outBase}.png`
}
