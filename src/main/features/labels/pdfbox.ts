// Chromium rounds a PDF page up to its own grid (an A6 page comes out 298.08 x 420 pt instead of
// 297.64 x 419.53), so a printer would scale or shift the label. We set the exact MediaBox with a
// PDF incremental update: the original bytes stay untouched, a corrected page object is appended.

interface PdfPageInfo {
  pages: number
  /** MediaBox of the first page [x0, y0, x1, y1], in points, as the last revision says. */
  mediaBox: [number, number, number, number]
}

const latin1 = (b: Buffer) => b.toString('latin1')

function lastPageObjects(text: string): Map<number, string> {
  // Later revisions of an object replace earlier ones: keep the last body per object number.
  const objs = new Map<number, string>()
  const re = /(\d+) 0 obj\b([\s\S]*?)endobj/g
  for (let m = re.exec(text); m; m = re.exec(text)) objs.set(Number(m[1]), m[2]!)
  const pages = new Map<number, string>()
  for (const [n, body] of objs) if (/\/Type\s*\/Page(?![a-zA-Z])/.test(body)) pages.set(n, body)
  return pages
}

export function readPdfPageInfo(pdf: Buffer): PdfPageInfo {
  const pages = lastPageObjects(latin1(pdf))
  const first = [...pages.values()][0]
  const mb = first && /\/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]/.exec(first)
  if (!mb) throw new Error('No page MediaBox found in the PDF')
  return { pages: pages.size, mediaBox: [Number(mb[1]), Number(mb[2]), Number(mb[3]), Number(mb[4])] }
}

const num = (v: number) => (Math.round(v * 10000) / 10000).toString()

/**
 * Returns the PDF with every page's MediaBox set to widthPt x heightPt, anchored at the page's
 * top-left corner (where Chromium drew the label). Only for PDFs with a classic xref table (Chromium's);
 * anything else is returned unchanged with `fixed: false`.
 */
export function setPdfPageSize(pdf: Buffer, widthPt: number, heightPt: number): { pdf: Buffer; fixed: boolean } {
  const text = latin1(pdf)
  const sx = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)
  const trailer = /trailer\s*<<([\s\S]*?)>>\s*startxref\s+\d+\s+%%EOF\s*$/.exec(text)
  if (!sx || !trailer) return { pdf, fixed: false }
  const size = /\/Size\s+(\d+)/.exec(trailer[1]!)
  const root = /\/Root\s+(\d+ \d+ R)/.exec(trailer[1]!)
  const info = /\/Info\s+(\d+ \d+ R)/.exec(trailer[1]!)
  if (!size || !root) return { pdf, fixed: false }
  const pages = lastPageObjects(text)
  if (pages.size === 0) return { pdf, fixed: false }

  const chunks: string[] = []
  const offsets: Array<[number, number]> = []
  let pos = pdf.length + 1
  for (const [n, body] of pages) {
    const mb = /\/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]/.exec(body)
    if (!mb) return { pdf, fixed: false }
    const x0 = Number(mb[1])
    const top = Number(mb[4])
    const box = `/MediaBox [${num(x0)} ${num(top - heightPt)} ${num(x0 + widthPt)} ${num(top)}]`
    const newBody = body.replace(mb[0], box).replace(/\/CropBox\s*\[[^\]]*\]/, '')
    const obj = `${n} 0 obj${newBody}endobj\n`
    offsets.push([n, pos])
    chunks.push(obj)
    pos += Buffer.byteLength(obj, 'latin1')
  }
  const xrefAt = pos
  let xref = 'xref\n'
  for (const [n, off] of offsets.sort((a, b) => a[0] - b[0])) xref += `${n} 1\n${String(off).padStart(10, '0')} 00000 n \n`
  const trail = `trailer\n<</Size ${size[1]}\n/Root ${root[1]}${info ? `\n/Info ${info[1]}` : ''}\n/Prev ${sx[1]}>>\nstartxref\n${xrefAt}\n%%EOF\n`
  return { pdf: Buffer.concat([pdf, Buffer.from('\n' + chunks.join('') + xref + trail, 'latin1')]), fixed: true }
}
