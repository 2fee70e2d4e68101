// Receipts, manifests and the day report as exact-size SVG: the same picture is shown on screen
// and printed (80 mm receipt roll or A4), so what the customer or driver signs is what was seen.
import type { Language } from '../../../shared/app'
import type { CounterDocument } from '../../../shared/contract/counter'
import { isRtl } from './words'

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

interface DocOptions {
  /** Paper width in mm: 80 (receipt roll) or 210 (A4). */
  widthMm?: number
  /** A signature SVG (paths only, validated at the boundary) placed at the bottom. */
  signature?: string | null
  /** The document's language (default English); Arabic lays every line out right-to-left. */
  lang?: Language
}

const LINE_MM = 5
const MARGIN_MM = 4
const FONT_MM = 3.2
/** A monospace glyph is about 0.6 em wide (DejaVu Sans Mono: 0.602). */
const CHAR_MM = FONT_MM * 0.602

/** Words of a line, spaces inside a left-to-right isolate (LRI…PDI: a code, an amount) kept. */
function words(line: string): string[] {
  const out: string[] = []
  let cur = ''
  let depth = 0
  for (const ch of line) {
    if (ch === '\u2066') depth++
    else if (ch === '\u2069') depth = Math.max(0, depth - 1)
    if (ch === ' ' && depth === 0) {
      out.push(cur)
      cur = ''
    } else cur += ch
  }
  out.push(cur)
  return out
}

/**
 * A line cut at word boundaries to fit `max` characters, so nothing runs off the paper; the
 * following pieces are indented. A single word longer than the line (rare: a long code) is cut.
 */
export function wrapLine(line: string, max: number): string[] {
  if ([...line].length <= max) return [line]
  const rows: string[] = []
  let cur = ''
  for (const w of words(line)) {
    const next = cur ? `${cur} ${w}` : w
    if ([...next].length <= max || !cur) cur = next
    else {
      rows.push(cur)
      cur = `  ${w}`
    }
    while ([...cur].length > max) {
      const chars = [...cur]
      rows.push(chars.slice(0, max).join(''))
      cur = `  ${chars.slice(max).join('')}`
    }
  }
  if (cur.trim()) rows.push(cur)
  return rows
}

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
  // Laid out for the paper: every row fits between the margins (80 mm roll: about 37 characters).
  const max = Math.floor((width - 2 * MARGIN_MM) / CHAR_MM)
  const printed = [title, '', ...lines].flatMap((l, i) => wrapLine(l, max).map((row) => ({ row, bold: i === 0 })))
  const height = MARGIN_MM * 2 + LINE_MM * printed.length + sigHeight
  // Set on each line (not only inherited from the group) so every SVG renderer sees it.
  const flow = rtl ? ` x="${width - MARGIN_MM}" direction="rtl" text-anchor="start"` : ` x="${MARGIN_MM}"`
  const rows = printed
    .map((p, i) => `<text${flow} y="${MARGIN_MM + LINE_MM * (i + 1)}"${p.bold ? ' font-weight="bold"' : ''}>${esc(p.row)}</text>`)
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
    `<g font-family="DejaVu Sans Mono, monospace" font-size="${FONT_MM}" fill="#000">${rows}</g>${sig}</svg>`
  return { title, svg, lines }
}
