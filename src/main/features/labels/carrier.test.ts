import { describe, expect, it } from 'vitest'
import { checkCarrierLabel, detectLabelFormat, labelFromBase64Chunks } from './carrier'

const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n')

describe('carrier label files', () => {
  it('recognises PDF and ZPL by their bytes, and nothing else', () => {
    expect(detectLabelFormat(pdf)).toBe('pdf')
    expect(detectLabelFormat(Buffer.from('\n^XA\n^FO50,50^BCN,100^FD996001^FS\n^XZ\n'))).toBe('zpl')
    expect(detectLabelFormat(Buffer.from('~JA\n^XA^XZ'))).toBe('zpl')
    expect(detectLabelFormat(Buffer.from('<html><body>Error 500</body></html>'))).toBeNull()
    expect(detectLabelFormat(Buffer.from('{"error":"label not ready"}'))).toBeNull()
  })

  it("joins Swiss Post's base64 label chunks, cut anywhere or padded each", () => {
    const b64 = pdf.toString('base64')
    expect(labelFromBase64Chunks([b64]).equals(pdf)).toBe(true)
    expect(labelFromBase64Chunks([b64.slice(0, 7), b64.slice(7)]).equals(pdf)).toBe(true)
    const a = Buffer.from('%PDF-1.4\nfirst part')
    const b = Buffer.from(' second')
    expect(labelFromBase64Chunks([a.toString('base64'), b.toString('base64')]).equals(Buffer.concat([a, b]))).toBe(true)
    expect(() => labelFromBase64Chunks([])).toThrow(/no label/)
    expect(() => labelFromBase64Chunks(['not base64!'])).toThrow(/not valid base64/)
  })

  it('refuses a file whose bytes do not match the declared format', () => {
    expect(checkCarrierLabel(pdf, 'pdf')).toBe('pdf')
    expect(() => checkCarrierLabel(pdf, 'zpl')).toThrow(/said ZPL but returned a PDF/)
  })
})
