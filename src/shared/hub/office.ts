// Head office <-> hub: the browser's calls under /office/v1, checked with these schemas on both
// sides (the hub parses every input, the renderer's client every answer). A refusal is a code
// with fields, worded by the renderer in the user's language.
import { z } from 'zod'

export const OFFICE_ROLES = ['admin', 'viewer'] as const
export type OfficeRole = (typeof OFFICE_ROLES)[number]

export const OFFICE_REFUSALS = [
  'office.bad_login', // unknown user or wrong password (never says which)
  'office.disabled', // right password, but the user was disabled
  'office.throttled', // too many failed logins: wait retryAfterMs
  'office.signed_out', // no session, or an expired one
  'office.forbidden', // a viewer asked for an admin action
  'office.csrf', // a write without this hub's own Origin, or under a foreign Host
  'office.invalid_input',
  'office.not_found',
  'office.internal'
] as const
export type OfficeRefusalCode = (typeof OFFICE_REFUSALS)[number]

export const officeRefusalSchema = z.lazy(() =>
  z.object({
    refused: z.enum(OFFICE_REFUSALS),
    field: z.string().optional(),
    retryAfterMs: z.number().int().optional()
  })
)
export type OfficeRefusal = z.infer<typeof officeRefusalSchema>

export const officeUserSchema = z.lazy(() => z.object({ name: z.string(), role: z.enum(OFFICE_ROLES) }))
export type OfficeUser = z.infer<typeof officeUserSchema>

/** GET /office/v1/info, no session needed: tells the renderer it is served by a hub, and who is signed in. */
export const officeInfoSchema = z.lazy(() =>
  z.object({
    name: z.literal('Guichet'),
    mode: z.literal('hub'),
    version: z.string(),
    user: officeUserSchema.nullable()
  })
)
export type OfficeInfo = z.infer<typeof officeInfoSchema>

export const loginRequestSchema = z.lazy(() => z.object({ name: z.string().min(1).max(64), password: z.string().min(1).max(1024) }))
export type LoginRequest = z.infer<typeof loginRequestSchema>
/** POST /office/v1/login answers the user, and sets the session cookie. */
export const loginAnswerSchema = z.lazy(() => z.object({ user: officeUserSchema }))
export const logoutAnswerSchema = z.lazy(() => z.object({ signedOut: z.literal(true) }))

/** One point's stock as head office sees it (the last counter step of each parcel). */
export const pointStockRowSchema = z.lazy(() =>
  z.object({
    pointId: z.string(),
    onShelf: z.number().int(),
    /** On the shelf and past its keeping date by this time tomorrow (already past included). */
    expiringByTomorrow: z.number().int(),
    toReturn: z.number().int(),
    handedOver: z.number().int(),
    /** The newest counter step seen from this point (ms). */
    lastStepAt: z.number().int().nullable()
  })
)
export type PointStockRow = z.infer<typeof pointStockRowSchema>

export const officeWriteRowSchema = z.lazy(() =>
  z.object({
    deskId: z.string(),
    deskName: z.string(),
    kind: z.string(),
    /** pending/inflight: not sent yet; failed: refused by the carrier. */
    state: z.string(),
    count: z.number().int(),
    errorCode: z.string().nullable(),
    oldestAt: z.number().int()
  })
)
export type OfficeWriteRow = z.infer<typeof officeWriteRowSchema>

export const officeAccountRowSchema = z.lazy(() =>
  z.object({
    /** carrier/alias */
    account: z.string(),
    holderId: z.string(),
    holderName: z.string(),
    live: z.boolean(),
    renewedAt: z.number().int(),
    remaining: z.number().int().nullable(),
    resetsAt: z.number().int().nullable(),
    calls: z.number().int().nullable()
  })
)
export type OfficeAccountRow = z.infer<typeof officeAccountRowSchema>

export const officeDeskRowSchema = z.lazy(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    role: z.enum(['point', 'warehouse']),
    pointId: z.string().nullable(),
    lastSeq: z.number().int(),
    lastSeenAt: z.number().int().nullable(),
    revoked: z.boolean()
  })
)
export type OfficeDeskRow = z.infer<typeof officeDeskRowSchema>

/** GET /office/v1/network */
export const officeNetworkSchema = z.lazy(() =>
  z.object({
    at: z.number().int(),
    points: z.array(pointStockRowSchema),
    writes: z.array(officeWriteRowSchema),
    accounts: z.array(officeAccountRowSchema),
    desks: z.array(officeDeskRowSchema)
  })
)
export type OfficeNetwork = z.infer<typeof officeNetworkSchema>

export const officeParcelSchema = z.lazy(() =>
  z.object({
    trackingKey: z.string(),
    state: z.string(),
    at: z.number().int(),
    expiresAt: z.number().int().nullable()
  })
)
export type OfficeParcel = z.infer<typeof officeParcelSchema>

/** GET /office/v1/points/<id>/parcels: a point's parcels, newest step first. */
export const officePointStockSchema = z.lazy(() =>
  z.object({ pointId: z.string(), parcels: z.array(officeParcelSchema), more: z.boolean() })
)
export type OfficePointStock = z.infer<typeof officePointStockSchema>
export const OFFICE_POINT_PARCELS_MAX = 1_000

/** POST /office/v1/enrolment-codes (admin) */
export const officeEnrolRequestSchema = z.lazy(() =>
  z.object({
    role: z.enum(['point', 'warehouse']),
    pointId: z.string().trim().min(1).max(64).nullable(),
    name: z.string().trim().max(128).optional()
  })
)
export type OfficeEnrolRequest = z.infer<typeof officeEnrolRequestSchema>
export const officeEnrolAnswerSchema = z.lazy(() => z.object({ code: z.string() }))

/** POST /office/v1/desks/<id>/revoke (admin) */
export const officeRevokeAnswerSchema = z.lazy(() => z.object({ revoked: z.boolean() }))
