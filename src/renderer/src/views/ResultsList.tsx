import { useTranslation } from 'react-i18next'
import { CARRIER_NAMES } from '@shared/domain'
import { useApp, useLookup } from '../context'
import { formatDateTime } from '../lib/format'
import { StatusBadge } from './StatusBadge'

/** A result list for a name, phone or partial number. Arrow keys move, Enter opens. */
export function ResultsList() {
  const { t, i18n } = useTranslation()
  const { lookup } = useApp()
  const results = useLookup((s) => s.results)
  const query = useLookup((s) => s.query)

  if (results.length === 0) {
    return (
      <p className="empty" role="status" data-testid="no-results">
        {t('search.none', { query })}
      </p>
    )
  }
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title" role="status">
        {t('search.results', { count: results.length, query })}
      </h2>
      <ul className="results" data-testid="results">
        {results.map((s) => (
          <li key={s.id}>
            <button
              type="button"
              className="result"
              onClick={() => void lookup.getState().open(s.id)}
              onKeyDown={(e) => {
                const li = e.currentTarget.parentElement
                if (e.key === 'ArrowDown') (li?.nextElementSibling?.querySelector('button') as HTMLElement | null)?.focus()
                if (e.key === 'ArrowUp') (li?.previousElementSibling?.querySelector('button') as HTMLElement | null)?.focus()
              }}
            >
              <span className="result-name">{s.recipientName}</span>
              <span className="code" dir="ltr">
                {s.trackingNumber}
              </span>
              <span className="muted">{CARRIER_NAMES[s.carrier]}</span>
              <span className="muted" dir="ltr">
                {s.reference ?? ''}
              </span>
              <StatusBadge status={s.unifiedStatus} kind={s.statusKind} />
              <span className="muted">{formatDateTime(s.statusAt ?? s.createdAt, i18n.language)}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}
