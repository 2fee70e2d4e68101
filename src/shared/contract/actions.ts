import { z } from 'zod'
import { WEBHOOK_SECRETS, WEBHOOK_SECRET_MIN_BYTES, isStrongWebhookSecret, isWebhookSecretCarrier } from '../webhook-secret'
import { carrierId, noInput, shipmentId } from './schemas'
import { out } from './types'
import type { CarrierId, Remark } from '../domain'
import type { ErrorParams } from '../result'

// Counter actions that reach a carrier through the outbox, the outbox itself, the credentials
// vault and connectivity. Writes answer at once from the local store; the carrier is reached later.

const OUTBOX_STATES = ['pending', 'inflight', 'sent', 'failed', 'discarded'] as const
export type OutboxState = (typeof OUTBOX_STATES)[number]

/**
 * Why a write waits or stopped, as the UI words it: code, the field the carrier refused (in its
 * own naming), quotable params (HTTP status, the carrier's error code) and which carrier said it.
 * `message` is main's English, for logs and support; never shown.
 */
interface OutboxError {
  code: string
  message: string
  at: string
  /** Set on every row this build stores; optional for errors made elsewhere (tests, older events). */
  carrier?: CarrierId
  field?: string
  params?: ErrorParams
}

/** One write meant for a carrier, as the UI sees it (no secrets, no raw payload beyond what the clerk typed). */
export interface OutboxItem {
  id: number
  kind: string
  shipmentId: number | null
  carrier: CarrierId
  account: string
  state: OutboxState
  /** What the clerk asked for, in English words ("Remark: call before noon"): logs, tools, fallback. */
  summary: string
  /** The same, for the UI to say in the clerk's language: `outbox.kinds.<kind>` with these values. */
  details: Record<string, string>
  /** When the clerk acted. */
  actedAt: string
  attempts: number
  nextAttemptAt: string | null
  lastError: OutboxError | null
  sentAt: string | null
  /** Whether the clerk can fix this row's text before resending. */
  editable: boolean
}

export interface OutboxCounts {
  /** Waiting or being sent. */
  pending: number
  /** Stopped on a permanent error: needs the clerk (fix and resend, or discard). */
  failed: number
  byShipment: Array<{ shipmentId: number; pending: number; failed: number }>
}

export interface CredentialsAccountStatus {
  carrier: CarrierId
  account: string
  configured: boolean
  /** Field name -> masked hint ("••••1a2b"); never the secret. */
  hints: Record<string, string>
}

export interface CredentialsStatus {
  /** Where secrets are kept: the OS key store (Electron) or an encrypted file (browser mode). */
  backend: 'safe-storage' | 'encrypted-file'
  available: boolean
  /** Why secrets cannot be stored now, said plainly; null when they can. */
  problem: string | null
  accounts: CredentialsAccountStatus[]
}

export interface ConnectivityState {
  online: boolean
  lastGoodSyncAt: string | null
  /** When the current state began. */
  since: string
  /** Why Guichet thinks it is offline (last failure, or the OS said so); null when online. */
  reason: string | null
}

const remarkText = z.lazy(() =>
  z
    .string()
    .trim()
    .min(1, 'a remark cannot be empty')
    // ECOTRACK's add/maj takes `content` up to 255 characters: the tightest carrier sets the limit.
    .max(255, 'at most 255 characters')
    // What reaches a courier's phone must be text: no control characters, no broken surrogate halves.
    .refine((t) => !/[\p{Cc}\p{Cs}]/u.test(t.replace(/[\r\n\t]/g, ' ')), 'contains characters that cannot be sent')
)
const accountAlias = z.lazy(() =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash or underscore (at most 64)')
)
const secretField = z.lazy(() => z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'a field name such as api_token'))
const secretValue = z.lazy(() => z.string().min(1, 'cannot be empty').max(4096, 'at most 4096 characters'))

export const actionChannels = {
  /** Adds a remark for the courier: stored at once, sent by the outbox. */
  'remarks.add': {
    input: z.lazy(() => z.strictObject({ shipmentId, text: remarkText })),
    output: out<{ remark: Remark; outbox: OutboxItem }>()
  },
  /** Asks the carrier to return the parcel: recorded at once, sent by the outbox. */
  'returns.request': { input: z.lazy(() => z.strictObject({ shipmentId })), output: out<OutboxItem>() },
  'outbox.list': {
    input: z.lazy(() =>
      z.strictObject({
        shipmentId: shipmentId.optional(),
        state: z.enum(OUTBOX_STATES).optional(),
        limit: z.number().int().min(1).max(500).default(100)
      })
    ),
    output: out<OutboxItem[]>()
  },
  /** Pending and failed writes, in total and per shipment. */
  'outbox.pending': { input: noInput, output: out<OutboxCounts>() },
  /** Sends a failed row again, optionally with fixed text (remarks). */
  'outbox.resend': {
    input: z.lazy(() => z.strictObject({ id: z.number().int().positive(), text: remarkText.optional() })),
    output: out<OutboxItem>()
  },
  /** Gives up a row that was not sent; what the clerk typed stays visible locally. */
  'outbox.discard': { input: z.lazy(() => z.strictObject({ id: z.number().int().positive() })), output: out<OutboxItem>() },
  'credentials.status': { input: noInput, output: out<CredentialsStatus>() },
  'credentials.set': {
    input: z.lazy(() =>
      z
        .strictObject({
          carrier: carrierId,
          account: accountAlias,
          secrets: z
            .record(secretField, secretValue)
            .refine((r) => Object.keys(r).length >= 1 && Object.keys(r).length <= 8, 'between 1 and 8 fields')
        })
        .superRefine((v, ctx) => {
          // A webhook secret the app generates (webhooks.rotateSecret) is never a short typed word.
          if (!isWebhookSecretCarrier(v.carrier)) return
          const { field } = WEBHOOK_SECRETS[v.carrier]
          const given = v.secrets[field]
          if (given !== undefined && !isStrongWebhookSecret(given))
            ctx.addIssue({
              code: 'custom',
              path: ['secrets', field],
              message: `at least ${WEBHOOK_SECRET_MIN_BYTES} bytes; generate it in Guichet`,
              params: { minBytes: WEBHOOK_SECRET_MIN_BYTES }
            })
        })
    ),
    output: out<CredentialsAccountStatus>()
  },
  'credentials.clear': {
    input: z.lazy(() => z.strictObject({ carrier: carrierId, account: accountAlias })),
    output: out<{ cleared: boolean }>()
  },
  /**
   * Linux without a key ring: safeStorage would keep secrets under a fixed, publicly known key.
   * Secrets are refused there unless the user accepts that risk here, knowingly.
   */
  'credentials.acceptPlainTextRisk': { input: z.lazy(() => z.strictObject({ accept: z.boolean() })), output: out<CredentialsStatus>() },
  'connectivity.state': { input: noInput, output: out<ConnectivityState>() }
}
