// The label model and its layout: plain data and pure functions, shared by main (ZPL, PDF)
// and the renderer (preview). Both renderers draw the same layout, so preview, PDF and ZPL agree.
import type { CarrierId } from './domain'
import type { LabelWarning } from './label-warnings'

/** Physical label sizes, in millimetres (portrait). */
export const LABEL_SIZES = {
  A6: { widthMm: 105, heightMm: 148 },
  '4x6': { widthMm: 101.6, heightMm: 152.4 },
  A5: { widthMm: 148, heightMm: 210 },
  A7: { widthMm: 74, heightMm: 105 }
} as const
export type LabelSizeId = keyof typeof LABEL_SIZES
export const LABEL_SIZE_IDS = Object.keys(LABEL_SIZES) as LabelSizeId[]

/** Thermal printer resolutions Guichet drives natively. */
export const ZPL_DPIS = [203, 300] as const
export type ZplDpi = (typeof ZPL_DPIS)[number]

const MM_PER_INCH = 25.4
export const mmToInches = (mm: number): number => mm / MM_PER_INCH
export const mmToPoints = (mm: number): number => (mm / MM_PER_INCH) * 72
export const mmToMicrons = (mm: number): number => Math.round(mm * 1000)
/** Printer dots for a length; ZPL coordinates are integers. */
export const mmToDots = (mm: number, dpi: number): number => Math.round((mm / MM_PER_INCH) * dpi)

export interface LabelAddress {
  name1: string
  /** For Swiss Post PickPost / My Post 24: exactly "PickPost <UserID>" or "My Post 24 <UserID>". */
  name2?: string | null
  name3?: string | null
  street?: string | null
  houseNo?: string | null
  zip?: string | null
  city: string
  /** ISO 3166-1 alpha-2. */
  country?: string | null
  phone?: string | null
}

export type BarcodeKind = 'code128' | 'datamatrix' | 'qrcode'
export interface LabelBarcode {
  kind: BarcodeKind
  payload: string
  /** tracking: the parcel number scanned everywhere; routing/pickup: carrier-specific extras. */
  role: 'tracking' | 'routing' | 'pickup'
}

/** Everything a generated label shows. Carrier adapters fill it; renderers only draw it. */
export interface LabelModel {
  carrier: CarrierId
  trackingNumber: string
  reference: string | null
  sender: LabelAddress | null
  /** The delivery address. For a pickup point: the point's address, the person in name1. */
  recipient: LabelAddress
  /** The billing / home address: kept apart, never printed as the delivery address. */
  billing: LabelAddress | null
  deliveryPoint: { id: string; name: string; type?: string | null } | null
  /** Carrier service codes or names, e.g. "PRI", "ECO", "Stop desk". */
  service: string
  weightGrams: number | null
  cod: { amount: number; currency: string } | null
  barcodes: LabelBarcode[]
  /** Short carrier marks printed large: "PRIORITY", "PickPost", "COD"... */
  marks: string[]
  /** Things the counter must see before printing (transliterated names...). */
  warnings: LabelWarning[]
}

/** The few words a label prints around the addresses, in the destination's language. */
interface LabelWords {
  from: string
  to: string
  toPoint: string
  tel: string
  point: string
  cod: string
  ref: string
  /** The service line when the carrier names none: to a pickup point, or to the door. */
  servicePoint: string
  serviceHome: string
}

const LABEL_WORDS = {
  fr: {
    from: 'Expéditeur',
    to: 'Destinataire',
    toPoint: 'Destinataire (point de retrait)',
    tel: 'Tél.',
    point: 'Point',
    cod: 'C/R',
    ref: 'Réf.',
    servicePoint: 'Livraison en point de retrait',
    serviceHome: 'Livraison à domicile'
  },
  de: {
    from: 'Absender',
    to: 'Empfänger',
    toPoint: 'Empfänger (Abholstelle)',
    tel: 'Tel.',
    point: 'Abholstelle',
    cod: 'NN',
    ref: 'Ref.',
    servicePoint: 'Zustellung an Abholstelle',
    serviceHome: 'Hauszustellung'
  },
  en: {
    from: 'From',
    to: 'To',
    toPoint: 'To (pickup point)',
    tel: 'Tel',
    point: 'Point',
    cod: 'COD',
    ref: 'Ref',
    servicePoint: 'Pickup point delivery',
    serviceHome: 'Home delivery'
  }
} as const satisfies Record<string, LabelWords>

const FRENCH_SPEAKING = new Set(['FR', 'BE', 'LU', 'MC', 'MA', 'DZ', 'TN', 'SN', 'CI'])
const GERMAN_SPEAKING = new Set(['DE', 'AT', 'LI'])

