import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { CARRIERS, CARRIER_NAMES, type CarrierId } from '@shared/domain'
import type { CredentialsStatus } from '@shared/contract/actions'
import type { PrinterInfo } from '@shared/contract/labels'
import { useApp } from '../../context'
import { useAction } from '../../lib/useAction'
import { AccountsEditor } from './AccountsEditor'
import { CounterSettings } from './CounterSettings'
import { SenderSettings } from './SenderSettings'
import { fieldLabel, useErrorText } from '../../lib/errors'

/** The fields each carrier's account needs. Secrets go to main and are never shown back. */
const SECRET_FIELDS: Record<CarrierId, string[]> = {
  ecotrack: ['api_token'],
  'express-relais': ['username', 'password'],
  shiprocket: ['email', 'password', 'webhook_token'],
  clickpost: ['username', 'key', 'webhook_key'],
  shipway: ['username', 'password', 'webhook_secret'],
  sendcloud: ['public_key', 'secret_key', 'webhook_secret'],
  swisspost: ['client_id', 'client_secret']
}

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

/** An account's secrets, inside the accounts section; a save reloads the account list above it. */
function Credentials({ onSaved }: { onSaved: () => void }) {
  const { t } = useTranslation()
  const errText = useErrorText()
  const { api } = useApp()
  const [status, setStatus] = useState<CredentialsStatus | null>(null)
  const [carrier, setCarrier] = useState<CarrierId>('ecotrack')
  const [account, setAccount] = useState('default')
  const [values, setValues] = useState<Record<string, string>>({})
  const load = useCallback(() => void api.credentials.status().then((r) => r.ok && setStatus(r.value)), [api])
  useEffect(load, [load])
  const save = useAction(
    useCallback(async () => {
      const secrets = Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim()))
      const r = await api.credentials.set({ carrier, account, secrets })
      if (r.ok) {
        setValues({})
        load()
        onSaved()
      }
      return r
    }, [api, carrier, account, values, load, onSaved])
  )
  return (
    <div className="credentials" aria-labelledby="cred-title">
      <h4 id="cred-title">{t('settings.credentialsFor')}</h4>
      {status?.problem && (
        <div className="alert alert-warning" role="alert">
          <p>{status.problem}</p>
          <button
            type="button"
            onClick={() => void api.credentials.acceptPlainTextRisk({ accept: true }).then((r) => r.ok && setStatus(r.value))}
          >
            {t('settings.acceptRisk')}
          </button>
        </div>
      )}
      <table className="kv">
        <tbody>
          {(status?.accounts ?? []).map((a) => (
            <tr key={`${a.carrier}/${a.account}`}>
              <th scope="row">
                {CARRIER_NAMES[a.carrier]} · <bdi dir="ltr">{a.account}</bdi>
              </th>
              <td>
                {a.configured ? t('settings.configured') : t('settings.notConfigured')}{' '}
                <span className="muted code" dir="ltr">
                  {Object.entries(a.hints)
                    .map(([k, v]) => `${k} ${v}`)
                    .join(' · ')}
                </span>{' '}
                <button
                  type="button"
                  className="link"
                  onClick={() => void api.credentials.clear({ carrier: a.carrier, account: a.account }).then(load)}
                >
                  {t('settings.clear')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void save.trigger()
        }}
      >
        <label className="field">
          <span>{t('parcels.carrier')}</span>
          <select value={carrier} onChange={(e) => (setCarrier(e.target.value as CarrierId), setValues({}))}>
            {CARRIERS.map((c) => (
              <option key={c} value={c}>
                {CARRIER_NAMES[c]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('parcels.account')}</span>
          <input value={account} onChange={(e) => setAccount(e.target.value)} dir="ltr" />
        </label>
        {SECRET_FIELDS[carrier].map((f) => (
          <label className="field" key={f}>
            <span>{fieldLabel(t, f) ?? f}</span>
            <input
              type={/pass|secret|key|token/.test(f) ? 'password' : 'text'}
              autoComplete="off"
              dir="ltr"
              value={values[f] ?? ''}
              onChange={(e) => setValues({ ...values, [f]: e.target.value })}
            />
          </label>
        ))}
        <button type="submit" className="primary" disabled={save.state.phase === 'busy'}>
          {t('settings.saveCredentials')}
        </button>
        <span role="status">
          {save.state.phase === 'done' && <span className="tone-ok">{t('settings.savedUnchecked')}</span>}
          {save.state.phase === 'failed' && <span className="tone-error">{errText(save.state.error)}</span>}
        </span>
      </form>
    </div>
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
  // Saving credentials changes what the account list says ("identifiants manquants"): reload it.
  const [accountsVersion, setAccountsVersion] = useState(0)
  const bump = useCallback(() => setAccountsVersion((n) => n + 1), [])
  return (
    <section aria-labelledby="settings-title" className="settings" data-testid="settings-view">
      <h2 id="settings-title">{t('settings.title')}</h2>
      <PointIdentity />
      <CounterSettings />
      <SenderSettings />
      <AccountsEditor version={accountsVersion}>
        <Credentials onSaved={bump} />
      </AccountsEditor>
      <Printers />
    </section>
  )
}
