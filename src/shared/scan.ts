// Cleaning what a barcode scanner (keyboard wedge) or a person sends, before any lookup.
// Pure: used by the renderer's scan listener and by the main process, and unit-tested alone.

/** AIM symbology identifiers some scanners prepend: "]C1" (GS1-128), "]d2" (GS1 DataMatrix), "]Q3"... */
const AIM_PREFIX = /^\][A-Za-z][0-9A-Za-z]/
/** ASCII control characters (incl. GS/RS/EOT used in GS1 and ISO 15434 payloads) and DEL. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g
/** Invisible formatting characters that sneak in from copy-paste (zero-width, BOM, bidi marks). */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g

interface ScanCleanOptions {
  /** Configured scanner prefix/suffix to strip (some sites program "*" or "STX"...). */
  prefix?: string
  suffix?: string
}

/** Removes scanner framing and stray characters; keeps the payload exactly otherwise. */
export function normalizeScan(raw: string, opts: ScanCleanOptions = {}): string {
  let s = raw.replace(INVISIBLE, '')
  s = s.replace(CONTROL, '').trim()
  if (opts.prefix && s.startsWith(opts.prefix)) s = s.slice(opts.prefix.length)
  if (opts.suffix && s.endsWith(opts.suffix)) s = s.slice(0, s.length - opts.suffix.length)
  s = s.replace(AIM_PREFIX, '')
  return s.trim()
}

/** The key under which tracking numbers are stored and compared: no spaces or dots, upper case. */
export function trackingKey(value: string): string {
  return normalizeScan(value)
    .replace(/[\s.\-_/]/g, '')
    .toUpperCase()
}

/** True when the text looks like a code (tracking number, AWB, reference) rather than a name. */
export function looksLikeCode(value: string): boolean {
  const s = value.replace(/[\s.\-_/]/g, '')
  return s.length >= 6 && /\d/.test(s) && /^[0-9A-Za-z]+$/.test(s)
}

/** Digits only, for phone search; "+212 6 12-34" -> "2126 1234" -> "212612 34". */
export function phoneDigits(value: string): string {
  return value.replace(/\D/g, '')
}

/**
 * Keys a phone is found by: the full international digits, and the national significant number
 * (without the country code or a leading 0), so "0551 23", "551 23" and "+213 551 23" all match.
 */
export function phoneKeys(phone: string | null | undefined): string {
  if (!phone) return ''
  const digits = phoneDigits(phone)
  if (!digits) return ''
  const keys = new Set<string>([digits])
  const national = nationalNumber(digits)
  if (national) keys.add(national)
  return [...keys].join(' ')
}

const COUNTRY_CODES = ['212', '213', '216', '41', '33', '31', '49', '91', '32', '34', '39', '44']

export function nationalNumber(digits: string): string {
  if (digits.startsWith('00')) digits = digits.slice(2)
  for (const cc of COUNTRY_CODES) {
    if (digits.startsWith(cc) && digits.length - cc.length >= 8) return digits.slice(cc.length).replace(/^0+/, '')
  }
  return digits.replace(/^0+/, '')
}

/**
 * Recognises a keyboard-wedge burst: characters arriving faster than a person types, ended by Enter.
 * Feed it every key with its timestamp; it returns the scanned text when a burst ends.
 */
export class WedgeDetector {
  private buffer = ''
  private last = -Infinity
  private fastKeys = 0
  constructor(private readonly opts: { maxGapMs?: number; minLength?: number } & ScanCleanOptions = {}) {}

  /** Returns the cleaned scan when `key` is the Enter that ends a burst, otherwise null. */
  feed(key: string, atMs: number): string | null {
    const maxGap = this.opts.maxGapMs ?? 50
    const gap = atMs - this.last
    this.last = atMs
    if (key === 'Enter' || key === '\n' || key === '\r') {
      const text = this.buffer
      const burst = this.fastKeys >= Math.max(0, text.length - 2)
      this.reset()
      if (gap > maxGap * 4 || !burst) return null
      const cleaned = normalizeScan(text, this.opts)
      return cleaned.length >= (this.opts.minLength ?? 4) ? cleaned : null
    }
    if (key.length !== 1) return null // Shift, Tab, arrows: not part of a payload
    if (gap > maxGap) {
      // A slow key starts a new candidate burst.
      this.buffer = key
      this.fastKeys = 0
      return null
    }
    this.buffer += key
    this.fastKeys++
    return null
  }

  reset(): void {
    this.buffer = ''
    this.fastKeys = 0
  }
}
