import { useTranslation } from 'react-i18next'
import { CARRIER_NAMES } from '@shared/domain'
import { useApp, useLookup } from '../context'
import { formatDateTime } from '../lib/format'
import { StatusBadge } from './StatusBadge'

/** A result list for a name, phone or partial number, with column headers. ↓/↑ move, Enter opens. */
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
  const focusRow = (row: Element | null | undefined) => (row?.querySelector('button') as HTMLElement | null)?.focus()
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title" role="status">
        {t('search.results', { count: results.length, query })}
      </h2>
      <table className="timeline results-table" data-testid="results">
        <thead>
          <tr>
            <th scope="col">{t('shipment.recipient')}</th>
            <th scope="col">{t('shipment.tracking')}</th>
            <th scope="col">{t('parcels.carrier')}</th>
            <th scope="col">{t('shipment.reference')}</th>
            <th scope="col">{t('shipment.status')}</th>
            <th scope="col">{t('search.updated')}</th>
          </tr>
        </thead>
        <tbody>
          {results.map((s) => (
            <tr key={s.id} className="result-row" onClick={() => void lookup.getState().open(s.id)}>
              <td>
                <button
                  type="button"
                  className="link result"
                  onClick={(e) => {
                    e.stopPropagation()
                    void lookup.getState().open(s.id)
                  }}
                  onKeyDown={(e) => {
                    const row = e.currentTarget.closest('tr')
                    if (e.key === 'ArrowDown') {
                      e.preventDefault()
                      focusRow(row?.nextElementSibling)
                    }
                    if (e.key === 'ArrowUp') {
                      e.preventDefault()
                      if (row?.previousElementSibling) focusRow(row.previousElementSibling)
                      else document.getElementById('search-input')?.focus()
                    }
                  }}
                >
                  <bdi>{s.recipientName}</bdi>
                </button>
              </td>
              <td>
                <span className="code" dir="ltr">
                  {s.trackingNumber}
                </span>
              </td>
              <td className="muted">{CARRIER_NAMES[s.carrier]}</td>
              <td className="muted">
                <bdi>{s.reference ?? ''}</bdi>
              </td>
              <td>
                <StatusBadge status={s.unifiedStatus} kind={s.statusKind} />
              </td>
              <td className="muted">{formatDateTime(s.statusAt ?? s.createdAt, i18n.language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
