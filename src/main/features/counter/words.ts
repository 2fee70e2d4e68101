// The fixed words of the counter's printed documents (hand-over receipt, return drop-off receipt,
// return-to-sender and driver collection manifests, day report) in the four languages Guichet
// speaks. Each language is one object typed against the same interface: a missing word is a
// compile error, and plural forms are typed per language against its CLDR plural categories.
// Parcel data (tracking numbers, names, carrier names, reasons typed by the clerk) is never translated.
import type { Language } from '../../../shared/app'
import type { IdType } from './core'

export const DOC_LANGUAGES: readonly Language[] = ['fr', 'en', 'ar', 'de']

/** How the identity of the person collecting was checked (counter_handovers.method). */
export type CheckMethod = 'id+code' | 'id' | 'code' | 'override'
type PayMethod = 'cash' | 'card'
export const CSV_COLUMNS = [
  'day',
  'carrier',
  'in',
  'out',
  'handedOver',
  'droppedOff',
  'collected',
  'refused',
  'codCurrency',
  'codMethod',
  'codAmount',
  'codCount'
] as const
export type CsvColumn = (typeof CSV_COLUMNS)[number]

/** CLDR plural categories of each language (what Intl.PluralRules answers; checked by the tests). */
interface PluralCategories {
  fr: 'one' | 'many' | 'other'
  en: 'one' | 'other'
  ar: 'zero' | 'one' | 'two' | 'few' | 'many' | 'other'
  de: 'one' | 'other'
}

/** One form per plural category; n is the count already formatted for the language. */
type PluralForms<L extends Language> = Record<PluralCategories[L], (n: string) => string>

/** The words every language has, whatever its plural rules. */
export interface CommonWords {
  /** Between a label and its value ("Check: id", French "Vérification : id"). */
  colon: string
  // titles
  // titles: the document's number per type and day ("R-20261203-001")
  receiptTitle: (no: string) => string
  dropoffTitle: (no: string) => string
  returnTitle: (no: string) => string
  collectionTitle: (no: string) => string
  dayTitle: (day: string) => string
  // hand-over receipt
  check: string
  checkMethod: Record<CheckMethod, string>
  idType: Record<IdType, string>
  cod: string
  payMethod: Record<PayMethod, string>
  override: string
  // the customer's receipt
  slot: string
  signature: string
  totalRow: string
  // the day report's spreadsheet (CSV) columns
  csv: Record<CsvColumn, string>
  // return drop-off receipt
  carrierNotKnownYet: string
  withNextCollection: string
  // return-to-sender manifest
  toReturn: (parcels: string) => string
  // driver collection manifest
  driver: string
  returnTag: string
  expiredTag: string
  missingTag: string
  notOnManifestTag: string
  handedToDriver: (parcels: string) => string
  differencesAccepted: string
  // day report
  reportIn: (total: number, droppedOff: number, refused: number) => string
  reportOut: (total: number, handedOver: number, collected: number) => string
  reportReturns: (prepared: number, onShelf: number) => string
  reportExceptions: (damaged: number, notForPoint: number, unmatched: number, overrides: number) => string
  reportCarrier: (carrier: string, inCount: number, outCount: number, handedOver: number) => string
  unknownCarrier: string
}

/** One language's words: the common ones and "N parcel(s)", one form per plural category. */
export type Words<L extends Language> = CommonWords & { parcels: PluralForms<L> }

const NBSP = '\u00a0'
const LRI = '\u2066'
const PDI = '\u2069'

