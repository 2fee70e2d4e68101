// Label rendering speed: ZPL labels per second (model + layout + ZPL), and HTML label -> PDF in
// Chromium per label (one browser reused, as in the app), after a warm-up.
import { loadavg } from 'node:os'
import { LABEL_SIZES, mmToPoints, type LabelSizeId } from '../src/shared/label'
import { buildLabelModel } from '../src/main/features/labels/model'
import { ChromiumHtmlToPdf } from '../src/main/features/labels/pdf.chromium'
import { setPdfPageSize } from '../src/main/features/labels/pdfbox'
import { renderSvg, svgToHtml } from '../src/main/features/labels/svg'
import { renderZpl } from '../src/main/features/labels/zpl'
import { percentile, type Figure } from './run'

const draft = (i: number) => ({
  carrier: 'swisspost' as const,
  trackingNumber: `99600132170${String(i).padStart(7, '0')}`,
  reference: `CMD-${i}`,
  sender: { name1: 'Boutique Léman SA', street: 'Rue du Rhône', houseNo: '12', zip: '1204', city: 'Genève', country: 'CH' },
  recipient: { name1: `Client ${i} Müller`, street: 'Bahnhofstrasse', houseNo: '5', zip: '8001', city: 'Zürich', country: 'CH' },
  deliveryPoint: {
    id: '8004-PP',
    name: 'Zürich Sihlpost',
    address: { street: 'Kasernenstrasse', houseNo: '97', zip: '8004', city: 'Zürich', country: 'CH' }
  },
  pickPost: { keyword: 'PickPost' as const, userId: String(10_000_000 + i) },
  service: 'PRI',
  weightGrams: 1250,
  cod: { amount: 49.9, currency: 'CHF' }
})

export default async function (): Promise<Figure[]> {
  const sizes: LabelSizeId[] = ['A6', '4x6', 'A5', 'A7']
  // ZPL: distinct labels (distinct barcodes), cycling sizes and dpi.
  for (let i = 0; i < 500; i++) renderZpl(buildLabelModel(draft(i)), sizes[i % 4]!, i % 2 ? 300 : 203)
  let n = 0
  const t0 = performance.now()
  while (performance.now() - t0 < 3000) {
    renderZpl(buildLabelModel(draft(1000 + n)), sizes[n % 4]!, n % 2 ? 300 : 203)
    n++
  }
  const zplPerS = n / ((performance.now() - t0) / 1000)

  const pdf = new ChromiumHtmlToPdf()
  const samples: number[] = []
  try {
    for (let i = 0; i < 45; i++) {
      const size = sizes[i % 4]!
      const { widthMm, heightMm } = LABEL_SIZES[size]
      const t = performance.now()
      const raw = await pdf.render(svgToHtml(renderSvg(buildLabelModel(draft(i)), size), size), size)
      setPdfPageSize(raw, mmToPoints(widthMm), mmToPoints(heightMm))
      if (i >= 5) samples.push(performance.now() - t) // the first ones start the browser
    }
  } finally {
    await pdf.close()
  }
  return [
    { metric: 'zpl_per_s', value: zplPerS, unit: 'labels/s', goal: '>= 5000' },
    { metric: 'pdf_ms', value: percentile(samples, 50), unit: 'ms (median)', goal: '<= 150' },
    { metric: 'pdf_ms_p95', value: percentile(samples, 95), unit: 'ms' },
    // Both figures are CPU-bound: read them with the machine's load at the time.
    { metric: 'load_avg_1m', value: loadavg()[0] ?? 0, unit: 'runnable tasks' }
  ]
}
