import { z } from 'zod'
import { carrierId, noInput, queryText } from './schemas'
import { out } from './types'
import type { CarrierId, EventKind, UnifiedStatus } from '../domain'
import type { OutboxItem } from './actions'
import type { MatchReason } from '../counter'

// Counter operations (issue 11): parcels arriving with a driver, the shelf, hand-over to the
// customer, expired parcels and returns going back with the driver, and the end of the day.
// Everything is local first: it works offline, with the clerk's own time.

export type CounterParcelState = 'on_shelf' | 'refused' | 'handed_over' | 'to_return' | 'collected'
const COUNTER_ID_TYPES = ['national_id', 'passport', 'driving_licence', 'residence_permit', 'other'] as const

/** One parcel at this desk, as the clerk sees it. Times are ISO-8601. */
export interface CounterParcel {
  id: number
  trackingNumber: string
  /** Null while the parcel is unmatched: no shipment with this number is known yet. */
  shipmentId: number | null
  carrier: CarrierId | null
  origin: 'driver' | 'dropoff'
  state: CounterParcelState
  slot: string | null
  pickupCode: string | null
  recipientName: string | null
  recipientPhone: string | null
  arrivedAt: string
  damaged: boolean
  damageNote: string | null
  hasPhoto: boolean
  notForPoint: boolean
  refusedReason: string | null
  holdDays: number
  expiresAt: string
  expired: boolean
  /** Whole days on the shelf. */
  ageDays: number
  /** What the carrier last said (null when unmatched). */
  carrierStatus: UnifiedStatus | null
  carrierStatusKind: EventKind | null
  codAmount: number | null
  currency: string | null
  handedOverAt: string | null
  /** In a hand-over search: asked for (ticked), or proposed because of the same phone or name (unticked). */
  match: MatchReason | null
}

export interface CounterSession {
  id: number
  kind: 'checkin' | 'collection'
  driver: string
  announced: number | null
  clerk: string
  openedAt: string
  closedAt: string | null
  /** Parcels scanned in this session (check-in: accepted and refused). */
  scanned: number
}

export type CheckinWarning = 'unmatched' | 'not_for_point' | 'already_here' | 'over_announced'

export interface CheckinResult {
  parcel: CounterParcel
  warnings: CheckinWarning[]
  session: CounterSession
}

export interface CounterStock {
  parcels: CounterParcel[]
  /** Shelf slots with their parcel count, oldest arrival first. */
  slots: Array<{ slot: string; count: number; oldestAt: string }>
  /** The carrier says delivered (or waiting here), yet the parcel is not on the shelf. */
  carrierDeliveredNotOnShelf: Array<{
    shipmentId: number
    carrier: CarrierId
    trackingNumber: string
    recipientName: string
    status: UnifiedStatus
    kind: EventKind
  }>
  /** On the shelf, but the carrier still says in transit (or nothing yet). */
  onShelfCarrierInTransit: CounterParcel[]
}

/**
 * What the clerk is told about a parcel's carrier after a hand-over or a return: a code and its
 * params, worded by the renderer in the clerk's language (main sends no sentence).
 */
export const CARRIER_NOTE_CODES = [
  'not_matched',
  'handover_outbox',
  'handover_local_only',
  'return_queued',
  'return_waits_account',
  'return_no_api',
  'recorded_here_only'
] as const
export type CarrierNoteCode = (typeof CARRIER_NOTE_CODES)[number]
export interface CarrierNote {
  code: CarrierNoteCode
  params: { tracking: string; carrier?: CarrierId }
}

/** What a hand-over did with each parcel's carrier. */
export interface CarrierSync {
  parcelId: number
  /** outbox: queued for the carrier; local_only: the carrier's API has no such call. */
  mode: 'outbox' | 'local_only'
  note: CarrierNote
  outbox: OutboxItem | null
}