const fr: Words<'fr'> = {
  colon: `${NBSP}: `,
  receiptTitle: (no) => `Reçu n°${NBSP}${no}`,
  dropoffTitle: (no) => `Dépôt de retour n°${NBSP}${no}`,
  returnTitle: (no) => `Retour à l’expéditeur n°${NBSP}${no}`,
  collectionTitle: (no) => `Enlèvement chauffeur n°${NBSP}${no}`,
  dayTitle: (day) => `Fin de journée du ${day}`,
  check: 'Vérification',
  checkMethod: {
    'id+code': 'pièce d’identité et code de retrait',
    id: 'pièce d’identité',
    code: 'code de retrait',
    override: 'sans vérification (dérogation)'
  },
  idType: {
    national_id: 'carte d’identité',
    passport: 'passeport',
    driving_licence: 'permis de conduire',
    residence_permit: 'titre de séjour',
    other: 'pièce d’identité'
  },
  cod: 'Contre-remboursement',
  payMethod: { cash: 'espèces', card: 'carte' },
  override: 'Dérogation',
  slot: 'Emplacement',
  signature: 'Signature',
  totalRow: 'TOTAL',
  csv: {
    day: 'Jour',
    carrier: 'Transporteur',
    in: 'Entrées',
    out: 'Sorties',
    handedOver: 'Remises',
    droppedOff: 'Retours déposés',
    collected: 'Enlevés',
    refused: 'Refusés',
    codCurrency: 'Devise CR',
    codMethod: 'Mode CR',
    codAmount: 'Montant CR',
    codCount: 'Nombre CR'
  },
  carrierNotKnownYet: 'Transporteur encore inconnu',
  withNextCollection: 'Remis au transporteur au prochain passage du chauffeur.',
  toReturn: (p) => `${p} à retourner`,
  driver: 'chauffeur',
  returnTag: 'RETOUR',
  expiredTag: 'EXPIRÉ',
  missingTag: 'MANQUANT',
  notOnManifestTag: 'HORS MANIFESTE',
  handedToDriver: (p) => `${p} remis au chauffeur`,
  differencesAccepted: 'Écarts acceptés',
  reportIn: (t, d, r) => `Entrées${NBSP}: ${t} (retours déposés ${d}) · refusés ${r}`,
  reportOut: (t, h, c) => `Sorties${NBSP}: ${t} (remises ${h}, enlevés par le chauffeur ${c})`,
  reportReturns: (p, s) => `Préparés pour le retour${NBSP}: ${p} · sur l’étagère maintenant${NBSP}: ${s}`,
  reportExceptions: (d, n, u, o) => `Anomalies${NBSP}: endommagés ${d}, pas pour ce point ${n}, non rapprochés ${u}, dérogations ${o}`,
  reportCarrier: (c, i, o, h) => `${c}${NBSP}: entrées ${i}, sorties ${o}, remises ${h}`,
  unknownCarrier: 'Transporteur inconnu',
  parcels: { one: (n) => `${n} colis`, many: (n) => `${n} de colis`, other: (n) => `${n} colis` }
}

const en: Words<'en'> = {
  colon: ': ',
  receiptTitle: (no) => `Receipt ${no}`,
  dropoffTitle: (no) => `Return drop-off ${no}`,
  returnTitle: (no) => `Return to sender ${no}`,
  collectionTitle: (no) => `Driver collection ${no}`,
  dayTitle: (day) => `End of day ${day}`,
  check: 'Check',
  checkMethod: { 'id+code': 'ID and pickup code', id: 'ID document', code: 'pickup code', override: 'no check (override)' },
  idType: {
    national_id: 'ID card',
    passport: 'passport',
    driving_licence: 'driving licence',
    residence_permit: 'residence permit',
    other: 'ID document'
  },
  cod: 'COD',
  payMethod: { cash: 'cash', card: 'card' },
  override: 'Override',
  slot: 'Slot',
  signature: 'Signature',
  totalRow: 'TOTAL',
  csv: {
    day: 'Day',
    carrier: 'Carrier',
    in: 'In',
    out: 'Out',
    handedOver: 'Hand-overs',
    droppedOff: 'Returns dropped off',
    collected: 'Collected',
    refused: 'Refused',
    codCurrency: 'COD currency',
    codMethod: 'COD method',
    codAmount: 'COD amount',
    codCount: 'COD count'
  },
  carrierNotKnownYet: 'Carrier not known yet',
  withNextCollection: 'Handed to the carrier with the next driver collection.',
  toReturn: (p) => `${p} to return`,
  driver: 'driver',
  returnTag: 'RETURN',
  expiredTag: 'EXPIRED',
  missingTag: 'MISSING',
  notOnManifestTag: 'NOT ON MANIFEST',
  handedToDriver: (p) => `${p} handed to the driver`,
  differencesAccepted: 'Differences accepted',
  reportIn: (t, d, r) => `In: ${t} (dropped-off returns ${d}) · refused ${r}`,
  reportOut: (t, h, c) => `Out: ${t} (hand-overs ${h}, collected by driver ${c})`,
  reportReturns: (p, s) => `Prepared for return: ${p} · on the shelf now: ${s}`,
  reportExceptions: (d, n, u, o) => `Exceptions: damaged ${d}, not for this point ${n}, unmatched ${u}, overrides ${o}`,
  reportCarrier: (c, i, o, h) => `${c}: in ${i}, out ${o}, hand-overs ${h}`,
  unknownCarrier: 'Unknown carrier',
  parcels: { one: (n) => `${n} parcel`, other: (n) => `${n} parcels` }
}

