// Every barcode on the generated labels decodes back to its payload with independent decoders
// (zbarimg, dmtxread), from the PDF Chromium makes and from the ZPL a Zebra would print; and the
// PDF page is exactly the label's size, read from the PDF itself.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ready } from 'zpl-renderer-js'
import { LABEL_SIZE_IDS, LABEL_SIZES, layoutLabel, mmToPoints, type LabelModel, type LabelSizeId } from '../../src/shared/label'
import { buildLabelModel } from '../../src/main/features/labels/model'
import { ChromiumHtmlToPdf } from '../../src/main/features/labels/pdf.chromium'
import { setPdfPageSize } from '../../src/main/features/labels/pdfbox'
import { samplePickPostLabel } from '../../src/main/features/labels/samples'
import { renderSvg, svgToHtml } from '../../src/main/features/labels/svg'
import { renderZpl } from '../../src/main/features/labels/zpl'
import { dmtx, pdfInfo, pdfToPng, requireTools, zbar } from './print-tools'

const labels: Array<[string, LabelModel]> = [
  ['pickpost', samplePickPostLabel()],
  [
    'ecotrack-alnum',
    buildLabelModel({
      carrier: 'ecotrack',
      trackingNumber: 'ECO-7Z9K2M4Q',
      reference: 'BL-88',
      recipient: { name1: 'محمد بن علي', city: 'Alger', phone: '0550123456' },
      deliveryPoint: {
        id: '16-STOP',
        name: 'Stop desk Alger Centre',
        address: { street: 'Rue Didouche Mourad 12', zip: '16000', city: 'Alger', country: 'DZ' }
      },
      service: 'Stop desk',
      cod: { amount: 4500, currency: 'DZD' }
    })
  ]
]

/** Where the layout put the DataMatrix, with a margin: the decoder still has to find and read it. */
function dataMatrixRegion(model: LabelModel, size: LabelSizeId) {
  const l = layoutLabel(model, size)
  const el = l.elements.find((e) => e.type === 'barcode' && e.kind === 'datamatrix')!
  return { xMinPct: (el.x / l.widthMm) * 100 - 8, yMaxPct: ((l.heightMm - el.y) / l.heightMm) * 100 + 8 }
}

let dir: string
let pdf: ChromiumHtmlToPdf

beforeAll(() => {
  requireTools('zbarimg', 'dmtxread', 'pdfinfo', 'pdftoppm', 'chromium')
  dir = mkdtempSync(join(tmpdir(), 'guichet-barcodes-'))
  pdf = new ChromiumHtmlToPdf()
})
afterAll(async () => {
  await pdf?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('PDF labels (HTML/SVG through Chromium)', () => {
  for (const size of LABEL_SIZE_IDS) {
    it(
      `${size}: one page of exactly ${LABEL_SIZES[size].widthMm} x ${LABEL_SIZES[size].heightMm} mm, barcodes decode`,
      { timeout: 90_000 },
      async () => {
        const [name, model] = labels[size === 'A7' ? 1 : 0]!
        const raw = await pdf.render(svgToHtml(renderSvg(model, size), size), size)
        const { widthMm, heightMm } = LABEL_SIZES[size]
        const fixed = setPdfPageSize(raw, mmToPoints(widthMm), mmToPoints(heightMm))
        expect(fixed.fixed).toBe(true)
        const file = join(dir, `${name}-${size}.pdf`)
        writeFileSync(file, fixed.pdf)
        const info = await pdfInfo(file)
        expect(info.pages).toBe(1)
        // pdfinfo prints 3 decimals: exact to a thousandth of a point.
        expect(info.widthPt).toBeCloseTo(mmToPoints(widthMm), 2)
        expect(info.heightPt).toBeCloseTo(mmToPoints(heightMm), 2)
        const png = await pdfToPng(file, join(dir, `${name}-${size}`))
        const [linear, matrix] = await Promise.all([zbar(png), dmtx(png, dataMatrixRegion(model, size))])
        expect(linear).toEqual([model.trackingNumber])
        expect(matrix).toEqual([model.trackingNumber])
      }
    )
  }
})

describe('ZPL labels (native ^BC / ^BX, rendered offline by zpl-renderer-js)', () => {
  for (const size of LABEL_SIZE_IDS) {
    for (const dpi of [203, 300] as const) {
      it(`${size} at ${dpi} dpi: Code 128 and DataMatrix decode`, { timeout: 90_000 }, async () => {
        const { api } = await ready
        for (const [name, model] of labels) {
          const { zpl } = renderZpl(model, size, dpi)
          const { widthMm, heightMm } = LABEL_SIZES[size]
          const b64 = await api.zplToBase64Async(zpl, widthMm, heightMm, dpi === 203 ? 8 : 12)
          const png = join(dir, `${name}-${size}-${dpi}.png`)
          writeFileSync(png, Buffer.from(b64, 'base64'))
          const [linear, matrix] = await Promise.all([zbar(png), dmtx(png, dataMatrixRegion(model, size))])
          expect(linear, `${name} code128`).toEqual([model.trackingNumber])
          expect(matrix, `${name} datamatrix`).toEqual([model.trackingNumber])
        }
      })
    }
  }
})
