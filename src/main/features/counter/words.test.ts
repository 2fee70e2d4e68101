import { describe, expect, it } from 'vitest'
import type { Language } from '../../../shared/app'
import { DOC_LANGUAGES, WORDS, docLanguage, docLocale, type CommonWords, type Words } from './words'

const LRI = '\u2066'
const PDI = '\u2069'

/** Every leaf of a language's words as [path, text]: strings as they are, functions called with samples. */
function leaves(w: object, path = ''): Array<[string, string]> {
  return Object.entries(w).flatMap(([k, v]): Array<[string, string]> => {
    const p = path ? `${path}.${k}` : k
    if (typeof v === 'string') return [[p, v]]
    if (typeof v === 'function') return [[p, String((v as (...a: unknown[]) => unknown)(7, 8, 9, 10))]]
    return leaves(v as object, p)
  })
}

// Compile-time only, checked by tsc (`npx tsc --noEmit -p tsconfig.node.json`), never called: a language without one
// of the words, or without one of its plural forms, does not compile, and an unused @ts-expect-error fails tsc.
function _missingWordsDoNotCompile(): void {
  const { check: _dropped, ...withoutCheck } = WORDS.de
  // @ts-expect-error 'check' is missing
  const _missingWord: Words<'de'> = withoutCheck
  // @ts-expect-error Arabic needs its 'few' and 'many' forms
  const _missingForm: Words<'ar'> = { ...WORDS.ar, parcels: { zero: () => '0', one: () => '1', two: () => '2', other: (n: string) => n } }
}

describe('document words', () => {
  it('gives every language the same words, none empty', () => {
    const common = (l: Language): CommonWords => {
      const { parcels: _p, ...rest } = WORDS[l]
      return rest
    }
    const reference = leaves(common('en')).map(([p]) => p)
    expect(reference.length).toBeGreaterThan(30)
    for (const lang of DOC_LANGUAGES) {
      const mine = leaves(common(lang))
      expect(
        mine.map(([p]) => p),
        lang
      ).toEqual(reference)
      for (const [p, text] of mine) {
        expect(text.trim(), `${lang} ${p}`).not.toBe('')
        expect(text, `${lang} ${p}`).not.toMatch(/undefined|NaN|\[object/)
      }
    }
  })

  it('has exactly the plural forms Intl.PluralRules asks for, in each language', () => {
    for (const lang of DOC_LANGUAGES) {
      const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories
      expect(Object.keys(WORDS[lang].parcels).sort(), lang).toEqual([...categories].sort())
    }
  })

  it('counts parcels with the right plural form', () => {
    const count = (lang: Language, n: number) => docLocale(lang).parcels(n)
    expect([count('fr', 1), count('fr', 2), count('fr', 0)]).toEqual(['1 colis', '2 colis', '0 colis'])
    // French "many": a million "de colis".
    expect(count('fr', 1_000_000)).toMatch(/^1\D000\D000 de colis$/)
    expect([count('de', 1), count('de', 2)]).toEqual(['1 Paket', '2 Pakete'])
    expect([count('en', 1), count('en', 2)]).toEqual(['1 parcel', '2 parcels'])
    // Arabic: zero, one, two, few (3-10), many (11-99), other (100...).
    expect([0, 1, 2, 3, 10, 11, 99, 100].map((n) => count('ar', n))).toEqual([
      'لا طرود',
      'طرد واحد',
      'طردان',
      '3 طرود',
      '10 طرود',
      '11 طردًا',
      '99 طردًا',
      '100 طرد'
    ])
    expect(docLocale('de').w.handedToDriver(count('de', 2))).toBe('2 Pakete dem Fahrer übergeben')
    expect(docLocale('fr').w.toReturn(count('fr', 1))).toBe('1 colis à retourner')
  })

  it('prints local times by locale, in the time zone given (else the machine’s)', () => {
    const at = Date.UTC(2026, 10, 28, 8, 0) // 08:00 UTC
    expect(docLocale('fr', 'Africa/Casablanca').time(at)).toBe('28/11/2026 09:00')
    expect(docLocale('de', 'Europe/Zurich').time(at)).toBe('28.11.26, 09:00')
    expect(docLocale('fr', 'Europe/Paris').time(Date.UTC(2026, 6, 1, 8, 0))).toBe('01/07/2026 10:00')
    expect(docLocale('en', 'UTC').time(at)).toBe('11/28/26, 8:00 AM')
    expect(docLocale('fr').time(at)).toBe(new Intl.DateTimeFormat('fr', { dateStyle: 'short', timeStyle: 'short' }).format(at))
    expect(docLocale('de').day('2026-11-28')).toBe('28.11.26')
  })

  it('formats amounts by locale and keeps codes left-to-right in Arabic only', () => {
    expect(docLocale('fr').money(129.9, 'MAD')).toBe('129,90 MAD')
    expect(docLocale('en').money(349, 'MAD')).toBe('349.00 MAD')
    expect(docLocale('ar').code('ERMA2611240042')).toBe(`${LRI}ERMA2611240042${PDI}`)
    expect(docLocale('fr').code('ERMA2611240042')).toBe('ERMA2611240042')
    expect(docLocale('ar').money(349, 'MAD')).toMatch(new RegExp(`^${LRI}.+ MAD${PDI}$`))
    expect(docLocale('fr').pay('card')).toBe('carte')
    expect(docLocale('fr').pay('voucher')).toBe('voucher')
    expect(docLocale('fr').label('Vérification', 'code')).toBe('Vérification\u00a0: code')
  })

  it('uses the clerk’s language, else the system’s when Guichet speaks it, else French', () => {
    expect(docLanguage('ar', 'de-CH')).toBe('ar')
    expect(docLanguage(null, 'de-CH')).toBe('de')
    expect(docLanguage(null, 'en_US')).toBe('en')
    expect(docLanguage(null, 'ja-JP')).toBe('fr')
    expect(docLanguage('klingon', undefined)).toBe('fr')
  })
})
