// Pure cores of the counter: shelf slots, hold periods, identity checks, the end-of-day report
// and its CSV. No I/O here; the service around them reads and writes the store.
import { CARRIERS, CARRIER_NAMES, type CarrierId } from '../../../shared/domain'
import { GuichetError } from '../../../shared/result'
import { DAY } from '../../platform/clock'
import type { Language } from '../../../shared/app'
import type { CounterDayReport } from '../../../shared/contract/counter'
import { CSV_COLUMNS, type CsvColumn } from './words'

/** Two letters per carrier on the shelf label: short enough to write on a box with a marker. */
const CARRIER_SHELF_CODE: Record<CarrierId, string> = {
  'express-relais': 'ER',
  ecotrack: 'EC',
  shiprocket: 'SR',
  clickpost: 'CP',
  shipway: 'SW',
  sendcloud: 'SC',
  swisspost: 'SP'
}

/**
 * A suggested slot: carrier, day of arrival, first letter of the name ("ER28-K"). Customers give
 * their name; the clerk finds the carrier's bay, the day's row, then the letter. Unknown parcels
 * (no shipment yet) go to a "??" bay so they are looked at again.
 */
export function suggestSlot(carrier: CarrierId | null, arrivedAt: number, recipientName: string | null): string {
  const code = carrier ? CARRIER_SHELF_CODE[carrier] : '??'
  const day = String(new Date(arrivedAt).getUTCDate()).padStart(2, '0')
  const letter = (recipientName ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .charAt(0)
    .toUpperCase()
  return `${code}${day}-${/^[A-Z]$/.test(letter) ? letter : '#'}`
}

/** Days a parcel waits before it goes back, when the clerk set nothing (carriers' usual terms). */
export const DEFAULT_HOLD_DAYS: Record<CarrierId, number> = {
  'express-relais': 7,
  ecotrack: 5,
  shiprocket: 7,
  clickpost: 7,
  shipway: 7,
  sendcloud: 14,
  swisspost: 7
}

export function holdDaysFor(carrier: CarrierId | null, config: Partial<Record<CarrierId, number>>): number {
  if (!carrier) return 7
  return config[carrier] ?? DEFAULT_HOLD_DAYS[carrier]
}

/** A parcel expires at the end of its last hold day (counted from arrival), not mid-afternoon. */
export function expiresAt(arrivedAt: number, holdDays: number): number {
  const startOfDay = arrivedAt - (arrivedAt % DAY)
  return startOfDay + (holdDays + 1) * DAY - 1
}

export const ID_TYPES = ['national_id', 'passport', 'driving_licence', 'residence_permit', 'other'] as const
export type IdType = (typeof ID_TYPES)[number]

/**
 * Only the last characters of an ID document are kept: 2 to 4 letters or digits. A longer value
 * is refused rather than truncated, so the full number never reaches the store, a log or an error.
 */
export function checkIdLast(value: string): string {
  const v = value.replace(/\s/g, '').toUpperCase()
  if (!/^[0-9A-Z]{2,4}$/.test(v)) {
    throw new GuichetError('invalid_input', 'Type only the last 2 to 4 characters of the ID document, never the full number.', {
      field: 'idLast'
    })
  }
  return v
}

/** Money as cents, so sums of COD per carrier do not drift. */
export const toCents = (amount: number): number => Math.round(amount * 100)

interface ReportInput {
  day: string
  checkedIn: Array<{ carrier: CarrierId | null; damaged: boolean; notForPoint: boolean; unmatched: boolean }>
  refused: Array<{ carrier: CarrierId | null }>
  handedOver: Array<{ carrier: CarrierId | null; codAmount: number | null; currency: string | null; codMethod: string | null }>
  droppedOff: Array<{ carrier: CarrierId | null }>
  collected: Array<{ carrier: CarrierId | null }>
  preparedForReturn: Array<{ carrier: CarrierId | null }>
  overrides: number
  onShelf: number
}

/** The day's figures as the contract gives them to the screen, before the CSV and document are laid out. */
type DayReport = Omit<CounterDayReport, 'csv' | 'document'>
type CarrierLine = DayReport['carriers'][number]

export function buildReport(i: ReportInput): DayReport {
  const lines = new Map<string, CarrierLine>()
  const line = (c: CarrierId | null): CarrierLine => {
    const key = c ?? 'unknown'
    let l = lines.get(key)
    if (!l) {
      l = { carrier: key, in: 0, out: 0, handedOver: 0, droppedOff: 0, collected: 0, refused: 0, cod: [] }
      lines.set(key, l)
    }
    return l
  }
  for (const p of i.checkedIn) line(p.carrier).in++
  for (const p of i.droppedOff) {
    line(p.carrier).droppedOff++
    line(p.carrier).in++
  }
  for (const p of i.refused) line(p.carrier).refused++
  for (const p of i.collected) {
    line(p.carrier).collected++
    line(p.carrier).out++
  }
  for (const h of i.handedOver) {
    const l = line(h.carrier)
    l.handedOver++
    l.out++
    if (h.codAmount !== null && h.codAmount > 0) {
      const currency = h.currency ?? '?'
      const method = h.codMethod ?? 'cash'
      let c = l.cod.find((x) => x.currency === currency && x.method === method)
      if (!c) l.cod.push((c = { currency, method, cents: 0, count: 0 }))
      c.cents += toCents(h.codAmount)
      c.count++
    }
  }
  const order = (c: string) => (c === 'unknown' ? 99 : (CARRIERS as readonly string[]).indexOf(c))
  const carriers = [...lines.values()].sort((a, b) => order(a.carrier) - order(b.carrier))
  return {
    day: i.day,
    totals: {
      in: i.checkedIn.length + i.droppedOff.length,
      out: i.handedOver.length + i.collected.length,
      handedOver: i.handedOver.length,
      droppedOff: i.droppedOff.length,
      collected: i.collected.length,
      refused: i.refused.length,
      preparedForReturn: i.preparedForReturn.length,
      onShelf: i.onShelf
    },
    exceptions: {
      damaged: i.checkedIn.filter((p) => p.damaged).length,
      notForPoint: i.checkedIn.filter((p) => p.notForPoint).length,
      unmatched: i.checkedIn.filter((p) => p.unmatched).length,
      overrides: i.overrides
    },
    carriers
  }
}

/** A CSV cell: quoted when needed; a leading =,+,-,@ is defused so a spreadsheet does not run it. */
export function csvCell(v: string | number, separator: ',' | ';' = ','): string {
  let s = String(v)
  if (typeof v === 'string' && /^[=+\-@]/.test(s)) s = `'${s}`
  return /["\n\r]/.test(s) || s.includes(separator) ? `"${s.replace(/"/g, '""')}"` : s
}

/** How a spreadsheet of the clerk's language reads a CSV (Excel takes its separator from the locale). */
interface CsvConventions {
  /** ';' where the decimal mark is a comma (fr, de), else ','. */
  separator: ',' | ';'
  decimal: ',' | '.'
  /** Column titles in the clerk's language, by column. */
  headers: Record<CsvColumn, string>
}

export function csvConventions(lang: Language, headers: Record<CsvColumn, string>): CsvConventions {
  const comma = lang === 'fr' || lang === 'de'
  return { separator: comma ? ';' : ',', decimal: comma ? ',' : '.', headers }
}

/**
 * The day report as a CSV a spreadsheet opens in columns: the locale's separator and decimal
 * mark, translated headers, and a UTF-8 byte order mark so Excel reads accents and Arabic.
 */
export function reportCsv(r: DayReport, conv: CsvConventions, words: { total: string; unknown: string }): string {
  const money = (cents: number) => (cents / 100).toFixed(2).replace('.', conv.decimal)
  const rows: Array<Array<string | number>> = [CSV_COLUMNS.map((c) => conv.headers[c])]
  for (const l of r.carriers) {
    const name = l.carrier === 'unknown' ? words.unknown : CARRIER_NAMES[l.carrier]
    const base = [r.day, name, l.in, l.out, l.handedOver, l.droppedOff, l.collected, l.refused]
    if (l.cod.length === 0) rows.push([...base, '', '', '', 0])
    for (const c of l.cod) rows.push([...base, c.currency, c.method, money(c.cents), c.count])
  }
  const t = r.totals
  rows.push([r.day, words.total, t.in, t.out, t.handedOver, t.droppedOff, t.collected, t.refused, '', '', '', ''])
  return '\ufeff' + rows.map((row) => row.map((v) => csvCell(v, conv.separator)).join(conv.separator)).join('\r\n') + '\r\n'
}

const ymdFormats = new Map<string, Intl.DateTimeFormat>()
const ymdFormat = (timeZone: string | undefined) => {
  const key = timeZone ?? ''
  let f = ymdFormats.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      ...(timeZone ? { timeZone } : {})
    })
    ymdFormats.set(key, f)
  }
  return f
}

/** Wall-clock fields of t in a zone (undefined: the machine's). */
function wallClock(t: number, timeZone: string | undefined): { y: number; m: number; d: number; asUtc: number } {
  const p: Record<string, number> = {}
  for (const part of ymdFormat(timeZone).formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value)
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!)
  return { y: p.year!, m: p.month!, d: p.day!, asUtc }
}

/** The instant of local midnight starting y-m-d in the zone (DST days are 23 or 25 hours long). */
function localMidnight(y: number, m: number, d: number, timeZone: string | undefined): number {
  const guess = Date.UTC(y, m - 1, d)
  // Offset = wall clock - UTC; taken at the guess, then again at the first answer for DST edges.
  let t = guess - (wallClock(guess, timeZone).asUtc - Math.floor(guess / 1000) * 1000)
  t = guess - (wallClock(t, timeZone).asUtc - Math.floor(t / 1000) * 1000)
  return t
}

/**
 * The counter's local day [start, end) containing t, and its name (YYYY-MM-DD): a report that
 * starts at the counter's midnight, not at UTC's (Casablanca and Zurich are 1-2 hours ahead).
 */
export function dayBounds(t: number, timeZone?: string): { day: string; start: number; end: number } {
  const { y, m, d } = wallClock(t, timeZone)
  return namedDayBounds(`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`, timeZone)
}

/** The local day called YYYY-MM-DD. */
export function namedDayBounds(day: string, timeZone?: string): { day: string; start: number; end: number } {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  const next = new Date(Date.UTC(y, m - 1, d) + DAY)
  return {
    day,
    start: localMidnight(y, m, d, timeZone),
    end: localMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), timeZone)
  }
}
