// ZPL II from the same layout as the SVG, at 203 or 300 dpi. Barcodes are native printer
// commands (^BC Code 128, ^BX DataMatrix), never bitmaps, so they print at full sharpness.
import { layoutLabel, mmToDots, type LabelLayout, type LabelModel, type LabelSizeId, type ZplDpi } from '../../../shared/label'
import { replacedChars, type LabelWarning } from '../../../shared/label-warnings'
import { foldText, printable } from './transliterate'

interface ZplOutput {
  zpl: string
  /** Fields that were transliterated because the printer font can't draw them. */
  warnings: LabelWarning[]
}

/**
 * ^FH field data: `_` starts a hex escape, and ^ ~ would end the field. Control characters
 * (CR, LF, ESC, C1, line separators) from carrier data are dropped: a printer or a spooler may
 * act on them, and a bar code that carries them no scanner at the desk would type back.
 */
/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g

const fieldData = (s: string): string =>
  s.replace(CONTROL, '').replace(/[_^~\\]/g, (c) => '_' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'))

export function layoutToZpl(layout: LabelLayout, dpi: ZplDpi): ZplOutput {
  const d = (mm: number) => mmToDots(mm, dpi)
  const warnings: LabelWarning[] = []
  const out: string[] = [
    '^XA',
    '^CI28', // UTF-8 field data; Zebra font 0 draws Latin-1
    `^PW${d(layout.widthMm)}`,
    `^LL${d(layout.heightMm)}`,
    '^LH0,0',
    '^PON',
    '^MMT'
  ]
  for (const el of layout.elements) {
    if (el.type === 'line') {
      const w = Math.max(1, d(el.w))
      const h = Math.max(1, d(el.h))
      out.push(`^FO${d(el.x)},${d(el.y)}^GB${w},${h},${Math.min(w, h)}^FS`)
    } else if (el.type === 'text') {
      let text = el.text
      if (!printable(text, 'latin1')) {
        const folded = foldText(text, 'latin1')
        warnings.push({
          code: 'printed_as',
          params: { field: el.field, from: text, to: folded.text, chars: replacedChars(text, folded.text) }
        })
        text = folded.text
      }
      const h = d(el.size)
      // Font 0 is about as wide as high per glyph box; bold is approximated by a wider font.
      out.push(
        `^FO${d(el.x)},${d(el.y)}^A0N,${h},${el.bold ? Math.round(h * 1.05) : Math.round(h * 0.9)}^FB${d(el.width)},1,0,L^FH^FD${fieldData(text)}^FS`
      )
    } else if (el.kind === 'code128') {
      const module = Math.max(2, d(el.module))
      const h = d(el.height)
      out.push(`^FO${d(el.x)},${d(el.y)}^BY${module},3,${h}^BCN,${h},N,N,N,A^FH^FD${fieldData(el.payload)}^FS`)
    } else if (el.kind === 'datamatrix') {
      const module = Math.max(3, d(el.module))
      out.push(`^FO${d(el.x)},${d(el.y)}^BXN,${module},200^FH^FD${fieldData(el.payload)}^FS`)
    } else {
      const mag = Math.max(2, Math.min(10, d(el.module)))
      out.push(`^FO${d(el.x)},${d(el.y)}^BQN,2,${mag}^FH^FDQA,${fieldData(el.payload)}^FS`)
    }
  }
  out.push('^PQ1', '^XZ')
  return { zpl: out.join('\n') + '\n', warnings }
}

export function renderZpl(model: LabelModel, size: LabelSizeId, dpi: ZplDpi): ZplOutput {
  return layoutToZpl(layoutLabel(model, size), dpi)
}
