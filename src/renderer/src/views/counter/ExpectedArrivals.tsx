import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { CARRIER_NAMES } from '@shared/domain'
import type { ExpectedArrivals as Expected } from '@shared/contract'
import { useApp } from '../../context'
import { useErrorText } from '../../lib/errors'

/**
 * What the warehouse sent this point through the hub and is not on the shelf yet, today's first.
 * Scanning one in the check-in field checks it in as any parcel; it then leaves this list.
 * `refreshKey` changes with every scan, so the list follows the check-in.
 */
export function ExpectedArrivals({ refreshKey }: { refreshKey: number }) {
  const { t } = useTranslation()
  const errText = useErrorText()
  const { api } = useApp()
  const [data, setData] = useState<Expected | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [tick, setTick] = useState(0)

  // What the hub brings (a new shipment, a status) announces itself as shipment.changed.
  useEffect(() => api.on('shipment.changed', () => setTick((n) => n + 1)), [api])
  useEffect(() => {
    let live = true
    void api.hub.expectedArrivals().then((r) => {
      if (!live) return
      if (r.ok) {
        setData(r.value)
        setError(null)
      } else setError(errText(r.error))
    })
    return () => {
      live = false
    }
  }, [api, errText, refreshKey, tick])

  if (error)
    return (
      <p className="alert alert-warning" data-testid="expected-error">
        {error}
      </p>
    )
  if (!data || (!data.link.linked && data.arrivals.length === 0)) return null
  const { arrivals, link } = data
  return (
    <section className="counter-expected card" data-testid="expected-arrivals" aria-labelledby="expected-title">
      <h3 id="expected-title">{t('counter.expected.title', { count: arrivals.length })}</h3>
      {link.refusal && (
        <p className="alert alert-warning" role="alert" data-testid="expected-refusal" data-refusal={link.refusal}>
          {t(`counter.expected.refusal.${link.refusal.replace('hub.', '')}`)}
        </p>
      )}
      {arrivals.length === 0 ? (
        <p className="muted">{t('counter.expected.none')}</p>
      ) : (
        <table className="timeline counter-table">
          <thead>
            <tr>
              <th scope="col">{t('counter.expected.when')}</th>
              <th scope="col">{t('counter.expected.carrier')}</th>
              <th scope="col">{t('counter.expected.tracking')}</th>
              <th scope="col">{t('counter.expected.recipient')}</th>
              <th scope="col">{t('counter.expected.sender')}</th>
            </tr>
          </thead>
          <tbody>
            {arrivals.map((a) => (
              <tr key={a.shipmentId} data-testid="expected-row" data-expected-on={a.expectedOn}>
                <td>{t(`counter.expected.${a.expectedOn}`)}</td>
                <td>{CARRIER_NAMES[a.carrier] ?? a.carrier}</td>
                <td>
                  <code dir="ltr">{a.trackingNumber}</code>
                </td>
                <td>{a.recipientName || t('counter.unknownRecipient')}</td>
                <td>{a.sender ?? t('counter.expected.senderHere')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
