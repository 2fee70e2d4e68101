import type { TFunction } from 'i18next'
import type { OutboxItem } from '@shared/contract/actions'

/**
 * A pending write in the clerk's language ("Remarque : appeler avant midi"); a kind this UI has
 * no words for yet keeps main's English summary.
 */
export function outboxSummary(item: Pick<OutboxItem, 'kind' | 'summary' | 'details'>, t: TFunction): string {
  return t(`outbox.kinds.${item.kind}`, { ...item.details, defaultValue: item.summary })
}
