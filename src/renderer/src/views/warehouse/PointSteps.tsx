import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { PointStep } from '@shared/contract'
import { useApp } from '../../context'
import { formatDateTime } from '../../lib/format'

const STATES = ['on_shelf', 'refused', 'handed_over', 'to_return', 'collected']

/**
 * At the warehouse: what the points did with the parcels (check-in, hand-over, return), as the
 * hub brought it, newest first. Shown once the hub has brought any; a desk without a hub has none.
 */
export function PointSteps() {
  const { t, i18n } = useTranslation()
  const { api } = useApp()
  const [steps, setSteps] = useState<PointStep[]>([])
  const [tick, setTick] = useState(0)

  // What the hub brings announces itself as shipment.changed.
  useEffect(() => api.on('shipment.changed', () => setTick((n) => n + 1)), [api])
  useEffect(() => {
    let live = true
    void api.hub.pointSteps({ limit: 200 }).then((r) => {
      if (live && r.ok) setSteps(r.value)
    })
    return () => {
      live = false
    }
  }, [api, tick])

  if (steps.length === 0) return null
  return (
    <section className="card" data-testid="point-steps" aria-labelledby="point-steps-title">
      <h3 id="point-steps-title">{t('warehouse.pointSteps.title')}</h3>
      <table className="timeline">
        <thead>
          <tr>
            <th scope="col">{t('warehouse.pointSteps.when')}</th>
            <th scope="col">{t('warehouse.pointSteps.point')}</th>
            <th scope="col">{t('warehouse.pointSteps.tracking')}</th>
            <th scope="col">{t('warehouse.pointSteps.state')}</th>
            <th scope="col">{t('warehouse.pointSteps.desk')}</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((s, i) => (
            <tr key={`${s.deskId}-${s.at}-${i}`} data-testid="point-step" data-state={s.state ?? ''}>
              <td>{formatDateTime(s.at, i18n.language)}</td>
              <td>
                <bdi>{s.pointId ?? '—'}</bdi>
              </td>
              <td>
                <code dir="ltr">{s.trackingNumber ?? s.trackingKey ?? '—'}</code>
              </td>
              <td>{s.state && STATES.includes(s.state) ? t(`office.parcelState.${s.state}`) : t('warehouse.pointSteps.otherStep')}</td>
              <td>
                <bdi>{s.deskName ?? s.deskId}</bdi>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
