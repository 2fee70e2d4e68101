import i18next from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { LABEL_WARNING_CODES, type LabelWarning } from '@shared/label-warnings'
import { initI18n, LANGUAGES } from '../i18n'
import { labelFieldKey, labelWarningText } from './labelWarnings'

// Label notes arrive as codes: every one is worded in every language, with the field named and
// the replaced letters shown, and no English word reaches a French, Arabic or German clerk.

beforeAll(async () => {
  await initI18n('fr')
})

const every: LabelWarning[] = LABEL_WARNING_CODES.map((code) => ({
  code,
  params: {
    field: 'recipient.name1',
    from: 'محمد',
    to: 'Mhmd',
    chars: 'م ح د',
    status: 'NONE',
    error: 'timeout',
    carrier: 'Sendcloud',
    text: 'x'
  }
}))

describe('label warnings in the clerk’s language', () => {
  for (const lang of LANGUAGES) {
    it(`${lang}: every code has its own sentence`, () => {
      const t = i18next.getFixedT(lang)
      const en = i18next.getFixedT('en')
      for (const w of every) {
        const text = labelWarningText(t, w)
        expect(text, `${lang} ${w.code}`).not.toMatch(/label\.|points\.|\{\{/)
        if (lang !== 'en') expect(text, `${lang} ${w.code}`).not.toBe(labelWarningText(en, w))
      }
    })
  }

  it('French: says which field and which letters, with the customer’s text isolated', () => {
    const t = i18next.getFixedT('fr')
    const text = labelWarningText(t, every[0]!)
    expect(text).toContain('Nom du destinataire')
    expect(text).toContain('\u2068محمد\u2069')
    expect(text).toContain('\u2068Mhmd\u2069')
    expect(text).toContain('\u2068م ح د\u2069')
    expect(text).not.toMatch(/printed|printer|is sent/i)
  })

  it('fields are named by group; unknown fields still read as "a field"', () => {
    expect(labelFieldKey('recipient.city')).toBe('label.field.recipientAddress')
    expect(labelFieldKey('recipient.phone')).toBe('label.field.recipientPhone')
    expect(labelFieldKey('sender.address')).toBe('label.field.sender')
    expect(labelFieldKey('barcode.tracking.text')).toBe('label.field.other')
  })
})
