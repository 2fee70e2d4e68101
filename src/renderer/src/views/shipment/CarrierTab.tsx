import { useTranslation } from 'react-i18next'
import { CARRIER_NAMES, type ShipmentDetail } from '@shared/domain'
import { formatDateTime } from '../../lib/format'

/**
 * The carrier's own view of the parcel, in its words: for Express Relais, seed 000's tab
 * (parcel ID, status, description, comment, update time) and the status log with waybill.
 */
export function CarrierTab({ detail }: { detail: ShipmentDetail }) {
  const { t, i18n } = useTranslation()
  const { shipment: s, events } = detail
  const latest = events[0]
  return (
    <section className="carrier-tab" data-testid="carrier-tab" aria-label={CARRIER_NAMES[s.carrier]}>
      <table className="kv">
        <tbody>
          <tr>
            <th scope="row">{t('carrierTab.parcelId')}</th>
            <td className="code" dir="ltr">
              {s.reference ?? s.trackingNumber}
            </td>
          </tr>
          <tr>
            <th scope="row">{t('carrierTab.status')}</th>
            <td className="code" dir="ltr" data-testid="carrier-tab-status">
              {s.nativeStatus ?? '—'}
            </td>
          </tr>
          <tr>
            <th scope="row">{t('carrierTab.description')}</th>
            <td>{s.nativeStatusLabel ?? latest?.description ?? '—'}</td>
          </tr>
          <tr>
            <th scope="row">{t('carrierTab.comment')}</th>
            <td>{latest?.comment ?? '—'}</td>
          </tr>
          <tr>
            <th scope="row">{t('carrierTab.updated')}</th>
            <td>{formatDateTime(s.statusAt, i18n.language)}</td>
          </tr>
        </tbody>
      </table>
      <h4>{t('carrierTab.log')}</h4>
      <table className="timeline" data-testid="carrier-log">
        <thead>
          <tr>
            <th scope="col">{t('shipment.time')}</th>
            <th scope="col">{t('carrierTab.status')}</th>
            <th scope="col">{t('carrierTab.description')}</th>
            <th scope="col">{t('carrierTab.comment')}</th>
            <th scope="col">{t('shipment.waybill')}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td className="nowrap">{formatDateTime(e.at, i18n.language)}</td>
              <td className="code" dir="ltr">
                {e.nativeStatus}
              </td>
              <td>{e.nativeLabel ?? e.description ?? ''}</td>
              <td>{e.comment ?? ''}</td>
              <td className="code" dir="ltr">
                {e.waybill ?? ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
