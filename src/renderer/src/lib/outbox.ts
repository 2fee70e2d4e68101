import type { TFunction } from 'i18next'
import type { OutboxItem } from '@shared/contract/actions'
import { errorText } from './errors'

/** Main's code for a row whose stored payload no longer fits its kind (core/outbox/types.ts BAD_PAYLOAD). */
const BAD_PAYLOAD = 'bad_payload'

/**
 * A pending write in the clerk's language ("Remarque : appeler avant midi"); a kind this UI has
 * no words for yet keeps main's English summary.
 */
export function outboxSummary(
  item: Pick<OutboxItem, 'kind' | 'summary' | 'details'> & { lastError?: OutboxItem['lastError'] },
  t: TFunction
): string {
  if (item.lastError?.code === BAD_PAYLOAD) return t('outbox.unreadable', { kind: item.kind })
  return t(`outbox.kinds.${item.kind}`, { ...item.details, defaultValue: item.summary })
}

/** Why a write waits or stopped, in the clerk's language (never main's English message). */
export function outboxError(error: NonNullable<OutboxItem['lastError']>, t: TFunction): string {
  return error.code === BAD_PAYLOAD ? t('outbox.errors.bad_payload') : errorText(t, error)
}

/** The carrier said no for good (refused, forbidden, not offered, unknown parcel). */
const FINAL_REFUSALS = new Set(['carrier_refused', 'forbidden', 'unsupported', 'not_found'])

/**
 * "Resend" is offered only where sending again can change the answer: not after a final refusal,
 * unless the clerk fixes what was sent (an editable row) first.
 */
export function canResend(item: Pick<OutboxItem, 'state' | 'lastError' | 'editable'>, fixed = false): boolean {
  if (item.state !== 'failed') return false
  if (!item.lastError || !FINAL_REFUSALS.has(item.lastError.code)) return true
  return item.editable && fixed
}
