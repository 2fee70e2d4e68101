import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import type { StoreApi } from 'zustand/vanilla'
import { formatDateTime } from '../../lib/format'
import type { HeadOfficeState } from '../../stores/headoffice'

const when = (ms: number | null, lang: string) => (ms === null ? '—' : formatDateTime(new Date(ms).toISOString(), lang))

/** One point's parcels as its desk last reported them: on the shelf first, the newest step first. */
export function PointStockView({ store }: { store: StoreApi<HeadOfficeState> }) {
  const { t, i18n } = useTranslation()
  const point = useStore(store, (s) => s.point)
  const stock = useStore(store, (s) => s.stock)
  const at = useStore(store, (s) => s.network?.at ?? Date.now())
  const tomorrow = at + 24 * 3600_000
  return (
    <section aria-labelledby="office-stock-title" data-testid="office-stock">
      <button type="button" className="link" data-testid="office-stock-back" onClick={() => store.getState().closePoint()}>
        {t('office.stock.back')}
      </button>
      <h2 id="office-stock-title">{t('office.stock.title', { point })}</h2>
      {!stock && <p className="muted">{t('office.loading')}</p>}
      {stock && stock.parcels.length === 0 && <p className="empty">{t('office.stock.empty')}</p>}
      {stock && stock.parcels.length > 0 && (
        <table className="timeline list" data-testid="office-stock-table">
          <thead>
            <tr>
              <th scope="col">{t('office.stock.tracking')}</th>
              <th scope="col">{t('office.stock.state')}</th>
              <th scope="col">{t('office.stock.since')}</th>
              <th scope="col">{t('office.stock.expires')}</th>
            </tr>
          </thead>
          <tbody>
            {stock.parcels.map((p) => {
              const soon = p.state === 'on_shelf' && p.expiresAt !== null && p.expiresAt < tomorrow
              return (
                <tr key={p.trackingKey} data-state={p.state}>
                  <th scope="row" className="code" dir="ltr">
                    {p.trackingKey}
                  </th>
                  <td>{t(`office.parcelState.${p.state}`, { defaultValue: p.state })}</td>
                  <td className="nowrap">{when(p.at, i18n.language)}</td>
                  <td className={soon ? 'nowrap tone-warn' : 'nowrap'}>{when(p.expiresAt, i18n.language)}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      {stock?.more && <p className="muted">{t('office.stock.more', { count: stock.parcels.length })}</p>}
    </section>
  )
}
