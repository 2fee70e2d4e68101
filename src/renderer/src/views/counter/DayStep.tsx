import { useTranslation } from 'react-i18next'
import { CARRIER_NAMES } from '@shared/domain'
import { formatMoney } from '../../lib/format'
import type { StepProps } from './parts'

/** Closing the day: the totals, per carrier with the COD, the A4 report and the spreadsheet. */
export function DayStep({ store, s }: Pick<StepProps, 'store' | 's'>) {
  const { t, i18n } = useTranslation()
  const r = s.report
  return (
    <div className="counter-step">
      <button type="button" className="primary" autoFocus data-testid="counter-end-of-day" onClick={() => void store.getState().endOfDay()}>
        {t('counter.endOfDay')}
      </button>
      {r && (
        <div data-testid="counter-report">
          <p>
            {t('counter.reportTotals', {
              in: r.totals.in,
              out: r.totals.out,
              handedOver: r.totals.handedOver,
              collected: r.totals.collected,
              onShelf: r.totals.onShelf
            })}
          </p>
          <table className="timeline counter-table">
            <tbody>
              {r.carriers.map((l) => (
                <tr key={l.carrier} data-carrier={l.carrier}>
                  <th scope="row">{l.carrier === 'unknown' ? t('counter.unknownCarrier') : CARRIER_NAMES[l.carrier]}</th>
                  <td>{t('counter.inOut', { in: l.in, out: l.out })}</td>
                  <td>
                    {l.cod.map((c) => `${formatMoney(c.cents / 100, c.currency, i18n.language)} (${t(`counter.${c.method}`)})`).join(' · ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {/* The CSV already carries its byte order mark and the locale's separator (main builds it). */}
          <a
            className="button-link"
            data-testid="counter-csv"
            download={`guichet-${r.day}.csv`}
            href={`data:text/csv;charset=utf-8,${encodeURIComponent(r.csv)}`}
          >
            {t('counter.csv')}
          </a>
        </div>
      )}
    </div>
  )
}
