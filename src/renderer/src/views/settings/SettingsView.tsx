import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { PrinterInfo } from '@shared/contract/labels'
import { useApp } from '../../context'
import { useAction } from '../../lib/useAction'
import { AccountsEditor } from './AccountsEditor'
import { CounterSettings } from './CounterSettings'
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

function Printers() {
  const { t } = useTranslation()
  const errText = useErrorText()
  const { api } = useApp()
  const [printers, setPrinters] = useState<PrinterInfo[]>([])
  const [message, setMessage] = useState<string | null>(null)
  useEffect(() => void api.printers.list().then((r) => r.ok && setPrinters(r.value)), [api])
  return (
    <section className="card" aria-labelledby="printers-title">
      <h3 id="printers-title">{t('settings.printers')}</h3>
      {printers.length === 0 && <p className="muted">{t('label.noPrinter')}</p>}
      <ul>
        {printers.map((p) => (
          <li key={p.id}>
            <strong>{p.name}</strong>{' '}
            <span className="muted">
              {[p.driver, p.format.toUpperCase(), p.size, p.dpi ? `${p.dpi} dpi` : ''].filter(Boolean).join(' · ')}
            </span>{' '}
            <button
              type="button"
              className="link"
              onClick={() =>
                void api.printers
                  .testPrint({ printerId: p.id })
                  .then((r) => setMessage(r.ok ? t('settings.testSent', { printer: p.name }) : errText(r.error)))
              }
            >
              {t('settings.testPrint')}
            </button>
          </li>
        ))}
      </ul>
      <p role="status">{message}</p>
    </section>
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
      <Printers />
    </section>
  )
}
