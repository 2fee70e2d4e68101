import { z } from 'zod'
import { WEBHOOK_SECRET_CARRIERS, type WebhookSecretCarrier } from '../webhook-secret'
import { out } from './types'

// Webhook secrets the app generates for the aggregators whose secret Guichet chooses
// (src/shared/webhook-secret.ts); the receiver itself is configured in aggregators.ts.

/** A webhook secret the app just generated: shown once, to paste into the carrier's panel. */
export interface WebhookSecretIssued {
  carrier: WebhookSecretCarrier
  account: string
  secret: string
  /** Where the carrier sends it back: a header's name, or the query parameter of the URL. */
  sentAs: 'header' | 'query'
  name: string
  /** The receiver's path for this account (its origin is in webhooks.status). */
  path: string
}

export const webhookSecretChannels = {
  /**
   * Generates (or replaces) an account's webhook secret: 32 random bytes, stored in the vault and
   * returned this once. The previous secret stops working at once.
   */
  'webhooks.rotateSecret': {
    input: z.lazy(() =>
      z.strictObject({
        carrier: z.enum(WEBHOOK_SECRET_CARRIERS as [WebhookSecretCarrier, ...WebhookSecretCarrier[]]),
        account: z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash or underscore (at most 64)')
      })
    ),
    output: out<WebhookSecretIssued>()
  }
}
