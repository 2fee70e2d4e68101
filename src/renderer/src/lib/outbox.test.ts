import i18next from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { initI18n } from '../i18n'
import { errorText } from './errors'
import { canResend, outboxError, outboxSummary } from './outbox'

beforeAll(async () => {
  await initI18n('fr')
})

describe('pending writes in the clerk’s language', () => {
  const remark = { kind: 'remark', summary: 'Remark: appeler avant midi', details: { text: 'appeler avant midi' } }
  const handover = { kind: 'counter_handover', summary: 'Handed over at the counter (receipt #12)', details: { receipt: '12' } }

  it('says each kind in fr, ar and de with its values', async () => {
    expect(outboxSummary(remark, i18next.t)).toBe('Remarque : appeler avant midi')
    expect(outboxSummary(handover, i18next.t)).toBe('Remis au comptoir (reçu n° 12)')
    await i18next.changeLanguage('de')
    expect(outboxSummary({ kind: 'return_request', summary: 'Return request', details: {} }, i18next.t)).toBe('Rücksendeanfrage')
    await i18next.changeLanguage('ar')
    expect(outboxSummary(remark, i18next.t)).toBe('ملاحظة: appeler avant midi')
    await i18next.changeLanguage('fr')
  })

  it('keeps main’s summary for a kind it has no words for', () => {
    expect(outboxSummary({ kind: 'order_cancel', summary: 'Cancel order 42', details: {} }, i18next.t)).toBe('Cancel order 42')
  })

  it('never interpolates what the clerk typed', () => {
    expect(outboxSummary({ ...remark, details: { text: '{{receipt}} <b>' } }, i18next.t)).toBe('Remarque : {{receipt}} <b>')
  })

  it('words an entry main could not read, and other reasons by their code, never the message main wrote', () => {
    const unreadable = {
      code: 'bad_payload',
      message: 'The stored "remark" entry is not readable (text: ...)',
      at: '2026-12-03T10:00:00.000Z'
    }
    expect(outboxSummary({ kind: 'remark', summary: 'remark', details: {}, lastError: unreadable }, i18next.t)).toBe(
      'Entrée illisible (remark)'
    )
    expect(outboxError(unreadable, i18next.t)).toMatch(/^Cette entrée a été enregistrée/)
    const refused = { ...unreadable, code: 'carrier_refused', message: 'ECOTRACK: 10003' }
    expect(outboxError(refused, i18next.t)).toBe(errorText(i18next.t, refused))
    expect(outboxError(refused, i18next.t)).not.toContain('10003')
  })
})

describe('canResend', () => {
  const row = { state: 'failed' as const, editable: false, lastError: { code: 'timeout', message: 'x', at: '2026-01-01T00:00:00Z' } }
  it('offers resend after an error that may pass', () => expect(canResend(row)).toBe(true))
  it('does not offer resend after a final refusal', () => {
    expect(canResend({ ...row, lastError: { ...row.lastError, code: 'carrier_refused' } })).toBe(false)
  })
  it('offers it again once an editable row was fixed', () => {
    const refused = { ...row, editable: true, lastError: { ...row.lastError, code: 'carrier_refused' } }
    expect(canResend(refused)).toBe(false)
    expect(canResend(refused, true)).toBe(true)
  })
})
