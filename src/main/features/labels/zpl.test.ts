// Golden files: the exact ZPL for each layout (size) and dpi. A change in the layout shows up as a
// diff in review; regenerate on purpose with UPDATE_GOLDEN=1.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LABEL_SIZE_IDS, ZPL_DPIS, mmToDots, LABEL_SIZES } from '../../../shared/label'
import { buildLabelModel } from './model'
import { samplePickPostLabel } from './samples'
import { layoutToZpl, renderZpl } from './zpl'

const GOLDEN = join(import.meta.dirname, '__golden__')

describe('ZPL golden files', () => {
  for (const size of LABEL_SIZE_IDS) {
    for (const dpi of ZPL_DPIS) {
      it(`${size} at ${dpi} dpi`, () => {
        const { zpl, warnings } = renderZpl(samplePickPostLabel(), size, dpi)
        const file = join(GOLDEN, `pickpost-${size}-${dpi}.zpl`)
        if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
          if (process.env.CI) throw new Error(`Golden file ${file} is missing; run UPDATE_GOLDEN=1 locally and commit it`)
          writeFileSync(file, zpl)
        }
        expect(zpl).toBe(readFileSync(file, 'utf8'))
        expect(warnings).toEqual([]) // Latin-1 accents print as they are with ^CI28
      })
    }
  }
})

describe('ZPL structure', () => {
  it('sets the label size in dots and uses native barcodes, never bitmaps', () => {
    for (const dpi of ZPL_DPIS) {
      const { zpl } = renderZpl(samplePickPostLabel(), '4x6', dpi)
      expect(zpl.startsWith('^XA\n^CI28\n')).toBe(true)
      expect(zpl).toContain(`^PW${mmToDots(LABEL_SIZES['4x6'].widthMm, dpi)}\n`)
      expect(zpl).toContain(`^LL${mmToDots(LABEL_SIZES['4x6'].heightMm, dpi)}\n`)
      expect(zpl).toMatch(/\^BCN,\d+,N,N,N,A\^FH\^FD996001321700016917\^FS/)
      expect(zpl).toMatch(/\^BXN,\d+,200\^FH\^FD996001321700016917\^FS/)
      expect(zpl).not.toMatch(/\^GF/)
      expect(zpl.trimEnd().endsWith('^XZ')).toBe(true)
    }
    // 4 inches are 812 dots at 203 dpi and 1200 at 300.
    expect(renderZpl(samplePickPostLabel(), '4x6', 203).zpl).toContain('^PW812\n')
    expect(renderZpl(samplePickPostLabel(), '4x6', 300).zpl).toContain('^PW1200\n')
  })

  it('escapes ^ ~ and _ in field data so a name cannot inject commands', () => {
    const m = buildLabelModel({
      carrier: 'sendcloud',
      trackingNumber: 'SC123456',
      recipient: { name1: 'A^XZ~JA_b', city: 'Paris' },
      service: 'Standard'
    })
    const { zpl } = renderZpl(m, 'A6', 203)
    expect(zpl).toContain('^FDA_5EXZ_7EJA_5Fb^FS')
    expect(zpl.match(/\^XZ/g)).toHaveLength(1)
  })

  it('drops control characters from field data, bar code payloads included', () => {
    const bar = { type: 'barcode' as const, x: 1, y: 1, module: 0.5, height: 10, width: 40 }
    const { zpl } = layoutToZpl(
      {
        size: 'A6',
        widthMm: 105,
        heightMm: 148,
        elements: [
          { ...bar, kind: 'code128', payload: 'SC12\r\n^XA\u001b3456' },
          { ...bar, kind: 'datamatrix', payload: 'DM\n~JA\u0085x' },
          { ...bar, kind: 'qrcode', payload: 'Q\u2028R\u0000' }
        ]
      },
      203
    )
    // Every line is one command: no CR, LF or other control character inside a field.
    const controls = [...zpl.trimEnd()].filter((c) => c !== '\n').map((c) => c.codePointAt(0)!)
    expect(controls.filter((n) => n < 0x20 || (n >= 0x7f && n <= 0x9f) || n === 0x2028 || n === 0x2029)).toEqual([])
    expect(zpl).toContain('^FDSC12_5EXA3456^FS')
    expect(zpl).toContain('^FDDM_7EJAx^FS')
    expect(zpl).toContain('^FDQA,QR^FS')
    expect(zpl.match(/\^XA/g)).toHaveLength(1)
  })

  it('transliterates what the printer font cannot draw, with a visible warning', () => {
    const m = buildLabelModel({
      carrier: 'ecotrack',
      trackingNumber: 'ECO12345',
      recipient: { name1: 'محمد بن علي', city: 'Alger' },
      service: 'Stop desk'
    })
    const { zpl, warnings } = renderZpl(m, 'A6', 203)
    expect(zpl).toContain("^FDMhmd Bn 'ly^FS")
    // A code and its parameters, never an English sentence: the renderer words it.
    expect(warnings).toEqual([
      { code: 'printed_as', params: { field: 'recipient.name1', from: 'محمد بن علي', to: "Mhmd Bn 'ly", chars: 'م ح د ب ن ع ل ي' } }
    ])
  })
})
