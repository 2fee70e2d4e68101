import { describe, expect, it } from 'vitest'
import { DAY } from '../../platform/clock'
import {
  buildReport,
  checkIdLast,
  csvCell,
  csvConventions,
  dayBounds,
  expiresAt,
  holdDaysFor,
  namedDayBounds,
  reportCsv,
  suggestSlot
} from './core'
import { WORDS } from './words'
import { textDocument, wrapLine } from './documents'

const T = Date.UTC(2026, 10, 28, 9, 30)

describe('counter cores', () => {
  it('suggests a slot from carrier, day and first letter (accents folded, unknowns apart)', () => {
    expect(suggestSlot('express-relais', T, 'Yasmine El Idrissi')).toBe('ER28-Y')
    expect(suggestSlot('ecotrack', T, 'Élodie')).toBe('EC28-E')
    expect(suggestSlot('sendcloud', T, 'عمر')).toBe('SC28-#')
    expect(suggestSlot(null, T, null)).toBe('??28-#')
  })

  it('expires at the end of the last hold day, per carrier, configurable', () => {
    expect(holdDaysFor('sendcloud', {})).toBe(14)
    expect(holdDaysFor('ecotrack', { ecotrack: 9 })).toBe(9)
    const e = expiresAt(T, 5)
    expect(new Date(e).toISOString()).toBe('2026-12-03T23:59:59.999Z')
    expect(e - T).toBeLessThan(6 * DAY)
  })

  it('keeps only the last 2 to 4 characters of an ID document, refusing longer values', () => {
    expect(checkIdLast(' 34 56')).toBe('3456')
    expect(checkIdLast('ab9')).toBe('AB9')
    expect(() => checkIdLast('BE123456')).toThrow(/never the full number/)
    expect(() => checkIdLast('1')).toThrow()
  })

  it('adds up the day per carrier, COD in cents per currency and method', () => {
    const r = buildReport({
      day: '2026-11-28',
      checkedIn: [
        { carrier: 'ecotrack', damaged: true, notForPoint: false, unmatched: false },
        { carrier: null, damaged: false, notForPoint: false, unmatched: true }
      ],
      refused: [{ carrier: 'ecotrack' }],
      handedOver: [
        { carrier: 'ecotrack', codAmount: 0.1, currency: 'DZD', codMethod: 'cash' },
        { carrier: 'ecotrack', codAmount: 0.2, currency: 'DZD', codMethod: 'cash' },
        { carrier: 'ecotrack', codAmount: 5, currency: 'DZD', codMethod: 'card' }
      ],
      droppedOff: [{ carrier: null }],
      collected: [],
      preparedForReturn: [],
      overrides: 1,
      onShelf: 3
    })
    expect(r.totals).toMatchObject({ in: 3, out: 3, handedOver: 3, refused: 1, droppedOff: 1 })
    expect(r.carriers.map((c) => c.carrier)).toEqual(['ecotrack', 'unknown'])
    expect(r.carriers[0]!.cod).toEqual([
      { currency: 'DZD', method: 'cash', cents: 30, count: 2 },
      { currency: 'DZD', method: 'card', cents: 500, count: 1 }
    ])
    // English (and Arabic): commas, decimal point; a BOM so Excel reads UTF-8.
    const en = reportCsv(r, csvConventions('en', WORDS.en.csv), { total: 'TOTAL', unknown: 'Unknown carrier' })
    expect(en.startsWith('\ufeffDay,Carrier,In,Out,')).toBe(true)
    expect(en).toContain('2026-11-28,ECOTRACK,1,3,3,0,0,1,DZD,cash,0.30,2')
    expect(en.endsWith('\r\n')).toBe(true)
    // French Excel splits on semicolons and reads decimal commas; headers in French.
    const fr = reportCsv(r, csvConventions('fr', WORDS.fr.csv), { total: WORDS.fr.totalRow, unknown: WORDS.fr.unknownCarrier })
    expect(fr.startsWith('\ufeffJour;Transporteur;Entrées;Sorties;')).toBe(true)
    expect(fr).toContain('2026-11-28;ECOTRACK;1;3;3;0;0;1;DZD;card;5,00;1')
    expect(fr).toContain(';Transporteur inconnu;')
    const de = reportCsv(r, csvConventions('de', WORDS.de.csv), { total: WORDS.de.totalRow, unknown: WORDS.de.unknownCarrier })
    expect(de.split('\r\n')[0]).toBe(
      '\ufeffTag;Zusteller;Ein;Aus;Ausgaben;Abgegebene Retouren;Abgeholt;Abgelehnt;Nachnahme Währung;Nachnahme Zahlart;Nachnahme Betrag;Nachnahme Anzahl'
    )
  })

  it('defuses spreadsheet formulas and quotes CSV cells', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`)
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell(3)).toBe('3')
  })

  it('wraps long lines to the paper, never inside a code kept left-to-right', () => {
    const code = '\u2066349.00 MAD\u2069'
    const line = `Express Relais ERMA2611240042 · Yasmine El Idrissi · الدفع عند الاستلام ${code} (نقدًا)`
    const rows = wrapLine(line, 37)
    expect(rows.length).toBeGreaterThan(1)
    for (const r of rows) expect([...r].length).toBeLessThanOrEqual(37)
    expect(rows.some((r) => r.includes(code))).toBe(true)
    expect(rows.join(' ').replace(/\s+/g, ' ')).toBe(line)
    expect(wrapLine('short', 37)).toEqual(['short'])
    // On the 80 mm roll every printed row fits; the text lines stay whole.
    const d = textDocument('Reçu', [line], { widthMm: 80 })
    expect(d.lines).toEqual([line])
    const printed = [...d.svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!)
    expect(printed.length).toBe(2 + rows.length)
    for (const r of printed) expect([...r].length).toBeLessThanOrEqual(37)
  })

  it('renders documents as exact-size SVG with text escaped', () => {
    const d = textDocument('Reçu', ['<b>Omar & co</b>'], { widthMm: 80 })
    expect(d.svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="80mm" height="[\d.]+mm"/)
    expect(d.svg).toContain('&lt;b&gt;Omar &amp; co&lt;/b&gt;')
    expect(d.svg).not.toContain('<b>')
  })
})

describe('the counter day (local midnight to midnight)', () => {
  const H = 3_600_000
  it('starts at the counter’s midnight, not UTC’s', () => {
    // 23:30 UTC on the 27th is already 00:30 on the 28th in Zurich (UTC+1 in November).
    const t = Date.UTC(2026, 10, 27, 23, 30)
    expect(dayBounds(t, 'Europe/Zurich')).toEqual({ day: '2026-11-28', start: Date.UTC(2026, 10, 27, 23), end: Date.UTC(2026, 10, 28, 23) })
    expect(dayBounds(t, 'UTC')).toEqual({ day: '2026-11-27', start: Date.UTC(2026, 10, 27), end: Date.UTC(2026, 10, 28) })
    expect(dayBounds(Date.UTC(2026, 10, 28, 12), 'Africa/Algiers').start).toBe(Date.UTC(2026, 10, 27, 23))
  })

  it('has 23 and 25 hours on the days clocks change', () => {
    const spring = namedDayBounds('2026-03-29', 'Europe/Zurich')
    expect(spring.end - spring.start).toBe(23 * H)
    const autumn = namedDayBounds('2026-10-25', 'Europe/Zurich')
    expect(autumn.end - autumn.start).toBe(25 * H)
    expect(autumn.start).toBe(Date.UTC(2026, 9, 24, 22))
  })

  it('names the day it was given', () => {
    expect(namedDayBounds('2026-11-28', 'Europe/Zurich')).toMatchObject({ day: '2026-11-28', start: Date.UTC(2026, 10, 27, 23) })
  })
})
