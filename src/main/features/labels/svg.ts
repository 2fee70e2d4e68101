// The label as SVG at its exact physical size (width/height in mm, 1 user unit = 1 mm).
// The preview shows this SVG and the PDF/Chromium print path prints it: they cannot differ.
import { layoutLabel, LABEL_SIZES, type LabelLayout, type LabelModel, type LabelSizeId } from '../../../shared/label'
import { barcodeSvg } from './barcodes'

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const n = (v: number): string => (Math.round(v * 1000) / 1000).toString()

/** Where the font's baseline sits below the top of a text box, as a share of its size. */
const BASELINE = 0.8

export function layoutToSvg(layout: LabelLayout): string {
  const { widthMm: W, heightMm: H } = layout
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n(W)}mm" height="${n(H)}mm" viewBox="0 0 ${n(W)} ${n(H)}" data-size="${layout.size}">`,
    `<rect x="0" y="0" width="${n(W)}" height="${n(H)}" fill="#fff"/>`
  ]
  for (const el of layout.elements) {
    if (el.type === 'line') parts.push(`<rect x="${n(el.x)}" y="${n(el.y)}" width="${n(el.w)}" height="${n(el.h)}" fill="#000"/>`)
    else if (el.type === 'text') {
      // unicode-bidi: plaintext lets an Arabic name read right to left inside a left-aligned line.
      parts.push(
        `<text x="${n(el.x)}" y="${n(el.y + el.size * BASELINE)}" font-family="DejaVu Sans, Arial, sans-serif" font-size="${n(el.size)}"${el.bold ? ' font-weight="bold"' : ''} style="unicode-bidi:plaintext" data-field="${esc(el.field)}">${esc(el.text)}</text>`
      )
    } else {
      const sym = barcodeSvg(el.kind, el.payload)
      const w = sym.modulesW * el.module
      const h = el.kind === 'code128' ? el.height : sym.modulesH * el.module
      parts.push(
        `<svg x="${n(el.x)}" y="${n(el.y)}" width="${n(w)}" height="${n(h)}" viewBox="0 0 ${sym.unitsW} ${sym.unitsH}" preserveAspectRatio="none" shape-rendering="crispEdges" data-barcode="${el.kind}">${sym.body}</svg>`
      )
    }
  }
  parts.push('</svg>')
  return parts.join('')
}

export function renderSvg(model: LabelModel, size: LabelSizeId): string {
  return layoutToSvg(layoutLabel(model, size))
}

/** A one-page HTML document exactly the label's size, no margins: what Chromium prints or turns into PDF. */
export function svgToHtml(svg: string, size: LabelSizeId): string {
  const { widthMm: W, heightMm: H } = LABEL_SIZES[size]
  return (
    `<!doctype html><html><head><meta charset="utf-8"><style>` +
    `@page{size:${W}mm ${H}mm;margin:0}html,body{margin:0;padding:0;width:${W}mm;height:${H}mm;overflow:hidden}` +
    `svg{display:block}</style></head><body>${svg}</body></html>`
  )
}
