import { useCallback, useLayoutEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { CARRIER_NAMES, FINAL_STATUSES } from '@shared/domain'
import { useApp, useLookup } from '../../context'
import { formatDateTime, formatMoney, formatRelative } from '../../lib/format'
import { StatusBadge } from '../StatusBadge'
import { useNow } from '../../lib/useNow'
import { ActionBar, TRACKING_UNSUPPORTED } from './ActionBar'
import { CarrierTab } from './CarrierTab'
import { PendingWrites } from './PendingWrites'
import { RemarkForm } from './RemarkForm'
import { measureScanToView } from '../../lib/perf'
import { counterStatusOf, counterStepOf } from '@shared/counter'
import { CounterStatusLine, counterEventText } from './CounterStatus'
import { useErrorText } from '../../lib/errors'

/** One glance: where the parcel is, how fresh that is, and its whole timeline. */
export function ShipmentView() {
  const { t, i18n } = useTranslation()
  const errText = useErrorText()
  const { settings, lookup } = useApp()
  const detail = useLookup((s) => s.detail)
  const now = useNow(30_000)
  const [tab, setTab] = useState<'timeline' | 'carrier'>('timeline')
  const [version, setVersion] = useState(0)
  // Layout effects run after the DOM is updated, before paint: the view is in the document.
  useLayoutEffect(() => measureScanToView(), [detail])
  const changed = useCallback(() => {
    setVersion((v) => v + 1)
    void lookup.getState().reload()
  }, [lookup])
  if (!detail) return null
  const { shipment: s, events, remarks } = detail
  const lang = i18n.language
  const carrier = CARRIER_NAMES[s.carrier]
  const ownPoint = settings.point
  const notThisPoint = ownPoint && s.point && s.point.id !== ownPoint.id
  const atCounter = counterStatusOf(events)
  // The carrier's own last word (events are newest first): our counter steps are not the carrier's status.
  const carrierLast = atCounter ? events.find((e) => e.source !== 'counter') : undefined
  const native = atCounter ? (carrierLast?.nativeStatus ?? null) : s.nativeStatus
  const nativeLabel = atCounter ? (carrierLast?.nativeLabel ?? null) : s.nativeStatusLabel

  return (
    <article className="shipment" aria-labelledby="shipment-title" data-testid="shipment-view">
      <header className="shipment-head">
        <div>
          <h2 id="shipment-title">
            <span className="code" dir="ltr" data-testid="shipment-tracking">
              {s.trackingNumber}
            </span>
            <span className="carrier-chip">{carrier}</span>
            {s.direction === 'return' && <span className="carrier-chip">{t('shipment.return')}</span>}
          </h2>
          <p className="recipient">
            <bdi>{s.recipientName}</bdi>
            {s.recipientPhone && (
              <>
                {' · '}
                <span dir="ltr">{s.recipientPhone}</span>
              </>
            )}
            {s.reference && (
              <>
                {' · '}
                {t('shipment.reference')} <span dir="ltr">{s.reference}</span>
              </>
            )}
          </p>
        </div>
        <div className="status-block">
          <StatusBadge status={s.unifiedStatus} kind={s.statusKind} large />
          {atCounter && <CounterStatusLine status={atCounter} />}
          <p className="native" data-testid="carrier-status">
            {/* The carrier's Latin name is isolated so it keeps its place inside Arabic text. */}
            {t('shipment.carrierStatus', { carrier: `\u2068${carrier}\u2069` })}:{' '}
            <span dir="ltr" className="code">
              {native ?? '—'}
            </span>
            {nativeLabel ? (
              <>
                {' — '}
                <bdi>{nativeLabel}</bdi>
              </>
            ) : null}
          </p>
          <p className="freshness" data-testid="freshness">
            {s.lastCheckedAt ? t('shipment.checked', { when: formatRelative(s.lastCheckedAt, now, lang) }) : t('shipment.neverChecked')}
            {' · '}
            {s.nextCheckAt && !FINAL_STATUSES.has(s.unifiedStatus) && !TRACKING_UNSUPPORTED.has(s.carrier)
              ? // A check whose time has passed is due, not "next check 6 days ago".
                Date.parse(s.nextCheckAt) <= now
                ? t('shipment.checkDue')
                : t('shipment.nextCheck', { when: formatRelative(s.nextCheckAt, now, lang) })
              : t('shipment.noAutoCheck')}
          </p>
        </div>
      </header>

      <ActionBar shipment={s} counter={atCounter} onChanged={changed} />
      <PendingWrites shipmentId={s.id} version={version} />

      {TRACKING_UNSUPPORTED.has(s.carrier) && (
        <p className="alert alert-warning" role="note" data-testid="tracking-unsupported">
          {t('shipment.trackingUnsupported', { carrier })}
        </p>
      )}
      {s.lastError && !(TRACKING_UNSUPPORTED.has(s.carrier) && s.lastError.code === 'unsupported') && (
        <p className="alert alert-error" role="alert">
          {t('shipment.lastError', {
            message: errText(s.lastError),
            when: s.lastGoodCheckAt ? formatRelative(s.lastGoodCheckAt, now, lang) : '—'
          })}
        </p>
      )}
      {!s.point && (
        <p className="alert alert-warning" role="note" data-testid="no-point">
          {t('shipment.noPoint')}
        </p>
      )}
      {notThisPoint && (
        <p className="alert alert-warning" role="alert" data-testid="other-point">
          {t('shipment.notThisPoint', { point: `${s.point!.name} (${s.point!.id})` })}
        </p>
      )}

      <div className="facts">
        {s.point && (
          <table className="kv" aria-label={t('shipment.point')}>
            <caption>{t('shipment.point')}</caption>
            <tbody>
              <tr>
                <th scope="row">{t('shipment.pointId')}</th>
                <td dir="ltr" className="code">
                  {s.point.id}
                </td>
              </tr>
              <tr>
                <th scope="row">{t('shipment.pointName')}</th>
                <td dir="auto">{s.point.name}</td>
              </tr>
              <tr>
                <th scope="row">{t('shipment.pointAddress')}</th>
                <td dir="auto">{s.point.address}</td>
              </tr>
            </tbody>
          </table>
        )}
        <table className="kv">
          <caption>{t('shipment.recipient')}</caption>
          <tbody>
            <tr>
              <th scope="row">{t('shipment.created')}</th>
              <td>{formatDateTime(s.createdAt, lang)}</td>
            </tr>
            {s.codAmount != null && (
              <tr>
                <th scope="row">{t('shipment.cod')}</th>
                <td data-testid="cod">{formatMoney(s.codAmount, s.currency, lang)}</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>

      <div className="tabs" role="tablist" aria-label={t('shipment.views')}>
        <button
          type="button"
          role="tab"
          id="tab-timeline"
          aria-selected={tab === 'timeline'}
          aria-controls="panel-timeline"
          onClick={() => setTab('timeline')}
        >
          {t('shipment.timeline')}
        </button>
        <button
          type="button"
          role="tab"
          id="tab-carrier"
          data-testid="tab-carrier"
          aria-selected={tab === 'carrier'}
          aria-controls="panel-carrier"
          onClick={() => setTab('carrier')}
        >
          {carrier}
        </button>
      </div>
      {tab === 'carrier' && (
        <div role="tabpanel" id="panel-carrier" aria-labelledby="tab-carrier">
          <CarrierTab detail={detail} />
        </div>
      )}
      <section aria-labelledby="timeline-title" role="tabpanel" id="panel-timeline" hidden={tab !== 'timeline'}>
        <h3 id="timeline-title">{t('shipment.timeline')}</h3>
        {events.length === 0 ? (
          <p className="empty">{t('shipment.noEvents')}</p>
        ) : (
          <table className="timeline" data-testid="timeline">
            <thead>
              <tr>
                <th scope="col">{t('shipment.time')}</th>
                <th scope="col">{t('shipment.status')}</th>
                <th scope="col">{t('shipment.description')}</th>
                <th scope="col">{t('shipment.location')}</th>
                <th scope="col">{t('shipment.comment')}</th>
                <th scope="col">{t('shipment.waybill')}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id} data-native={e.nativeStatus} data-source={e.source}>
                  <td className="nowrap">{formatDateTime(e.at, lang)}</td>
                  <td>
                    <StatusBadge status={e.unifiedStatus} kind={e.kind} event />
                    <div className="code muted" dir="ltr">
                      {e.nativeStatus}
                    </div>
                  </td>
                  <td dir="auto">{counterStepOf(e) ? counterEventText(e, t) : (e.description ?? e.nativeLabel ?? '')}</td>
                  <td dir="auto">{e.location ?? ''}</td>
                  <td dir="auto">{e.comment ?? ''}</td>
                  <td className="code" dir="ltr">
                    {e.waybill ?? ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="remarks-title">
        <h3 id="remarks-title">{t('shipment.remarks')}</h3>
        <RemarkForm shipmentId={s.id} onAdded={changed} />
        {remarks.length === 0 ? (
          <p className="empty">{t('shipment.noRemarks')}</p>
        ) : (
          <ul className="remarks" data-testid="remarks">
            {remarks.map((r) => (
              <li key={r.id} data-state={r.state}>
                <span className="muted">{formatDateTime(r.createdAt, lang)}</span>{' '}
                {r.author ? (
                  <strong>
                    <bdi>{r.author}</bdi>:{' '}
                  </strong>
                ) : null}
                <span dir="auto">{r.text}</span>
                {r.origin === 'local' && <span className={`chip chip-${r.state}`}>{t(`remarks.state.${r.state}`)}</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  )
}
