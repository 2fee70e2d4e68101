import type { TFunction } from 'i18next'
import type { OutboxItem } from '@shared/contract/actions'

/**
 * A pending write in the clerk's language ("Remarque : appeler avant midi"); a kind this UI has
 * no words for yet keeps main's English summary.
 */
export function outboxSummary(item: Pick<OutboxItem, 'kind' | 'summary' | 'details'>, t: TFunction): string {
  return t(`outbox.kinds.${item.kind}`, { ...item.details, defaultValue: item.summary })
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