export interface CounterDocument {
  title: string
  /** Exact-size SVG (width/height in mm): shown on screen and printed as is. */
  svg: string
  /** The same content as plain text lines. */
  lines: string[]
}

export interface HandoverResult {
  handoverId: number
  /** The receipt's number, per type and day: R-20261203-001. */
  number: string
  at: string
  parcels: CounterParcel[]
  carrierSync: CarrierSync[]
  receipt: CounterDocument
}

export interface DropoffResult {
  parcel: CounterParcel
  receipt: CounterDocument
}

export interface PrepareReturnResult {
  parcels: CounterParcel[]
  /** Per parcel: a return request through the outbox, or recorded here only. */
  carrierSync: CarrierSync[]
  manifest: CounterDocument
}

export interface CollectionState {
  session: CounterSession
  /** Everything that should leave with the driver. */
  expected: CounterParcel[]
  scannedIds: number[]
  /** Scanned but not on the manifest (tracking numbers). */
  unexpected: string[]
  /** On the manifest, not scanned yet. */
  missing: CounterParcel[]
}

export interface CollectionCloseResult {
  state: CollectionState
  manifest: CounterDocument
}

export interface CounterDayReport {
  day: string
  totals: {
    in: number
    out: number
    handedOver: number
    droppedOff: number
    collected: number
    refused: number
    preparedForReturn: number
    onShelf: number
  }
  exceptions: { damaged: number; notForPoint: number; unmatched: number; overrides: number }
  carriers: Array<{
    carrier: CarrierId | 'unknown'
    in: number
    out: number
    handedOver: number
    droppedOff: number
    collected: number
    refused: number
    cod: Array<{ currency: string; method: string; cents: number; count: number }>
  }>
  csv: string
  document: CounterDocument
}

export interface CounterAuditEntry {
  id: number
  at: string
  clerk: string
  action: string
  parcelId: number | null
  detail: Record<string, unknown> | null
  reason: string | null
}

export interface CounterConfig {
  clerk: string
  holdDays: Record<CarrierId, number>
  /** This desk's point id (settings.point), for the "not for this point" warning. */
  pointId: string | null
}