/** Where a carrier delivers when an address does not say its country (a point's one-line address). */
const CARRIER_COUNTRY: Partial<Record<CarrierId, string>> = { 'express-relais': 'MA', ecotrack: 'DZ', swisspost: 'CH' }

/**
 * The label's language follows where the parcel goes (a French or Moroccan point reads French):
 * Switzerland by postcode, 1000–2999 being Romandy; countries not listed keep English. An address
 * without a country takes its carrier's, so a Moroccan relay point's label never falls back to English.
 */
export function labelWords(to: Pick<LabelAddress, 'country' | 'zip'>, carrier?: CarrierId): LabelWords {
  const country = (to.country || (carrier && CARRIER_COUNTRY[carrier]) || '').toUpperCase()
  if (FRENCH_SPEAKING.has(country)) return LABEL_WORDS.fr
  if (GERMAN_SPEAKING.has(country)) return LABEL_WORDS.de
  if (country === 'CH') {
    const zip = Number((to.zip ?? '').replace(/\D/g, '').slice(0, 4))
    return zip >= 1000 && zip < 3000 ? LABEL_WORDS.fr : LABEL_WORDS.de
  }
  return LABEL_WORDS.en
}

// ---------------------------------------------------------------------------------------------
// Layout: absolute boxes in millimetres, computed once, drawn by the SVG and the ZPL renderers.

interface TextEl {
  type: 'text'
  /** Which model field this is (for warnings and for per-field fallbacks). */
  field: string
  x: number
  y: number
  /** Cap-to-descender height of the font, mm. */
  size: number
  text: string
  bold?: boolean
  /** Maximum width, mm; the text was already cut to fit. */
  width: number
}
interface LineEl {
  type: 'line'
  x: number
  y: number
  w: number
  h: number
}
interface BarcodeEl {
  type: 'barcode'
  kind: BarcodeKind
  payload: string
  x: number
  y: number
  /** Module (narrowest bar / cell) size, mm. */
  module: number
  /** Bar height for linear codes, mm. */
  height: number
  /** Width available, mm (the symbol is left-aligned inside). */
  width: number
}
export type LayoutEl = TextEl | LineEl | BarcodeEl

export interface LabelLayout {
  size: LabelSizeId
  widthMm: number
  heightMm: number
  elements: LayoutEl[]
}

/** Average advance of a sans-serif glyph as a fraction of the font size; used to cut text to fit. */
const CHAR_ADVANCE = 0.58

function fitText(text: string, widthMm: number, sizeMm: number): string {
  const clean = /\s\s|^\s|\s$|[\t\n\r]/.test(text) ? text.replace(/\s+/g, ' ').trim() : text
  const max = Math.max(1, Math.floor(widthMm / (sizeMm * CHAR_ADVANCE)))
  return clean.length <= max ? clean : clean.slice(0, Math.max(1, max - 1)) + '…'
}

/**
 * Code 128 width in modules, the way an auto-switching encoder (bwip-js, Zebra ^BC mode A) packs
 * it: runs of 4+ digits in subset C, the rest in subset B. Used to pick a module that fits.
 */
