// Names a thermal printer font or a carrier API can't take are caught here, before printing,
// and replaced by a Latin transliteration with a warning the counter sees.
import { replacedChars, type LabelWarning } from '../../../shared/label-warnings'

/** Arabic letters to a plain Latin spelling (no diacritics: printer fonts lack them too). */
const ARABIC: Record<string, string> = {
  ا: 'a',
  أ: 'a',
  إ: 'i',
  آ: 'a',
  ء: "'",
  ؤ: "'",
  ئ: "'",
  ى: 'a',
  ة: 'a',
  ب: 'b',
  ت: 't',
  ث: 'th',
  ج: 'j',
  ح: 'h',
  خ: 'kh',
  د: 'd',
  ذ: 'dh',
  ر: 'r',
  ز: 'z',
  س: 's',
  ش: 'sh',
  ص: 's',
  ض: 'd',
  ط: 't',
  ظ: 'z',
  ع: "'",
  غ: 'gh',
  ف: 'f',
  ق: 'q',
  ك: 'k',
  ل: 'l',
  م: 'm',
  ن: 'n',
  ه: 'h',
  و: 'w',
  ي: 'y',
  پ: 'p',
  چ: 'ch',
  ڤ: 'v',
  گ: 'g',
  '٠': '0',
  '١': '1',
  '٢': '2',
  '٣': '3',
  '٤': '4',
  '٥': '5',
  '٦': '6',
  '٧': '7',
  '٨': '8',
  '٩': '9',
  '،': ',',
  '؛': ';',
  '؟': '?',
  ـ: ''
}
const ARABIC_MARKS = /[\u064B-\u065F\u0670]/g

/** Latin letters NFKD does not split. */
const SPECIAL: Record<string, string> = {
  ß: 'ss',
  Æ: 'AE',
  æ: 'ae',
  Ø: 'O',
  ø: 'o',
  Œ: 'OE',
  œ: 'oe',
  Đ: 'D',
  đ: 'd',
  Ł: 'L',
  ł: 'l',
  Þ: 'Th',
  þ: 'th',
  ı: 'i',
  '’': "'",
  '‘': "'",
  '“': '"',
  '”': '"',
  '–': '-',
  '—': '-',
  '…': '...'
}

/** What a target can print: ascii for strict carrier calls, latin1 for Zebra font 0 with ^CI28. */
type Charset = 'ascii' | 'latin1'

const fits = (ch: string, charset: Charset): boolean => {
  const cp = ch.codePointAt(0)!
  return charset === 'ascii' ? cp >= 0x20 && cp < 0x7f : (cp >= 0x20 && cp < 0x7f) || (cp >= 0xa0 && cp <= 0xff)
}

function foldChar(ch: string, charset: Charset): string {
  if (fits(ch, charset)) return ch
  if (ch in SPECIAL) return SPECIAL[ch]!
  if (ch in ARABIC) return ARABIC[ch]!
  const base = ch.normalize('NFKD').replace(/\p{M}/gu, '')
  if (base && [...base].every((c) => fits(c, charset))) return base
  if (/\s/u.test(ch)) return ' '
  return '?'
}

interface Folded {
  text: string
  changed: boolean
}

/** Transliterates `text` into `charset`; `changed` says the printed name differs from the real one. */
export function foldText(text: string, charset: Charset): Folded {
  const stripped = text.replace(ARABIC_MARKS, '')
  let out = ''
  for (const ch of stripped) out += foldChar(ch, charset)
  out = out.replace(/\s+/g, ' ').trim()
  // Arabic words come out lower case; start each with a capital so a name still reads as a name.
  if (/[\u0600-\u06FF]/.test(text)) out = out.replace(/(^|\s)([a-z])/g, (_m, s: string, c: string) => s + c.toUpperCase())
  return { text: out, changed: out !== text.replace(/\s+/g, ' ').trim() }
}

/** True when every character prints in `charset` as is. */
export const printable = (text: string, charset: Charset): boolean => (charset === 'ascii' ? ASCII_ONLY : LATIN1_ONLY).test(text)
const ASCII_ONLY = /^[\x20-\x7e]*$/
const LATIN1_ONLY = /^[\x20-\x7e\xa0-\xff]*$/

/**
 * An address made safe for a carrier call that takes plain ASCII (some Swiss Post fields), with
 * one warning per changed field so the counter sees what the carrier will print.
 */
export function foldAddress<A extends object>(
  address: A,
  charset: Charset,
  prefix = 'recipient'
): { address: A; warnings: LabelWarning[] } {
  const out = { ...address } as Record<string, unknown>
  const warnings: LabelWarning[] = []
  for (const [k, v] of Object.entries(address)) {
    if (typeof v !== 'string' || printable(v, charset)) continue
    const f = foldText(v, charset)
    out[k] = f.text
    warnings.push({ code: 'sent_as', params: { field: `${prefix}.${k}`, from: v, to: f.text, chars: replacedChars(v, f.text) } })
  }
  return { address: out as A, warnings }
}
