// A minimal one-page PDF for the simulators' label endpoints: enough for viewers, printers and
// tests to see a real PDF of the carrier's page size with the label's lines as text.

const pad10 = (n: number) => String(n).padStart(10, '0')

/** Lines of ASCII text on one page of widthPt x heightPt points (A6 portrait by default). */
export function minimalPdf(
  lines: string[],
  page: { widthPt: number; heightPt: number; fontSize?: number } = { widthPt: 298, heightPt: 420 }
): Buffer {
  const size = page.fontSize ?? 10
  const safe = lines.map((l) => l.replace(/[()\\]/g, ' ').replace(/[^\x20-\x7e]/g, '?'))
  const top = page.heightPt - 40
  const stream = safe.map((l, i) => `BT /F1 ${size} Tf 20 ${top - i * (size + 4)} Td (${l}) Tj ET`).join('\n')
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${page.widthPt} ${page.heightPt}] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>`,
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
  ]
  let out = '%PDF-1.4\n'
  const offsets: number[] = []
  objs.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'))
    out += `${i + 1} 0 obj\n${o}\nendobj\n`
  })
  const xref = Buffer.byteLength(out, 'latin1')
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${pad10(o)} 00000 n \n`).join('')}`
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(out, 'latin1')
}