function code128Modules(payload: string): number {
  let symbols = 0
  let i = 0
  while (i < payload.length) {
    let run = 0
    while (i + run < payload.length && isDigit(payload.charCodeAt(i + run))) run++
    if (run >= 4) {
      symbols += Math.floor(run / 2) + 1 // pairs plus a code switch
      i += run - (run % 2)
      if (run % 2) {
        symbols += 2
        i += 1
      }
    } else {
      symbols += 1
      i += 1
    }
  }
  // start + check + stop (13 modules) + symbols.
  return (symbols + 2) * 11 + 13
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57

function addressLines(a: LabelAddress): Array<{ field: string; text: string }> {
  const lines: Array<{ field: string; text: string }> = [{ field: 'name1', text: a.name1 }]
  if (a.name2) lines.push({ field: 'name2', text: a.name2 })
  if (a.name3) lines.push({ field: 'name3', text: a.name3 })
  const street = [a.street, a.houseNo].filter(Boolean).join(' ')
  if (street) lines.push({ field: 'street', text: street })
  lines.push({ field: 'city', text: [a.zip, a.city].filter(Boolean).join(' ') })
  if (a.country) lines.push({ field: 'country', text: a.country.toUpperCase() })
  return lines
}

/**
 * The From block: one line when the whole address fits ("Name, Street 4, 1204 City, CH"), else
 * the name on one line and the address on the next, so the city and phone are not cut away.
 */
function senderLines(s: LabelAddress, widthMm: number, sizeMm: number, tel: string): Array<{ field: string; text: string }> {
  const name = [s.name1, s.name2].filter(Boolean).join(', ')
  const place = [
    [s.street, s.houseNo].filter(Boolean).join(' '),
    [s.zip, s.city].filter(Boolean).join(' '),
    s.country ?? '',
    s.phone ? `${tel} ${s.phone}` : ''
  ]
    .filter(Boolean)
    .join(', ')
  const oneLine = [name, place].filter(Boolean).join(', ')
  if (fitText(oneLine, widthMm, sizeMm) === oneLine.replace(/\s+/g, ' ').trim()) return [{ field: 'sender', text: oneLine }]
  return [
    { field: 'sender', text: name },
    { field: 'sender.address', text: place }
  ].filter((l) => l.text)
}

/**
 * The one layout for every size: proportions scale with the label, text is cut to fit, the
 * Code 128 module is chosen from a printer-friendly set (a whole number of dots at 203 and 300 dpi
 * is the ZPL renderer's job; here it is a size in mm).
 */
export function layoutLabel(model: LabelModel, size: LabelSizeId): LabelLayout {
  const { widthMm: W, heightMm: H } = LABEL_SIZES[size]
  const m = Math.max(3, W * 0.04)
  const inner = W - 2 * m
  const k = W / 101.6 // font scale relative to a 4-inch label
  const els: LayoutEl[] = []
  const text = (field: string, x: number, y: number, sz: number, t: string, width: number, bold = false) => {
    els.push({ type: 'text', field, x, y, size: sz, text: fitText(t, width, sz), bold, width })
  }
  const line = (y: number) => els.push({ type: 'line', x: m, y, w: inner, h: Math.max(0.3, 0.5 * k) })

  const w = labelWords(model.recipient, model.carrier)
  // Marks are words too: "COD" reads "C/R" on a French label, "NN" on a German one.
  const marks = model.marks.map((mk) => (mk === 'COD' ? w.cod : mk))
  let y = m
  // Header: carrier and service on the left, marks on the right.
  const big = 6 * k
  text('carrier', m, y, big, carrierTitle(model.carrier), inner * 0.55, true)
  if (marks.length) text('marks', m + inner * 0.57, y, big * 0.8, marks.join(' '), inner * 0.43, true)
  y += big + 1.5 * k
  text('service', m, y, 3.2 * k, model.service, inner)
  y += 3.2 * k + 1.5 * k
  line(y)
  y += 2 * k

  if (model.sender) {
    text('sender.label', m, y, 2.6 * k, w.from, inner)
    y += 2.6 * k + 0.8 * k
    const lines = senderLines(model.sender, inner, 2.8 * k, w.tel)
    lines.forEach((l, i) => {
      text(l.field, m, y, 2.8 * k, l.text, inner)
      y += 2.8 * k + (i === lines.length - 1 ? 1.5 : 0.6) * k
    })
    line(y)
    y += 2 * k
  }

  text('recipient.label', m, y, 2.6 * k, model.deliveryPoint ? w.toPoint : w.to, inner)
  y += 2.6 * k + 1 * k
  for (const l of addressLines(model.recipient)) {
    const sz = (l.field === 'name1' ? 5 : 4.2) * k
    text(`recipient.${l.field}`, m, y, sz, l.text, inner, l.field === 'name1' || l.field === 'name2')
    y += sz + 1.2 * k
  }
  if (model.recipient.phone) {
    text('recipient.phone', m, y, 3.2 * k, `${w.tel} ${model.recipient.phone}`, inner)
    y += 3.2 * k + 1.2 * k
  }
  if (model.deliveryPoint) {
    text('deliveryPoint', m, y, 3.2 * k, `${w.point} ${model.deliveryPoint.id} ${model.deliveryPoint.name}`, inner)
    y += 3.2 * k + 1.2 * k
  }
  y += 0.5 * k
  line(y)
  y += 2 * k

  const facts = [
    model.weightGrams != null ? `${(model.weightGrams / 1000).toFixed(2)} kg` : null,
    model.cod ? `${w.cod} ${model.cod.amount.toFixed(2)} ${model.cod.currency}` : null,
    model.reference ? `${w.ref} ${model.reference}` : null
  ].filter((f): f is string => f !== null)
  if (facts.length) {
    text('facts', m, y, 3.4 * k, facts.join('  ·  '), inner, Boolean(model.cod))
    y += 3.4 * k + 2 * k
  }

  // Barcodes fill the bottom: Code 128 across, 2D codes beside the tracking number under it.
  const linear = model.barcodes.filter((b) => b.kind === 'code128')
  const twoD = model.barcodes.filter((b) => b.kind !== 'code128')
  const twoDSide = Math.min(22 * k, (H - y) * 0.3)
  const linearTop = y
  const linearSpace = H - m - twoDSide - 2 * k - linearTop
  const each = linear.length ? linearSpace / linear.length : 0
  let ly = linearTop
  for (const b of linear) {
    const module = pickModule(b.payload, inner)
    const barH = Math.max(8, Math.min(each - 5 * k, 25 * k))
    els.push({ type: 'barcode', kind: 'code128', payload: b.payload, x: m, y: ly, module, height: barH, width: inner })
    text(`barcode.${b.role}.text`, m, ly + barH + 1 * k, 3.4 * k, b.payload, inner, true)
    ly += Math.min(each, barH + 7 * k)
  }
  // The 2D code and the number follow the bars: the label's spare paper stays at its foot, not
  // as an empty band in the middle (a short label without sender block had one).
  const bottom = Math.min(H - m, ly + Math.max(twoDSide, 6 * k) + 2 * k)
  let x2 = W - m
  for (const b of twoD) {
    const cells = b.kind === 'datamatrix' ? dataMatrixSide(b.payload) : 29
    const module = Math.max(0.5, Math.floor((twoDSide / cells) * 4) / 4)
    x2 -= cells * module
    els.push({
      type: 'barcode',
      kind: b.kind,
      payload: b.payload,
      x: x2,
      y: bottom - cells * module,
      module,
      height: cells * module,
      width: cells * module
    })
    x2 -= 3 * k
  }
  text('trackingNumber', m, bottom - 5 * k, 4.2 * k, model.trackingNumber, Math.max(10, x2 - m), true)
  return { size, widthMm: W, heightMm: H, elements: els }
}

/** Modules a printer renders crisply: whole dots at both 203 and 300 dpi are approximated later. */
const MODULES_MM = [0.5, 0.375, 0.33, 0.25] as const
function pickModule(payload: string, widthMm: number): number {
  const mods = code128Modules(payload) + 20 // quiet zones
  for (const mm of MODULES_MM) if (mods * mm <= widthMm) return mm
  return 0.25
}

/** ECC 200 square symbol side (cells) for a byte payload; enough to reserve space. */
function dataMatrixSide(payload: string): number {
  const bytes = new TextEncoder().encode(payload).length
  const caps: Array<[number, number]> = [
    [10, 3],
    [12, 5],
    [14, 8],
    [16, 12],
    [18, 18],
    [20, 22],
    [22, 30],
    [24, 36],
    [26, 44],
    [32, 62],
    [36, 86],
    [40, 114],
    [44, 144],
    [48, 174]
  ]
  for (const [side, cap] of caps) if (bytes + 1 <= cap) return side
  return 52
}

function carrierTitle(c: CarrierId): string {
  const names: Record<CarrierId, string> = {
    'express-relais': 'Express Relais',
    ecotrack: 'ECOTRACK',
    shiprocket: 'Shiprocket',
    clickpost: 'Clickpost',
    shipway: 'Shipway',
    sendcloud: 'Sendcloud',
    swisspost: 'Swiss Post'
  }
  return names[c]
}

// ---------------------------------------------------------------------------------------------
// Swiss Post PickPost / My Post 24 (seed 004): keyword and User ID in the recipient's Name2.

export const PICKPOST_KEYWORDS = ['PickPost', 'My Post 24'] as const
export type PickPostKeyword = (typeof PICKPOST_KEYWORDS)[number]

/** A User ID as Swiss Post hands it out: letters and digits, no spaces. */
const PICKPOST_USER_ID = /^[A-Za-z0-9]{4,20}$/

/** "PickPost 12345678" / "My Post 24 12345678", or null when the User ID is not usable. */
export function pickPostName2(keyword: PickPostKeyword, userId: string | null | undefined): string | null {
  const id = (userId ?? '').trim()
  return PICKPOST_USER_ID.test(id) ? `${keyword} ${id}` : null
}

/** The point's own address, without a person's name: it becomes the delivery address. */
export type PointAddress = Omit<LabelAddress, 'name1' | 'name2' | 'name3' | 'phone'>

export interface LabelDraft {
  carrier: CarrierId
  trackingNumber: string
  reference?: string | null
  sender?: LabelAddress | null
  /** The person, with their home address when known (it becomes the billing address for point deliveries). */
  recipient: LabelAddress
  billing?: LabelAddress | null
  deliveryPoint?: { id: string; name: string; type?: string | null; address?: PointAddress | null } | null
  /** Swiss Post PickPost / My Post 24 delivery: the keyword and the customer's User ID. */
  /** name2: the account's own line (its Name2 keyword), when it differs from the seed's words. */
  pickPost?: { keyword: PickPostKeyword; userId: string | null | undefined; name2?: string | null } | null
  service: string
  weightGrams?: number | null
  cod?: { amount: number; currency: string } | null
  /** Extra carrier barcodes (routing codes...); the tracking Code 128 and DataMatrix are always added. */
  barcodes?: LabelBarcode[]
  marks?: string[]
}
