import { useTranslation } from 'react-i18next'
import type { EventKind, UnifiedStatus } from '@shared/domain'

/** The unified status in words, with "waiting at the point" and "out for delivery" told apart. */
export function statusKey(status: UnifiedStatus, kind: EventKind): string {
  if (status === 'shipping_in_progress' && (kind === 'waiting_at_point' || kind === 'out_for_delivery')) return `status.${kind}`
  return `status.${status}`
}

export function StatusBadge({ status, kind, large }: { status: UnifiedStatus; kind: EventKind; large?: boolean }) {
  const { t } = useTranslation()
  const tone = kind === 'waiting_at_point' && status === 'shipping_in_progress' ? 'waiting' : status
  return (
    <span
      className={`badge badge-${tone}${large ? ' badge-large' : ''}`}
      data-testid={large ? 'unified-status' : undefined}
      data-status={status}
    >
      {t(statusKey(status, kind))}
    </span>
  )
}
