import { useTranslation } from 'react-i18next'
import type { EventKind, UnifiedStatus } from '@shared/domain'

/**
 * The unified status in words, with "waiting at the point" and "out for delivery" told apart.
 * A timeline row is something that happened: it reads in the past ("Arrivé au point de retrait"),
 * where the parcel's current status reads as a state ("En attente au point de retrait").
 */
export function statusKey(status: UnifiedStatus, kind: EventKind, event = false): string {
  const ns = event ? 'event' : 'status'
  if (status === 'shipping_in_progress' && (kind === 'waiting_at_point' || kind === 'out_for_delivery')) return `${ns}.${kind}`
  return `${ns}.${status}`
}

export function StatusBadge({ status, kind, large, event }: { status: UnifiedStatus; kind: EventKind; large?: boolean; event?: boolean }) {
  const { t } = useTranslation()
  const tone = kind === 'waiting_at_point' && status === 'shipping_in_progress' ? 'waiting' : status
  return (
    <span
      className={`badge badge-${tone}${large ? ' badge-large' : ''}`}
      data-testid={large ? 'unified-status' : undefined}
      data-status={status}
    >
      {t(statusKey(status, kind, event))}
    </span>
  )
}
