import { useCallback, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApp } from '../../context'
import { useAction } from '../../lib/useAction'
import { AccountsEditor } from './AccountsEditor'
import { CounterSettings } from './CounterSettings'
import { PrinterSettings } from './PrinterSettings'
import { SenderSettings } from './SenderSettings'
import { useErrorText } from '../../lib/errors'

function PointIdentity() {
  const { t } = useTranslation()
  const errText = useErrorText()
  const { api, settings } = useApp()
  const [id, setId] = useState(settings.point?.id ?? '')
  const [name, setName] = useState(settings.point?.name ?? '')
  const save = useAction(
    useCallback(() => api.settings.update({ point: id.trim() ? { id: id.trim(), name: name.trim() } : null }), [api, id, name])
  )
  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault()
        void save.trigger()
      }}
    >
      <h3>{t('settings.point')}</h3>
      <p className="muted">{t('settings.pointHelp')}</p>
      <label className="field">
        <span>{t('shipment.pointId')}</span>
        <input value={id} onChange={(e) => setId(e.target.value)} dir="ltr" data-testid="point-id" />
      </label>
      <label className="field">
        <span>{t('shipment.pointName')}</span>
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <button type="submit" className="primary" disabled={save.state.phase === 'busy'}>
        {t('settings.save')}
      </button>
      <span role="status" className="tone-ok">
        {save.state.phase === 'done' && t('settings.saved')}
      </span>
      {save.state.phase === 'failed' && <p className="tone-error">{errText(save.state.error)}</p>}
    </form>
  )
}

export function SettingsView() {
  const { t } = useTranslation()
  return (
    <section aria-labelledby="settings-title" className="settings" data-testid="settings-view">
      <h2 id="settings-title">{t('settings.title')}</h2>
      <PointIdentity />
      <CounterSettings />
      <SenderSettings />
      <AccountsEditor />
      <PrinterSettings />
    </section>
  )
}
