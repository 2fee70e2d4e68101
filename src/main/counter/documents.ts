// Receipts, manifests and the day report as exact-size SVG: the same picture is shown on screen
// and printed (80 mm receipt roll or A4), so what the customer or driver signs is what was seen.
import type { CounterDocument } from '../../shared/contract/counter'

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

export interface DocOptions {
  /** Paper width in mm: 80 (receipt roll) or 210 (A4). */
  widthMm?: number
  /** A signature SVG (paths only, validated at the boundary) placed at the bottom. */
  signature?: string | null
}

const LINE_MM = 5
const MARGIN_MM = 4

/** Lines of text, one per row, in a monospace font sized to the paper; Arabic renders right-to-left by itself. */
export function textDocument(title: string, lines: string[], opts: DocOptions = {}): CounterDocument {
  const width = opts.widthMm ?? 80
  const sigHeight = opts.signature ? 25 : 0
  const height = MARGIN_MM * 2 + LINE_MM * (lines.length + 2) + sigHeight
  const rows = [title, '', ...lines]
    .map((l, i) => `<text x="${MARGIN_MM}" y="${MARGIN_MM + LINE_MM * (i + 1)}"${i === 0 ? ' font-weight="bold"' : ''}>${esc(l)}</text>`)
    .join('')
  let sig = ''
  if (opts.signature) {
    const inner = opts.signature.replace(/^<svg[^>]*>/, '').replace(/<\/svg>$/, '')
    const y = height - MARGIN_MM - sigHeight
    sig = `<g transform="translate(${MARGIN_MM} ${y})"><svg width="${width - 2 * MARGIN_MM}" height="${sigHeight}" viewBox="0 0 400 120" preserveAspectRatio="xMinYMid meet">${inner}</svg></g>`
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}mm" height="${height}mm" viewBox="0 0 ${width} ${height}">` +
    `<rect width="100%" height="100%" fill="#fff"/>` +
    `<g font-family="DejaVu Sans Mono, monospace" font-size="3.2" fill="#000">${rows}</g>${sig}</svg>`
  return { title, svg, lines }
}