const ar: Words<'ar'> = {
  colon: ': ',
  receiptTitle: (no) => `إيصال رقم ${LRI}${no}${PDI}`,
  dropoffTitle: (no) => `إيداع مرتجع رقم ${LRI}${no}${PDI}`,
  returnTitle: (no) => `إرجاع إلى المرسل رقم ${LRI}${no}${PDI}`,
  collectionTitle: (no) => `استلام السائق رقم ${LRI}${no}${PDI}`,
  dayTitle: (day) => `نهاية يوم ${day}`,
  check: 'التحقق',
  checkMethod: { 'id+code': 'وثيقة الهوية ورمز الاستلام', id: 'وثيقة الهوية', code: 'رمز الاستلام', override: 'دون تحقق (استثناء)' },
  idType: {
    national_id: 'بطاقة التعريف',
    passport: 'جواز السفر',
    driving_licence: 'رخصة السياقة',
    residence_permit: 'بطاقة الإقامة',
    other: 'وثيقة هوية'
  },
  cod: 'الدفع عند الاستلام',
  payMethod: { cash: 'نقدًا', card: 'بطاقة' },
  override: 'استثناء',
  slot: 'الموضع',
  signature: 'التوقيع',
  totalRow: 'المجموع',
  csv: {
    day: 'اليوم',
    carrier: 'الناقل',
    in: 'الداخل',
    out: 'الخارج',
    handedOver: 'التسليمات',
    droppedOff: 'المرتجعات المودعة',
    collected: 'المستلمة من السائق',
    refused: 'المرفوضة',
    codCurrency: 'عملة الدفع عند الاستلام',
    codMethod: 'طريقة الدفع عند الاستلام',
    codAmount: 'مبلغ الدفع عند الاستلام',
    codCount: 'عدد الدفع عند الاستلام'
  },
  carrierNotKnownYet: 'الناقل غير معروف بعد',
  withNextCollection: 'يُسلَّم إلى الناقل مع استلام السائق القادم.',
  toReturn: (p) => `للإرجاع: ${p}`,
  driver: 'السائق',
  returnTag: 'مرتجع',
  expiredTag: 'منتهي المدة',
  missingTag: 'مفقود',
  notOnManifestTag: 'ليس في البيان',
  handedToDriver: (p) => `سُلّم إلى السائق: ${p}`,
  differencesAccepted: 'فروق مقبولة',
  reportIn: (t, d, r) => `الداخل: ${t} (مرتجعات مودعة ${d}) · مرفوض ${r}`,
  reportOut: (t, h, c) => `الخارج: ${t} (تسليمات ${h}، استلمها السائق ${c})`,
  reportReturns: (p, s) => `مُعدّ للإرجاع: ${p} · على الرفوف الآن: ${s}`,
  reportExceptions: (d, n, u, o) => `استثناءات: تالف ${d}، ليس لهذه النقطة ${n}، غير مطابق ${u}، تسليم دون تحقق ${o}`,
  reportCarrier: (c, i, o, h) => `${c}: الداخل ${i}، الخارج ${o}، تسليمات ${h}`,
  unknownCarrier: 'ناقل غير معروف',
  parcels: {
    zero: () => 'لا طرود',
    one: () => 'طرد واحد',
    two: () => 'طردان',
    few: (n) => `${n} طرود`,
    many: (n) => `${n} طردًا`,
    other: (n) => `${n} طرد`
  }
}

const de: Words<'de'> = {
  colon: ': ',
  receiptTitle: (no) => `Quittung Nr. ${no}`,
  dropoffTitle: (no) => `Retourenannahme Nr. ${no}`,
  returnTitle: (no) => `Rücksendung an den Absender Nr. ${no}`,
  collectionTitle: (no) => `Fahrer-Abholung Nr. ${no}`,
  dayTitle: (day) => `Tagesabschluss ${day}`,
  check: 'Prüfung',
  checkMethod: { 'id+code': 'Ausweis und Abholcode', id: 'Ausweis', code: 'Abholcode', override: 'ohne Prüfung (Ausnahme)' },
  idType: {
    national_id: 'Personalausweis',
    passport: 'Reisepass',
    driving_licence: 'Führerschein',
    residence_permit: 'Aufenthaltstitel',
    other: 'Ausweis'
  },
  cod: 'Nachnahme',
  payMethod: { cash: 'bar', card: 'Karte' },
  override: 'Ausnahme',
  slot: 'Fach',
  signature: 'Unterschrift',
  totalRow: 'GESAMT',
  csv: {
    day: 'Tag',
    carrier: 'Zusteller',
    in: 'Ein',
    out: 'Aus',
    handedOver: 'Ausgaben',
    droppedOff: 'Abgegebene Retouren',
    collected: 'Abgeholt',
    refused: 'Abgelehnt',
    codCurrency: 'Nachnahme Währung',
    codMethod: 'Nachnahme Zahlart',
    codAmount: 'Nachnahme Betrag',
    codCount: 'Nachnahme Anzahl'
  },
  carrierNotKnownYet: 'Zusteller noch unbekannt',
  withNextCollection: 'Geht mit der nächsten Fahrer-Abholung an den Zusteller.',
  toReturn: (p) => `${p} zur Rücksendung`,
  driver: 'Fahrer',
  returnTag: 'RETOURE',
  expiredTag: 'ABGELAUFEN',
  missingTag: 'FEHLT',
  notOnManifestTag: 'NICHT AUF DEM MANIFEST',
  handedToDriver: (p) => `${p} dem Fahrer übergeben`,
  differencesAccepted: 'Abweichungen akzeptiert',
  reportIn: (t, d, r) => `Ein: ${t} (abgegebene Retouren ${d}) · abgelehnt ${r}`,
  reportOut: (t, h, c) => `Aus: ${t} (Ausgaben ${h}, vom Fahrer abgeholt ${c})`,
  reportReturns: (p, s) => `Zur Rücksendung vorbereitet: ${p} · jetzt im Regal: ${s}`,
  reportExceptions: (d, n, u, o) => `Besonderheiten: beschädigt ${d}, nicht für diesen Punkt ${n}, nicht zugeordnet ${u}, Ausnahmen ${o}`,
  reportCarrier: (c, i, o, h) => `${c}: ein ${i}, aus ${o}, Ausgaben ${h}`,
  unknownCarrier: 'Unbekannter Zusteller',
  parcels: { one: (n) => `${n} Paket`, other: (n) => `${n} Pakete` }
}

