import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { COUNTER_STEPS, type CounterStep } from '@shared/counter'
import { CARRIERS, CARRIER_NAMES, UNIFIED_STATUSES, type CarrierId, type ShipmentSummary, type UnifiedStatus } from '@shared/domain'
import { useApp } from '../../context'
import { formatDateTime } from '../../lib/format'
import { StatusBadge } from '../StatusBadge'
import { useErrorText } from '../../lib/errors'

const PAGE = 50

/** Shipments by status and age, filtered by carrier, account and point. */
export function ParcelsView({ onOpen }: { onOpen: (id: number) => void }) {
  const { t, i18n } = useTranslation()
  const errText = useErrorText()
  const { api } = useApp()
  const [status, setStatus] = useState<UnifiedStatus | ''>('')
  const [counterStep, setCounterStep] = useState<CounterStep | ''>('')
  const [carrier, setCarrier] = useState<CarrierId | ''>('')
  const [age, setAge] = useState<number | ''>('')
  const [account, setAccount] = useState('')
  const [pointId, setPointId] = useState('')
  const [offset, setOffset] = useState(0)
  const [items, setItems] = useState<ShipmentSummary[]>([])
  const [total, setTotal] = useState(0)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    void api.shipments
      .list({
        status: status || undefined,
        counterStep: counterStep || undefined,
        carrier: carrier || undefined,
        olderThanDays: age === '' ? undefined : age,
        account: account.trim() || undefined,
        pointId: pointId.trim() || undefined,
        limit: PAGE,
        offset
      })
      .then((r) => {
        if (!live) return
        if (r.ok) {
          setItems(r.value.items)
          setTotal(r.value.total)
          setError(null)
        } else setError(errText(r.error))
      })
    return () => {
      live = false
    }
  }, [api, status, counterStep, carrier, age, account, pointId, offset, errText])

  return (
    <section aria-labelledby="parcels-title" data-testid="parcels-view">
      <h2 id="parcels-title">{t('parcels.title')}</h2>
      <div className="filters" role="group" aria-label={t('parcels.filters')}>
        <label className="field">
          <span>{t('parcels.status')}</span>
          <select
            data-testid="filter-status"
            value={status}
            onChange={(e) => (setOffset(0), setStatus(e.target.value as UnifiedStatus | ''))}
          >
            <option value="">{t('parcels.all')}</option>
            {UNIFIED_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('status.counter.filter')}</span>
          <select
            data-testid="filter-counter"
            value={counterStep}
            onChange={(e) => (setOffset(0), setCounterStep(e.target.value as CounterStep | ''))}
          >
            <option value="">{t('parcels.all')}</option>
            {COUNTER_STEPS.map((s) => (
              <option key={s} value={s}>
                {t(`status.counter.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('parcels.carrier')}</span>
          <select
            data-testid="filter-carrier"
            value={carrier}
            onChange={(e) => (setOffset(0), setCarrier(e.target.value as CarrierId | ''))}
          >
            <option value="">{t('parcels.all')}</option>
            {CARRIERS.map((c) => (
              <option key={c} value={c}>
                {CARRIER_NAMES[c]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('parcels.age')}</span>
          <select value={age} onChange={(e) => (setOffset(0), setAge(e.target.value === '' ? '' : Number(e.target.value)))}>
            <option value="">{t('parcels.anyAge')}</option>
            {[2, 5, 7, 10, 14].map((d) => (
              <option key={d} value={d}>
                {t('parcels.olderThan', { count: d })}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('parcels.account')}</span>
          <input value={account} onChange={(e) => (setOffset(0), setAccount(e.target.value))} dir="ltr" />
        </label>
        <label className="field">
          <span>{t('parcels.point')}</span>
          <input value={pointId} onChange={(e) => (setOffset(0), setPointId(e.target.value))} dir="ltr" />
        </label>
      </div>
      {error && <p className="alert alert-error">{error}</p>}
      <p role="status" className="muted">
        {t('parcels.count', { count: total })}
      </p>
      <table className="timeline list" data-testid="parcels-table">
        <thead>
          <tr>
            <th scope="col">{t('shipment.tracking')}</th>
            <th scope="col">{t('shipment.recipient')}</th>
            <th scope="col">{t('parcels.carrier')}</th>
            <th scope="col">{t('parcels.status')}</th>
            <th scope="col">{t('shipment.point')}</th>
            <th scope="col">{t('shipment.created')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((s) => (
            <tr key={s.id}>
              <td>
                <button type="button" className="link code" dir="ltr" onClick={() => onOpen(s.id)}>
                  {s.trackingNumber}
                </button>
              </td>
              <td dir="auto">{s.recipientName}</td>
              <td>{CARRIER_NAMES[s.carrier]}</td>
              <td>
                <StatusBadge status={s.unifiedStatus} kind={s.statusKind} />
              </td>
              <td dir="auto">{s.point?.name ?? '—'}</td>
              <td className="nowrap">{formatDateTime(s.createdAt, i18n.language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="pager">
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          {t('parcels.previous')}
        </button>
        <span className="muted">
          {total === 0 ? 0 : offset + 1}–{Math.min(offset + PAGE, total)} / {total}
        </span>
        <button type="button" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
          {t('parcels.next')}
        </button>
      </div>
    </section>
  )
}
