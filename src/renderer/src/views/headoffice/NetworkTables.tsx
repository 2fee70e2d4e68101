import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import type { StoreApi } from 'zustand/vanilla'
import { formatDateTime } from '../../lib/format'
import { errorText } from '../../lib/errors'
import type { HeadOfficeState } from '../../stores/headoffice'

const when = (ms: number | null, lang: string) => (ms === null ? '—' : formatDateTime(new Date(ms).toISOString(), lang))

function Loading() {
  const { t } = useTranslation()
  return <p className="muted">{t('office.loading')}</p>
}

/** Every point's stock; a point's row opens its parcels. */
export function PointsTable({ store }: { store: StoreApi<HeadOfficeState> }) {
  const { t, i18n } = useTranslation()
  const network = useStore(store, (s) => s.network)
  if (!network) return <Loading />
  return (
    <section aria-labelledby="office-points-title" data-testid="office-points">
      <h2 id="office-points-title">{t('office.points.title')}</h2>
      <p className="muted">{t('office.updatedAt', { when: when(network.at, i18n.language) })}</p>
      {network.points.length === 0 ? (
        <p className="empty">{t('office.points.empty')}</p>
      ) : (
        <table className="timeline list" data-testid="office-points-table">
          <thead>
            <tr>
              <th scope="col">{t('office.points.point')}</th>
              <th scope="col">{t('office.points.onShelf')}</th>
              <th scope="col">{t('office.points.expiring')}</th>
              <th scope="col">{t('office.points.toReturn')}</th>
              <th scope="col">{t('office.points.handedOver')}</th>
              <th scope="col">{t('office.points.lastStep')}</th>
            </tr>
          </thead>
          <tbody>
            {network.points.map((p) => (
              <tr key={p.pointId} data-point={p.pointId} onClick={() => void store.getState().openPoint(p.pointId)}>
                <th scope="row">
                  <button
                    type="button"
                    className="link code"
                    dir="ltr"
                    aria-label={t('office.points.open', { point: p.pointId })}
                    onClick={(e) => (e.stopPropagation(), void store.getState().openPoint(p.pointId))}
                  >
                    {p.pointId}
                  </button>
                </th>
                <td data-col="onShelf">{p.onShelf}</td>
                <td data-col="expiring" className={p.expiringByTomorrow > 0 ? 'tone-warn' : undefined}>
                  {p.expiringByTomorrow}
                </td>
                <td data-col="toReturn">{p.toReturn}</td>
                <td data-col="handedOver">{p.handedOver}</td>
                <td className="nowrap">{when(p.lastStepAt, i18n.language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

/** Carrier writes not sent yet, and those a carrier refused, per desk. */
export function WritesTable({ store }: { store: StoreApi<HeadOfficeState> }) {
  const { t, i18n } = useTranslation()
  const network = useStore(store, (s) => s.network)
  if (!network) return <Loading />
  return (
    <section aria-labelledby="office-writes-title" data-testid="office-writes">
      <h2 id="office-writes-title">{t('office.writes.title')}</h2>
      {network.writes.length === 0 ? (
        <p className="empty">{t('office.writes.empty')}</p>
      ) : (
        <table className="timeline list">
          <thead>
            <tr>
              <th scope="col">{t('office.writes.desk')}</th>
              <th scope="col">{t('office.writes.kind')}</th>
              <th scope="col">{t('office.writes.state')}</th>
              <th scope="col">{t('office.writes.count')}</th>
              <th scope="col">{t('office.writes.error')}</th>
              <th scope="col">{t('office.writes.oldest')}</th>
            </tr>
          </thead>
          <tbody>
            {network.writes.map((w) => (
              <tr key={`${w.deskId}|${w.kind}|${w.state}`}>
                <td dir="auto">{w.deskName}</td>
                <td>{t(`office.writeKind.${w.kind}`, { defaultValue: w.kind })}</td>
                <td>
                  <span className={`chip chip-${w.state}`}>{t(`outbox.state.${w.state}`, { defaultValue: w.state })}</span>
                </td>
                <td>{w.count}</td>
                <td className={w.errorCode ? 'tone-error' : undefined}>{w.errorCode ? errorText(t, { code: w.errorCode }) : '—'}</td>
                <td className="nowrap">{when(w.oldestAt, i18n.language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

/** Each shared carrier account: who polls it (the lease) and the budget the holder last read. */
export function AccountsTable({ store }: { store: StoreApi<HeadOfficeState> }) {
  const { t, i18n } = useTranslation()
  const network = useStore(store, (s) => s.network)
  if (!network) return <Loading />
  return (
    <section aria-labelledby="office-accounts-title" data-testid="office-accounts">
      <h2 id="office-accounts-title">{t('office.accounts.title')}</h2>
      {network.accounts.length === 0 ? (
        <p className="empty">{t('office.accounts.empty')}</p>
      ) : (
        <table className="timeline list">
          <thead>
            <tr>
              <th scope="col">{t('office.accounts.account')}</th>
              <th scope="col">{t('office.accounts.holder')}</th>
              <th scope="col">{t('office.accounts.lease')}</th>
              <th scope="col">{t('office.accounts.remaining')}</th>
              <th scope="col">{t('office.accounts.calls')}</th>
              <th scope="col">{t('office.accounts.resets')}</th>
            </tr>
          </thead>
          <tbody>
            {network.accounts.map((a) => (
              <tr key={a.account}>
                <th scope="row">
                  <bdi dir="ltr">{a.account}</bdi>
                </th>
                <td dir="auto">{a.holderName}</td>
                <td className={a.live ? 'tone-ok' : 'tone-warn'}>
                  {a.live ? t('office.accounts.live') : t('office.accounts.expired')} · {when(a.renewedAt, i18n.language)}
                </td>
                <td>{a.remaining ?? '—'}</td>
                <td>{a.calls ?? '—'}</td>
                <td className="nowrap">{when(a.resetsAt, i18n.language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

/** The desks that joined, revocation (admin), and new enrolment codes (admin). */
export function DesksTable({ store }: { store: StoreApi<HeadOfficeState> }) {
  const { t, i18n } = useTranslation()
  const network = useStore(store, (s) => s.network)
  const admin = useStore(store, (s) => s.user?.role === 'admin')
  if (!network) return <Loading />
  return (
    <section aria-labelledby="office-desks-title" data-testid="office-desks">
      <h2 id="office-desks-title">{t('office.desks.title')}</h2>
      {network.desks.length === 0 ? (
        <p className="empty">{t('office.desks.empty')}</p>
      ) : (
        <table className="timeline list">
          <thead>
            <tr>
              <th scope="col">{t('office.desks.name')}</th>
              <th scope="col">{t('office.desks.role')}</th>
              <th scope="col">{t('office.desks.point')}</th>
              <th scope="col">{t('office.desks.events')}</th>
              <th scope="col">{t('office.desks.seen')}</th>
              <th scope="col">{t('office.desks.state')}</th>
            </tr>
          </thead>
          <tbody>
            {network.desks.map((d) => (
              <tr key={d.id}>
                <th scope="row" dir="auto">
                  {d.name} <span className="muted code">{d.id}</span>
                </th>
                <td>{t(`office.desks.roleName.${d.role}`)}</td>
                <td dir="ltr">{d.pointId ?? '—'}</td>
                <td>{d.lastSeq}</td>
                <td className="nowrap">{when(d.lastSeenAt, i18n.language)}</td>
                <td>
                  {d.revoked ? (
                    <span className="tone-error">{t('office.desks.revoked')}</span>
                  ) : admin ? (
                    <span className="row-buttons">
                      <button
                        type="button"
                        onClick={() =>
                          window.confirm(t('office.desks.confirmRevoke', { name: d.name })) && void store.getState().revoke(d.id)
                        }
                      >
                        {t('office.desks.revoke')}
                      </button>
                    </span>
                  ) : (
                    t('office.desks.active')
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {admin && <EnrolForm store={store} />}
    </section>
  )
}

function EnrolForm({ store }: { store: StoreApi<HeadOfficeState> }) {
  const { t } = useTranslation()
  const code = useStore(store, (s) => s.code)
  const busy = useStore(store, (s) => s.busy)
  const [role, setRole] = useState<'point' | 'warehouse'>('point')
  const [pointId, setPointId] = useState('')
  const [name, setName] = useState('')
  return (
    <form
      className="card"
      aria-labelledby="office-enrol-title"
      onSubmit={(e) => {
        e.preventDefault()
        void store.getState().createCode({ role, pointId: pointId.trim() || null, name: name.trim() || undefined })
      }}
    >
      <h3 id="office-enrol-title">{t('office.enrol.title')}</h3>
      <label className="field">
        <span>{t('office.enrol.role')}</span>
        <select value={role} onChange={(e) => setRole(e.target.value as 'point' | 'warehouse')}>
          <option value="point">{t('office.desks.roleName.point')}</option>
          <option value="warehouse">{t('office.desks.roleName.warehouse')}</option>
        </select>
      </label>
      <label className="field">
        <span>{t('office.enrol.point')}</span>
        <input value={pointId} required={role === 'point'} dir="ltr" onChange={(e) => setPointId(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('office.enrol.name')}</span>
        <input value={name} dir="auto" onChange={(e) => setName(e.target.value)} />
      </label>
      <button type="submit" className="primary" disabled={busy}>
        {t('office.enrol.submit')}
      </button>
      {code && (
        <p role="status" className="tone-ok">
          {t('office.enrol.code')}{' '}
          <strong className="code" dir="ltr" data-testid="office-enrol-code">
            {code}
          </strong>
        </p>
      )}
    </form>
  )
}
