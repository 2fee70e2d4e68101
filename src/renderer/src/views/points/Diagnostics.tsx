import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { CARRIER_NAMES, type CarrierId } from '@shared/domain'
import type { PointsDiagnostics } from '@shared/contract/points'
import { useApp } from '../../context'
import { useErrorText } from '../../lib/errors'

/** Seed 003's "why doesn't the point map show?": per account, what is set up and what failed last. */
export function PointsDiagnosticsPanel() {
  const { t } = useTranslation()
  const errText = useErrorText()
  const { api } = useApp()
  const [busy, setBusy] = useState(false)
  const [d, setD] = useState<PointsDiagnostics | null>(null)
  const [error, setError] = useState<string | null>(null)
  return (
    <details className="points-diagnostics" data-testid="points-diagnostics">
      <summary>{t('points.diag.title')}</summary>
      <button
        type="button"
        disabled={busy}
        data-testid="points-diagnose"
        onClick={async () => {
          setBusy(true)
          const r = await api.points.diagnose()
          setBusy(false)
          if (r.ok) {
            setD(r.value)
            setError(null)
          } else setError(errText(r.error))
        }}
      >
        {t('points.diag.run')}
      </button>
      {error && <p className="alert alert-error">{error}</p>}
      {d && d.carriers.length === 0 && <p className="alert alert-warning">{t('points.diag.noAccount')}</p>}
      {d && (
        <ul>
          {d.carriers.map((c) => (
            <li key={`${c.carrier}/${c.account}`} data-testid="points-diag-row">
              <strong>
                {CARRIER_NAMES[c.carrier as CarrierId] ?? c.carrier} / {c.account}
              </strong>
              :{' '}
              {c.credentialsValid === false
                ? t('points.diag.badCredentials')
                : c.credentialsValid
                  ? t('points.diag.credentialsOk')
                  : t('points.diag.credentialsUnknown')}
              {c.servicePointsEnabled === false && ` · ${t('points.diag.servicePointsOff')}`}
              {c.carriersEnabled.length > 0 && ` · ${t('points.diag.carriers', { list: c.carriersEnabled.join(', ') })}`}
              {c.problems.length > 0 && (
                <ul>
                  {c.problems.map((p) => (
                    <li key={p} className="tone-warn">
                      {p}
                    </li>
                  ))}
                </ul>
              )}
              {c.lastErrors.length > 0 && (
                <p className="muted">{t('points.diag.lastError', { message: errText(c.lastErrors[0]!), at: c.lastErrors[0]!.at })}</p>
              )}
            </li>
          ))}
        </ul>
      )}
    </details>
  )
}
