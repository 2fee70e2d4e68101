import { useTranslation } from 'react-i18next'
import type { TFunction } from 'i18next'
import type { TrackingEvent } from '@shared/domain'
import { counterStepOf, type CounterStatus } from '@shared/counter'
import { formatDateTime } from '../../lib/format'

/** Guichet's own word on the parcel, beside the carrier's: "At this point, slot ER28-Y, since …". */
export function CounterStatusLine({ status }: { status: CounterStatus }) {
  const { t, i18n } = useTranslation()
  return (
    <p className="counter-status" data-testid="counter-status" data-step={status.step}>
      {t(`status.counter.now.${status.step}`, {
        when: formatDateTime(status.at, i18n.language),
        slot: `\u2068${status.slot ?? '—'}\u2069`,
        number: `\u2068${status.document ?? '—'}\u2069`
      })}
    </p>
  )
}

/** A counter step in the timeline, said in the clerk's language (main sends no sentence). */
export function counterEventText(e: TrackingEvent, t: TFunction): string {
  const step = counterStepOf(e)
  if (!step) return ''
  return t(`timeline.counter.${step}`, { slot: `\u2068${e.location ?? '—'}\u2069`, number: `\u2068${e.waybill ?? '—'}\u2069` })
}
