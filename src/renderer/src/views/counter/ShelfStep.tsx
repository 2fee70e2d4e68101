import { useTranslation } from 'react-i18next'
import { CARRIER_NAMES } from '@shared/domain'
import { formatDateTime } from '../../lib/format'
import type { CounterState } from '../../stores/counter'
import { carrierName, ParcelLine } from './parts'

/** What waits on the shelf, and where the shelf and the carriers disagree. */
export function ShelfStep({ s }: { s: CounterState }) {
  const { t, i18n } = useTranslation()
  if (!s.stock) return <p className="muted">{t('counter.loading')}</p>
  return (
    <div className="counter-step" data-testid="counter-stock">
      <h3>{t('counter.shelf', { count: s.stock.parcels.length })}</h3>
      <table className="timeline counter-table">
        <thead>
          <tr>
            <th scope="col">{t('counter.slot')}</th>
            <th scope="col">{t('counter.parcel')}</th>
            <th scope="col">{t('counter.age')}</th>
            <th scope="col">{t('counter.expires')}</th>
            <th scope="col">{t('counter.carrierSays')}</th>
          </tr>
        </thead>
        <tbody>
          {s.stock.parcels.map((p) => (
            <tr key={p.id} data-expired={p.expired} data-state={p.state}>
              <td className="code" dir="ltr">
                {p.slot}
              </td>
              <td>
                <code dir="ltr">{p.trackingNumber}</code> · {carrierName(p)} · {p.recipientName ?? '?'}
              </td>
              <td>{t('counter.days', { count: p.ageDays })}</td>
              <td className={p.expired ? 'tone-warn' : undefined}>{formatDateTime(p.expiresAt, i18n.language)}</td>
              <td>{p.carrierStatus ? t(`status.${p.carrierStatus}`, { defaultValue: p.carrierStatus }) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('counter.deliveredNotOnShelf')}</h3>
      {s.stock.carrierDeliveredNotOnShelf.length === 0 && <p className="empty">{t('counter.noneListed')}</p>}
      <ul className="counter-list" data-testid="counter-not-on-shelf">
        {s.stock.carrierDeliveredNotOnShelf.map((m) => (
          <li key={m.shipmentId}>
            <code dir="ltr">{m.trackingNumber}</code> · {CARRIER_NAMES[m.carrier]} · {m.recipientName}
          </li>
        ))}
      </ul>
      <h3>{t('counter.onShelfInTransit')}</h3>
      {s.stock.onShelfCarrierInTransit.length === 0 && <p className="empty">{t('counter.noneListed')}</p>}
      <ul className="counter-list" data-testid="counter-in-transit">
        {s.stock.onShelfCarrierInTransit.map((p) => (
          <li key={p.id}>
            <ParcelLine p={p} />
          </li>
        ))}
      </ul>
    </div>
  )
}
