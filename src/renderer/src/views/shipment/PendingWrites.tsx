import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { OutboxItem } from '@shared/contract/actions'
import { useApp } from '../../context'
import { formatDateTime } from '../../lib/format'
import { canResend, outboxError, outboxSummary } from '../../lib/outbox'

/**
 * The writes for this parcel that have not reached the carrier, or that the carrier refused
 * (with its reason in words, and a way to resend or discard). Follows the outbox's events.
 */
export function PendingWrites({ shipmentId, version }: { shipmentId: number; version: number }) {
  const { t, i18n } = useTranslation()
  const { api } = useApp()
  const [items, setItems] = useState<OutboxItem[]>([])
  const [tick, setTick] = useState(0)
  const reload = () => setTick((n) => n + 1)

  useEffect(() => {
    let live = true
    const load = () =>
      void api.outbox.list({ shipmentId }).then((r) => {
        if (live && r.ok) setItems(r.value.filter((i) => i.state !== 'sent' && i.state !== 'discarded'))
      })
    load()
    // The outbox says when it moves, naming the shipments concerned: no polling.
    const off = api.on('outbox.changed', (o) => {
      if (o.shipmentIds.includes(shipmentId)) load()
    })
    return () => {
      live = false
      off()
    }
  }, [api, shipmentId, version, tick])

  if (items.length === 0) return null
  return (
    <section aria-labelledby="pending-title" className="pending" data-testid="pending-writes">
      <h3 id="pending-title">{t('outbox.forShipment')}</h3>
      <ul>
        {items.map((i) => (
          <li key={i.id} data-state={i.state} data-kind={i.kind}>
            <span className={`chip chip-${i.state}`}>{t(`outbox.state.${i.state}`)}</span> {outboxSummary(i, t)}{' '}
            <span className="muted">{t('outbox.actedAt', { when: formatDateTime(i.actedAt, i18n.language) })}</span>
            {i.lastError && (
              <p className={i.state === 'failed' ? 'tone-error' : 'muted'} data-testid="outbox-error">
                {outboxError(i.lastError, t)}
              </p>
            )}
            {i.state === 'failed' && (
              <span className="row-buttons">
                {canResend(i) && (
                  <button type="button" data-testid="pending-resend" onClick={() => void api.outbox.resend({ id: i.id }).then(reload)}>
                    {t('outbox.resend')}
                  </button>
                )}
                <button type="button" onClick={() => void api.outbox.discard({ id: i.id }).then(reload)}>
                  {t('outbox.discard')}
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}
