import { useCallback, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import { CARRIER_NAMES, type CarrierId } from '@shared/domain'
import { WEEKDAYS, type PickupPoint, type PointKind } from '@shared/points'
import type { PointSearchResult } from '@shared/contract/points'
import type { AppError } from '@shared/result'
import { useApp } from '../../context'
import { formatDateTime } from '../../lib/format'
import { PointsMap } from './PointsMap'
import { ToPointForm } from './ToPointForm'
import { PointsDiagnosticsPanel } from './Diagnostics'
import './points.css'
import { useErrorText } from '../../lib/errors'

type Keyed = PickupPoint & { key: string }
const COUNTRIES = ['CH', 'FR', 'NL', 'BE', 'DE', 'MA', 'DZ'] as const

/** "181 m", "1,3 km" in French, "1.3 km" in English: the locale's own unit formatting. */
export function distance(m: number | null, lang: string): string {
  if (m === null) return ''
  const unit = (u: 'meter' | 'kilometer', digits: number) =>
    new Intl.NumberFormat(lang, { style: 'unit', unit: u, maximumFractionDigits: digits, minimumFractionDigits: digits })
  return m < 1000 ? unit('meter', 0).format(Math.round(m)) : unit('kilometer', 1).format(m / 1000)
}

/** Pickup points near a place, across every carrier with points: a list that works offline, and a map when online. */
export function PointsView() {
  const { t, i18n } = useTranslation()
  const errText = useErrorText()
  const { api, status, lookup } = useApp()
  const online = useStore(status, (s) => s.connectivity?.online !== false)
  const open = useStore(lookup, (s) => s.detail?.shipment ?? null)
  const [country, setCountry] = useState<string>('CH')
  const [place, setPlace] = useState('')
  const [type, setType] = useState<PointKind | ''>('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<AppError | null>(null)
  const [result, setResult] = useState<PointSearchResult | null>(null)
  const [selected, setSelected] = useState<string | null>(null)
  const [attached, setAttached] = useState<string | null>(null)
  const onSelect = useCallback((key: string) => setSelected(key), [])
  // Tiles that fail to load (a proxy, a firewall, OSM down while the carriers answer): say so, keep the list.
  const [tilesDown, setTilesDown] = useState(false)
  const onTilesFailed = useCallback(() => setTilesDown(true), [])

  const search = async () => {
    const text = place.trim()
    if (!text) return
    setBusy(true)
    setError(null)
    // Digits first: a postal code ("8004", "5611 AC"); else a town.
    const where = /^\d/.test(text) ? { postalCode: text } : { city: text }
    const r = await api.points.search({ country, ...where, ...(type ? { types: [type] } : {}) })
    setBusy(false)
    if (r.ok) {
      setResult(r.value)
      setSelected(r.value.points[0]?.key ?? null)
    } else setError(r.error)
  }

  const point = result?.points.find((p) => p.key === selected) ?? null

  return (
    <section aria-labelledby="points-title" data-testid="points-view" className="points">
      <h2 id="points-title">{t('points.title')}</h2>
      <form
        role="search"
        className="row"
        onSubmit={(e) => {
          e.preventDefault()
          void search()
        }}
      >
        <label>
          {t('points.country')}
          <select value={country} onChange={(e) => setCountry(e.target.value)} data-testid="points-country">
            {COUNTRIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          {/* Swiss words (NPA) only for a Swiss search; the example follows the country chosen. */}
          {t(country === 'CH' ? 'points.placeCH' : 'points.place')}
          <input
            value={place}
            onChange={(e) => setPlace(e.target.value)}
            placeholder={t(`points.placeHints.${country}`)}
            data-testid="points-place"
            autoFocus
          />
        </label>
        <label>
          {t('points.type')}
          <select value={type} onChange={(e) => setType(e.target.value as PointKind | '')} data-testid="points-type">
            <option value="">{t('points.anyType')}</option>
            <option value="locker">{t('points.types.locker')}</option>
            <option value="counter">{t('points.types.counter')}</option>
            <option value="post_office">{t('points.types.post_office')}</option>
          </select>
        </label>
        <button type="submit" className="primary" disabled={busy || !place.trim()} data-testid="points-search">
          {busy ? t('points.searching') : t('points.search')}
        </button>
      </form>

      {error && (
        <p className="alert alert-error" role="alert" data-testid="points-error">
          {errText(error)}
        </p>
      )}
      {result?.source === 'cache' && (
        <p className="alert alert-warning" role="status" data-testid="points-cache">
          {result.cachedAt ? t('points.fromCache', { when: formatDateTime(result.cachedAt, i18n.language) }) : t('points.fromCacheNever')}
        </p>
      )}
      {result && result.errors.length > 0 && (
        <ul className="muted" data-testid="points-carrier-errors">
          {result.errors.map((e) => (
            <li key={`${e.carrier}/${e.account}`}>
              {t('points.carrierError', { carrier: CARRIER_NAMES[e.carrier as CarrierId] ?? e.carrier, message: errText(e) })}
            </li>
          ))}
        </ul>
      )}
      {result && result.points.length === 0 && <p className="empty">{t('points.none')}</p>}
      {(error || (result && (result.points.length === 0 || result.errors.length > 0))) && <PointsDiagnosticsPanel />}

      {result && result.points.length > 0 && (
        <div className="points-body">
          {online && !tilesDown && (
            <PointsMap points={result.points} selected={selected} onSelect={onSelect} onTilesFailed={onTilesFailed} />
          )}
          {(!online || tilesDown) && (
            <p className="alert alert-warning points-map-down" role="status" data-testid="points-map-unavailable">
              {t('points.mapUnavailable')}
            </p>
          )}
          <ul className="points-list" aria-label={t('points.list')} data-testid="points-list">
            {result.points.map((p: Keyed) => (
              <li key={p.key}>
                <button
                  type="button"
                  aria-pressed={p.key === selected}
                  data-testid="point-item"
                  data-key={p.key}
                  data-type={p.type}
                  onClick={() => setSelected(p.key)}
                >
                  <strong>
                    <bdi>{p.name}</bdi>
                  </strong>{' '}
                  <span className="pill">{t(`points.types.${p.type}`)}</span> <span className="muted">{CARRIER_NAMES[p.carrier]}</span>
                  <br />
                  <bdi>
                    {[p.street, p.houseNo].filter(Boolean).join(' ')}, {[p.zip, p.city].filter(Boolean).join(' ')}
                  </bdi>
                  {p.distanceM !== null && <span className="muted"> · {distance(p.distanceM, i18n.language)}</span>}
                  {p.openTomorrow !== null && (
                    <span className={p.openTomorrow ? 'pill' : 'pill tone-warn'}>
                      {' '}
                      {p.openTomorrow ? t('points.openTomorrow') : t('points.closedTomorrow')}
                    </span>
                  )}
                  {p.openThisWeek === false && <span className="pill tone-warn"> {t('points.closedThisWeek')}</span>}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}

      {point && (
        <article className="point-detail" aria-labelledby="point-name" data-testid="point-detail">
          <h3 id="point-name">{point.name}</h3>
          <p>
            {CARRIER_NAMES[point.carrier]} · {t(`points.types.${point.type}`)}
            {point.services.length > 0 && ` · ${point.services.join(', ')}`}
          </p>
          {point.openingTimes && (
            <table className="opening">
              <caption>{t('points.openingTimes')}</caption>
              <tbody>
                {WEEKDAYS.map((d) => (
                  <tr key={d}>
                    <th scope="row">{t(`points.days.${d}`)}</th>
                    <td>
                      {point.openingTimes![d].length
                        ? point.openingTimes![d].map((s) => `${s.from}–${s.to}`).join(', ')
                        : t('points.closed')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {open && (
            <p>
              <button
                type="button"
                data-testid="point-attach"
                onClick={async () => {
                  const r = await api.points.attach({ shipmentId: open.id, key: point.key })
                  setAttached(r.ok ? t('points.attached', { tracking: open.trackingNumber }) : errText(r.error))
                }}
              >
                {t('points.attach', { tracking: open.trackingNumber })}
              </button>
              {attached && <span role="status"> {attached}</span>}
            </p>
          )}
          <ToPointForm key={point.key} point={point} onOpen={(id) => void lookup.getState().open(id)} />
        </article>
      )}
    </section>
  )
}