const code = z.lazy(() => z.string().trim().min(1, 'scan or type a code').max(128, 'at most 128 characters'))
const driver = z.lazy(() => z.string().trim().min(1, "the driver's name").max(80, 'at most 80 characters'))
const note = z.lazy(() => z.string().trim().max(500, 'at most 500 characters'))
const reason = z.lazy(() => z.string().trim().min(3, 'say why (at least 3 characters)').max(300, 'at most 300 characters'))
const slot = z.lazy(() =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9#?][A-Za-z0-9#?\-_. ]{0,15}$/, 'letters, digits, - _ . # ? (at most 16)')
)
const parcelId = z.lazy(() => z.number().int().positive())
const parcelIds = z.lazy(() => z.array(parcelId).min(1, 'at least one parcel').max(50, 'at most 50 parcels'))
/** A photo as a data URL (webcam capture or picked file): JPEG/PNG/WebP, at most ~6 MB. */
const photo = z.lazy(() =>
  z
    .string()
    .max(8_000_000, 'the photo is too large (at most 6 MB)')
    .regex(/^data:image\/(jpeg|png|webp);base64,[A-Za-z0-9+/=]+$/, 'a JPEG, PNG or WebP image')
)
/** A signature drawn on screen, as SVG made of paths only. */
const signature = z.lazy(() =>
  z
    .string()
    .max(200_000, 'the signature is too large')
    // Only these attributes: nothing that could run (no on* handlers, no links).
    .regex(
      /^<svg( (xmlns|viewBox|width|height)="[^"<>]*")*>(\s*<path d="[MLQCZmlqcz0-9 .,-]*"( (fill|stroke|stroke-width|stroke-linecap|stroke-linejoin)="[#a-zA-Z0-9.]*")*\s*\/>)*\s*<\/svg>$/,
      'an SVG of paths'
    )
)

export const counterChannels = {
  'counter.config': { input: noInput, output: out<CounterConfig>() },
  'counter.setConfig': {
    input: z.lazy(() =>
      z.strictObject({
        clerk: z.string().trim().min(1).max(40).optional(),
        holdDays: z.partialRecord(carrierId, z.number().int().min(1, 'at least 1 day').max(60, 'at most 60 days')).optional()
      })
    ),
    output: out<CounterConfig>()
  },
  /** A driver arrives: count what he announces, then scan each parcel. */
  'counter.checkinStart': {
    input: z.lazy(() => z.strictObject({ driver, announced: z.number().int().min(0).max(999).optional() })),
    output: out<CounterSession>()
  },
  'counter.checkinScan': {
    input: z.lazy(() =>
      z.strictObject({
        sessionId: z.number().int().positive(),
        code,
        damaged: z.boolean().default(false),
        note: note.optional(),
        photo: photo.optional(),
        slot: slot.optional(),
        /** Refused at the door (not taken in): the reason is kept. */
        refuse: reason.optional()
      })
    ),
    output: out<CheckinResult>()
  },
  'counter.checkinClose': {
    input: z.lazy(() => z.strictObject({ sessionId: z.number().int().positive(), overrideReason: reason.optional() })),
    output: out<CounterSession>()
  },
  'counter.setSlot': { input: z.lazy(() => z.strictObject({ parcelId, slot })), output: out<CounterParcel>() },
  'counter.attachPhoto': { input: z.lazy(() => z.strictObject({ parcelId, photo, note: note.optional() })), output: out<CounterParcel>() },
  'counter.stock': { input: noInput, output: out<CounterStock>() },
  /** Finds what a customer collects: by scan, pickup code, name or phone; their other parcels come along. */
  'counter.find': { input: z.lazy(() => z.strictObject({ query: queryText })), output: out<CounterParcel[]>() },
  'counter.handover': {
    input: z.lazy(() =>
      z.strictObject({
        parcelIds,
        idType: z.enum(COUNTER_ID_TYPES).optional(),
        /** Last 2 to 4 characters of the ID document only. */
        idLast: z.string().max(8, 'only the last 2 to 4 characters').optional(),
        pickupCode: z.string().trim().max(16).optional(),
        cod: z.strictObject({ amount: z.number().min(0).max(10_000_000), method: z.enum(['cash', 'card']) }).optional(),
        signature: signature.optional(),
        /** Hand over without a check (or without the full COD): needs a reason. */
        overrideReason: reason.optional()
      })
    ),
    output: out<HandoverResult>()
  },
  'counter.expired': { input: noInput, output: out<CounterParcel[]>() },
  'counter.prepareReturn': { input: z.lazy(() => z.strictObject({ parcelIds })), output: out<PrepareReturnResult>() },
  /** A customer drops off a return: scan its return label or AWB. */
  'counter.dropoff': { input: z.lazy(() => z.strictObject({ code, slot: slot.optional() })), output: out<DropoffResult>() },
  'counter.collectionStart': { input: z.lazy(() => z.strictObject({ driver })), output: out<CollectionState>() },
  'counter.collectionScan': {
    input: z.lazy(() => z.strictObject({ sessionId: z.number().int().positive(), code })),
    output: out<CollectionState & { matched: boolean }>()
  },
  'counter.collectionClose': {
    input: z.lazy(() =>
      z.strictObject({ sessionId: z.number().int().positive(), signature: signature.optional(), overrideReason: reason.optional() })
    ),
    output: out<CollectionCloseResult>()
  },
  'counter.endOfDay': {
    input: z.lazy(() =>
      z.strictObject({
        day: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
          .optional()
      })
    ),
    output: out<CounterDayReport>()
  },
  'counter.audit': {
    input: z.lazy(() => z.strictObject({ limit: z.number().int().min(1).max(1000).default(200) })),
    output: out<CounterAuditEntry[]>()
  }
}
