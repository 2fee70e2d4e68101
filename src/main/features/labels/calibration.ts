// A calibration page: a border on the label's edge and a tick every 10 mm along the top and the
// left, with the expected size written in the middle. Measured with a ruler, it shows scaling and offset.
import { LABEL_SIZES, type LabelLayout, type LabelSizeId, type LayoutEl } from '../../../shared/label'

export function calibrationLayout(size: LabelSizeId, printerName: string): LabelLayout {
  const { widthMm: W, heightMm: H } = LABEL_SIZES[size]
  const t = 0.5
  const els: LayoutEl[] = [
    { type: 'line', x: 0, y: 0, w: W, h: t },
    { type: 'line', x: 0, y: H - t, w: W, h: t },
    { type: 'line', x: 0, y: 0, w: t, h: H },
    { type: 'line', x: W - t, y: 0, w: t, h: H }
  ]
  for (let x = 10; x < W; x += 10) els.push({ type: 'line', x: x - t / 2, y: 0, w: t, h: x % 50 === 0 ? 8 : 4 })
  for (let y = 10; y < H; y += 10) els.push({ type: 'line', x: 0, y: y - t / 2, w: y % 50 === 0 ? 8 : 4, h: t })
  const sz = Math.max(3, W / 25)
  const line = (i: number, text: string, field: string) =>
    els.push({ type: 'text', field, x: 12, y: H / 2 - 2 * sz + i * sz * 1.4, size: sz, text, width: W - 24, bold: i === 0 })
  line(0, 'Calibration', 'title')
  line(1, `${size}: ${W} x ${H} mm`, 'size')
  line(2, 'Ticks every 10 mm', 'ticks')
  line(3, printerName.slice(0, 30), 'printer')
  return { size, widthMm: W, heightMm: H, elements: els }
}