export const WORDS: { [L in Language]: Words<L> } = { fr, en, ar, de }

export const isRtl = (lang: Language): boolean => lang === 'ar'

/** The clerk's language, else the system's when Guichet speaks it, else French (as the renderer picks). */
export function docLanguage(saved: unknown, systemLocale: string | undefined): Language {
  if (typeof saved === 'string' && (DOC_LANGUAGES as readonly string[]).includes(saved)) return saved as Language
  const base = (systemLocale ?? '').toLowerCase().split(/[-_]/)[0] as Language
  return DOC_LANGUAGES.includes(base) ? base : 'fr'
}

/** Everything a document needs to speak one language: the words and the formats. */
export interface DocLocale {
  lang: Language
  rtl: boolean
  w: CommonWords
  /** A date and time in the machine's (or the given) time zone, formatted for the language. */
  time(ms: number): string
  /** A calendar day name (YYYY-MM-DD), formatted for the language. */
  day(name: string): string
  /** An amount with two decimals and its currency code, e.g. "349,00 MAD". */
  money(amount: number, currency: string | null): string
  /** "N parcel(s)" with the language's plural form. */
  parcels(n: number): string
  /** A tracking number, code or slot: kept left-to-right inside right-to-left text. */
  code(s: string): string
  /** A label and its value, with the language's colon. */
  label(label: string, value: string): string
  /** A payment or check method word (an unknown stored value is shown as is). */
  pay(method: string | null): string
}

const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.PluralRules>()
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.PluralRules>(key: string, make: () => T): T {
  let f = formatters.get(key) as T | undefined
  if (!f) formatters.set(key, (f = make()))
  return f
}

/** @param timeZone an IANA zone for tests and explicit setups; undefined: the system's. */
export function docLocale(lang: Language, timeZone?: string): DocLocale {
  const w: CommonWords = WORDS[lang]
  const plural = WORDS[lang].parcels as Partial<Record<Intl.LDMLPluralRule, (n: string) => string>>
  const rtl = isRtl(lang)
  const tz = timeZone ?? ''
  const code = (s: string): string => (rtl ? `${LRI}${s}${PDI}` : s)
  return {
    lang,
    rtl,
    w,
    time: (ms) =>
      cached(
        `t|${lang}|${tz}`,
        () => new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) })
      ).format(ms),
    day: (name) => {
      const ms = Date.parse(`${name}T00:00:00Z`)
      return Number.isNaN(ms)
        ? name
        : cached(`d|${lang}`, () => new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeZone: 'UTC' })).format(ms)
    },
    money: (amount, currency) => {
      const n = cached(`m|${lang}`, () => new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 })).format(
        amount
      )
      return code(currency ? `${n} ${currency}` : n)
    },
    parcels: (n) => {
      const cat = cached(`p|${lang}`, () => new Intl.PluralRules(lang)).select(n)
      const form = plural[cat] ?? plural.other!
      return form(cached(`n|${lang}`, () => new Intl.NumberFormat(lang)).format(n))
    },
    code,
    label: (l, v) => `${l}${w.colon}${v}`,
    pay: (method) => {
      const m = method ?? 'cash'
      return m in w.payMethod ? w.payMethod[m as PayMethod] : m
    }
  }
}
