// The desk <-> hub contract. Every request and answer body is checked with these schemas on both
// sides; a refusal is a typed code with fields, never a sentence a clerk would have to read.
import { z } from 'zod'

/** The event-log protocol this code speaks. A desk newer than the hub is refused, nothing written. */
export const HUB_PROTOCOL = 1
/** The largest push body the hub reads; more is refused without being buffered. */
export const MAX_BATCH_BYTES = 4 * 1024 * 1024
export const MAX_BATCH_EVENTS = 5_000
export const MAX_PULL_EVENTS = 2_000

export const HUB_REFUSALS = [
  'hub.unauthorized', // no credential, or one the hub does not know
  'hub.revoked', // the desk's credential was revoked at head office
  'hub.enrolment_invalid', // unknown, used or expired enrolment code
  'hub.protocol_newer', // the desk speaks a newer event protocol than this hub
  'hub.batch_too_large',
  'hub.sequence_gap', // a batch that does not follow the last one the hub holds
  'hub.cursor_ahead', // a cursor the hub never gave
  'hub.invalid_input',
  'hub.internal',
  // Said by the desk itself, never by a hub: a hub URL in plain http off this computer (the
  // credential would cross the network readable), or not an http(s) URL at all.
  'hub.insecure_url'
] as const
export type HubRefusalCode = (typeof HUB_REFUSALS)[number]

export const hubRefusalSchema = z.lazy(() =>
  z.object({
    refused: z.enum(HUB_REFUSALS),
    /** The offending field, dotted. */
    field: z.string().optional(),
    /** hub.sequence_gap: the sequence the hub expects next. */
    expectedSeq: z.number().int().optional(),
    /** hub.cursor_ahead: the newest cursor the hub holds. */
    latest: z.number().int().optional(),
    /** hub.protocol_newer / batch_too_large: what this hub accepts. */
    max: z.number().int().optional()
  })
)
export type HubRefusal = z.infer<typeof hubRefusalSchema>

export const DESK_ROLES = ['point', 'warehouse'] as const
export type DeskRole = (typeof DESK_ROLES)[number]

export const enrolRequestSchema = z.lazy(() =>
  z.object({
    code: z.string().min(6).max(64),
    deskName: z.string().min(1).max(128),
    protocol: z.number().int().positive()
  })
)
export type EnrolRequest = z.infer<typeof enrolRequestSchema>

export const enrolAnswerSchema = z.lazy(() =>
  z.object({
    deskId: z.string(),
    /** Shown once; the hub keeps only its hash. Sent as `Authorization: Bearer <deskId>.<credential>`. */
    credential: z.string(),
    role: z.enum(DESK_ROLES),
    pointId: z.string().nullable()
  })
)
export type EnrolAnswer = z.infer<typeof enrolAnswerSchema>

export const EVENT_KINDS = ['shipment', 'status', 'remark', 'counter', 'outbox', 'setting'] as const
export type HubEventKind = (typeof EVENT_KINDS)[number]

/** One fact from a desk's append-only log. `seq` rises by one per desk, from 1. */
export const hubEventSchema = z.object({
  seq: z.number().int().positive(),
  kind: z.enum(EVENT_KINDS),
  /** When it happened at the desk (ms since epoch): settings resolve by it, last writer wins. */
  at: z.number().int(),
  carrier: z.string().max(64).nullable(),
  account: z.string().max(128).nullable(),
  trackingKey: z.string().max(128).nullable(),
  pointId: z.string().max(64).nullable(),
  body: z.record(z.string(), z.unknown())
})
export type HubEvent = z.infer<typeof hubEventSchema>

export const pushRequestSchema = z.lazy(() =>
  z.object({
    protocol: z.number().int().positive(),
    /** The carrier accounts (carrier/alias) this desk uses: it is sent their shipments and statuses. */
    accounts: z.array(z.string().max(200)).max(200),
    events: z.array(hubEventSchema).max(MAX_BATCH_EVENTS)
  })
)
export type PushRequest = z.infer<typeof pushRequestSchema>

export const pushAnswerSchema = z.lazy(() =>
  z.object({
    /** The highest sequence of this desk the hub holds: the desk may forget the log up to it. */
    acked: z.number().int().nonnegative(),
    written: z.number().int().nonnegative(),
    /** Events the hub held already (a batch sent again after a lost answer): not written twice. */
    replayed: z.number().int().nonnegative()
  })
)
export type PushAnswer = z.infer<typeof pushAnswerSchema>

/** An event fanned out to a desk; `cursor` is the hub's order, the desk's next pull starts after it. */
export const pulledEventSchema = hubEventSchema.extend({
  cursor: z.number().int().positive(),
  deskId: z.string(),
  /** The author desk's name at the hub (a point's "sent by"); absent from older hubs. */
  deskName: z.string().max(128).nullable().optional()
})
export type PulledEvent = z.infer<typeof pulledEventSchema>

export const pullAnswerSchema = z.lazy(() =>
  z.object({
    events: z.array(pulledEventSchema),
    /** Where the next pull starts (past events this desk need not see, too). */
    cursor: z.number().int().nonnegative(),
    more: z.boolean()
  })
)
export type PullAnswer = z.infer<typeof pullAnswerSchema>

export const leaseRequestSchema = z.lazy(() =>
  z.object({
    /** carrier/alias, the same on every desk sharing the account. */
    account: z.string().min(3).max(200),
    ttlMs: z
      .number()
      .int()
      .min(1_000)
      .max(10 * 60_000),
    /** What the holder last read of the carrier's budget, for head office and the next holder. */
    budget: z
      .object({ remaining: z.number().int().nullable(), resetsAt: z.number().int().nullable(), calls: z.number().int().nonnegative() })
      .optional()
  })
)
export type LeaseRequest = z.infer<typeof leaseRequestSchema>

export const leaseAnswerSchema = z.lazy(() =>
  z.object({
    granted: z.boolean(),
    holder: z.string(),
    /** Hub time (ms) the lease ends unless renewed; relative to be immune to clock skew. */
    expiresInMs: z.number().int()
  })
)
export type LeaseAnswer = z.infer<typeof leaseAnswerSchema>
