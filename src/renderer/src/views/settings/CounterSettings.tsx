import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { CARRIERS, CARRIER_NAMES, type CarrierId } from '@shared/domain'
import { useApp } from '../../context'
import { useAction } from '../../lib/useAction'
import { useErrorText } from '../../lib/errors'

/** Who is at the counter (every step is audited under that name) and how long parcels wait. */
export function CounterSettings() {
  const { t } = useTranslation()
  const errText = useErrorText()
  const { api } = useApp()
  const [clerk, setClerk] = useState('')
  const [hold, setHold] = useState<Partial<Record<CarrierId, string>>>({})
  useEffect(
    () =>
      void api.counter.config().then((r) => {
        if (!r.ok) return
        // What the clerk typed before the stored values arrived wins (a slow start must not undo it).
        setClerk((typed) => typed || r.value.clerk)
        setHold((typed) => ({ ...Object.fromEntries(Object.entries(r.value.holdDays).map(([k, v]) => [k, String(v)])), ...typed }))
      }),
    [api]
  )
  const save = useAction(
    useCallback(() => {
      const holdDays = Object.fromEntries(
        Object.entries(hold)
          .filter(([, v]) => v && v.trim())
          .map(([k, v]) => [k, Number(v)])
      )
      return api.counter.setConfig({ clerk: clerk.trim() || undefined, holdDays })
    }, [api, clerk, hold])
  )
  return (
    <form
      className="card"
      aria-labelledby="counter-settings-title"
      data-testid="counter-settings"
      onSubmit={(e) => {
        e.preventDefault()
        void save.trigger()
      }}
    >
      <h3 id="counter-settings-title">{t('settings.counter')}</h3>
      <label className="field">
        <span>{t('settings.clerk')}</span>
        <input value={clerk} onChange={(e) => setClerk(e.target.value)} data-testid="clerk-name" />
      </label>
      <fieldset className="filters">
        <legend>{t('settings.holdDays')}</legend>
        {CARRIERS.map((c) => (
          <label className="field" key={c}>
            <span>{CARRIER_NAMES[c]}</span>
            <input
              inputMode="numeric"
              dir="ltr"
              size={4}
              value={hold[c] ?? ''}
              onChange={(e) => setHold({ ...hold, [c]: e.target.value })}
            />
          </label>
        ))}
      </fieldset>
      <button type="submit" className="primary" disabled={save.state.phase === 'busy'}>
        {t('settings.save')}
      </button>{' '}
      <span role="status">
        {save.state.phase === 'done' && <span className="tone-ok">{t('settings.saved')}</span>}
        {save.state.phase === 'failed' && <span className="tone-error">{errText(save.state.error)}</span>}
      </span>
    </form>
  )
}
