// Receipts, manifests and the day report as exact-size SVG: the same picture is shown on screen
// and printed (80 mm receipt roll or A4), so what the customer or driver signs is what was seen.
import type { Language } from '../../../shared/app'
import type { CounterDocument } from '../../../shared/contract/counter'
import { isRtl } from './words'

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

export interface DocOptions {
  /** Paper width in mm: 80 (receipt roll) or 210 (A4). */
  widthMm?: number
  /** A signature SVG (paths only, validated at the boundary) placed at the bottom. */
  signature?: string | null
  /** The document's language (default English); Arabic lays every line out right-to-left. */
  lang?: Language
}

const LINE_MM = 5
const MARGIN_MM = 4

/**
 * Lines of text, one per row, in a monospace font sized to the paper. A right-to-left document
 * (Arabic) sets direction="rtl" on every line and anchors it at the right margin: with rtl,
 * text-anchor "start" is the right end of the line (SVG and Chromium agree). Codes inside such
 * lines come already wrapped in Unicode isolates (LRI…PDI, see words.ts) so they stay left-to-right.
 */
export function textDocument(title: string, lines: string[], opts: DocOptions = {}): CounterDocument {
  const width = opts.widthMm ?? 80
  const lang = opts.lang ?? 'en'
  const rtl = isRtl(lang)
  const sigHeight = opts.signature ? 25 : 0
  const height = MARGIN_MM * 2 + LINE_MM * (lines.length + 2) + sigHeight
  // Set on each line (not only inherited from the group) so every SVG renderer sees it.
  const flow = rtl ? ` x="${width - MARGIN_MM}" direction="rtl" text-anchor="start"` : ` x="${MARGIN_MM}"`
  const rows = [title, '', ...lines]
    .map((l, i) => `<text${flow} y="${MARGIN_MM + LINE_MM * (i + 1)}"${i === 0 ? ' font-weight="bold"' : ''}>${esc(l)}</text>`)
    .join('')
  let sig = ''
  if (opts.signature) {
    const inner = opts.signature.replace(/^<svg[^>]*>/, '').replace(/<\/svg>$/, '')
    const y = height - MARGIN_MM - sigHeight
    // The signature sits where the reader's line starts: left, or right in a right-to-left document.
    sig = `<g transform="translate(${MARGIN_MM} ${y})"><svg width="${width - 2 * MARGIN_MM}" height="${sigHeight}" viewBox="0 0 400 120" preserveAspectRatio="${rtl ? 'xMaxYMid' : 'xMinYMid'} meet">${inner}</svg></g>`
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}mm" height="${height}mm" viewBox="0 0 ${width} ${height}" xml:lang="${lang}"${rtl ? ' direction="rtl"' : ''}>` +
    `<rect width="100%" height="100%" fill="#fff"/>` +
    `<g font-family="DejaVu Sans Mono, monospace" font-size="3.2" fill="#000">${rows}</g>${sig}</svg>`
  return { title, svg, lines }
}
