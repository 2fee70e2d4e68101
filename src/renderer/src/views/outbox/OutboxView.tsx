import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { CARRIER_NAMES } from '@shared/domain'
import type { OutboxItem } from '@shared/contract/actions'
import { useApp } from '../../context'
import { formatDateTime } from '../../lib/format'
import { canResend, outboxError, outboxSummary } from '../../lib/outbox'

/** Every write on its way to a carrier, and the ones a carrier refused, with fix/resend/discard. */
export function OutboxView({ onOpen }: { onOpen: (id: number) => void }) {
  const { t, i18n } = useTranslation()
  const { api } = useApp()
  const [items, setItems] = useState<OutboxItem[]>([])
  const [editing, setEditing] = useState<{ id: number; text: string } | null>(null)
  const [tick, setTick] = useState(0)
  const load = () => setTick((n) => n + 1)
  useEffect(() => {
    let live = true
    const fetchAll = () => void api.outbox.list({ limit: 200 }).then((r) => live && r.ok && setItems(r.value))
    fetchAll()
    // Reloads when the outbox moves (a write recorded, sent, refused), not on a timer.
    const off = api.on('outbox.changed', fetchAll)
    return () => {
      live = false
      off()
    }
  }, [api, tick])

  return (
    <section aria-labelledby="outbox-title" data-testid="outbox-view">
      <h2 id="outbox-title">{t('outbox.title')}</h2>
      {items.length === 0 && <p className="empty">{t('outbox.empty')}</p>}
      <ul className="outbox-list">
        {items.map((i) => (
          <li key={i.id} data-state={i.state}>
            <span className={`chip chip-${i.state}`}>{t(`outbox.state.${i.state}`)}</span> <strong>{outboxSummary(i, t)}</strong>{' '}
            <span className="muted">
              {CARRIER_NAMES[i.carrier]} · {i.account} · {t('outbox.actedAt', { when: formatDateTime(i.actedAt, i18n.language) })}
              {i.attempts > 0 && ` · ${t('outbox.attempts', { count: i.attempts })}`}
            </span>
            {i.shipmentId && (
              <button type="button" className="link" onClick={() => onOpen(i.shipmentId!)}>
                {t('outbox.open')}
              </button>
            )}
            {i.lastError && <p className={i.state === 'failed' ? 'tone-error' : 'muted'}>{outboxError(i.lastError, t)}</p>}
            {i.state === 'failed' && (
              <div className="row-buttons">
                {i.editable && editing?.id !== i.id && (
                  <button type="button" onClick={() => setEditing({ id: i.id, text: '' })}>
                    {t('outbox.fix')}
                  </button>
                )}
                {editing?.id === i.id && (
                  <input
                    aria-label={t('outbox.fix')}
                    value={editing.text}
                    onChange={(e) => setEditing({ id: i.id, text: e.target.value })}
                    dir="auto"
                  />
                )}
                {canResend(i, editing?.id === i.id && !!editing.text.trim()) && (
                  <button
                    type="button"
                    data-testid="outbox-resend"
                    onClick={() =>
                      void api.outbox
                        .resend(editing?.id === i.id && editing.text.trim() ? { id: i.id, text: editing.text.trim() } : { id: i.id })
                        .then(() => (setEditing(null), load()))
                    }
                  >
                    {t('outbox.resend')}
                  </button>
                )}
                <button type="button" onClick={() => void api.outbox.discard({ id: i.id }).then(load)}>
                  {t('outbox.discard')}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}
