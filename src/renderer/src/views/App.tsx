import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Language } from '@shared/app'
import { useApp, useLookup } from '../context'
import { LANGUAGES, applyDirection } from '../i18n'
import { ResultsList } from './ResultsList'
import { SearchBox } from './SearchBox'
import { ShipmentView } from './ShipmentView'

const DEMO_NUMBERS = ['ECQFLD2611240017', 'ERMA2611240042', '996012345600004211']

function Welcome() {
  const { t } = useTranslation()
  const { api, info } = useApp()
  const [busy, setBusy] = useState(false)
  const [demo, setDemo] = useState(info.demo)
  if (info.firstRun && !demo) {
    return (
      <section className="welcome" aria-labelledby="welcome-title">
        <h2 id="welcome-title">{t('welcome.title')}</h2>
        <p>{t('welcome.body')}</p>
        <button
          type="button"
          className="primary"
          data-testid="enable-demo"
          disabled={busy}
          onClick={async () => {
            setBusy(true)
            const r = await api.demo.enable()
            setBusy(false)
            if (r.ok) setDemo(true)
          }}
        >
          {t('welcome.demo')}
        </button>
      </section>
    )
  }
  return (
    <section className="welcome">
      <p>{t('welcome.ready')}</p>
      {demo && (
        <p className="muted">
          {t('welcome.demoHint', { numbers: '' })}
          {DEMO_NUMBERS.map((n) => (
            <code key={n} dir="ltr" className="demo-number">
              {n}
            </code>
          ))}
        </p>
      )}
    </section>
  )
}

function StatusBar() {
  const { t } = useTranslation()
  const { info } = useApp()
  return (
    <footer className="statusbar" role="contentinfo">
      <span>{t('statusbar.shipments', { count: info.shipments })}</span>
      {info.demo && <span className="pill">{t('statusbar.demo')}</span>}
      {info.mode === 'browser' && <span className="pill">{t('statusbar.browser')}</span>}
      <span className="spacer" />
      <span>
        Guichet {info.version}
      </span>
    </footer>
  )
}

function LanguagePicker() {
  const { t, i18n } = useTranslation()
  const { api } = useApp()
  return (
    <label className="lang">
      <span className="visually-hidden">{t('app.language')}</span>
      <select
        data-testid="language"
        value={i18n.language}
        onChange={(e) => {
          const lang = e.target.value as Language
          void i18n.changeLanguage(lang)
          applyDirection(lang)
          void api.settings.update({ language: lang })
        }}
      >
        {LANGUAGES.map((l) => (
          <option key={l} value={l}>
            {t(`languages.${l}`)}
          </option>
        ))}
      </select>
    </label>
  )
}

export function App() {
  const { t } = useTranslation()
  const { api, lookup, info } = useApp()
  const view = useLookup((s) => s.view)
  const error = useLookup((s) => s.error)

  // A status that changed in main refreshes the open shipment.
  useEffect(() => api.on('shipment.changed', () => void lookup.getState().reload()), [api, lookup])

  return (
    <div className="app">
      <a className="skip" href="#search-input">
        {t('app.skip')}
      </a>
      <header className="topbar">
        <h1 className="brand">{t('app.title')}</h1>
        <SearchBox />
        <LanguagePicker />
      </header>
      {info.storeWarning && (
        <p className="alert alert-error" role="alert">
          {info.storeWarning}
        </p>
      )}
      <main className="content" id="main">
        {error && (
          <p className="alert alert-error" role="alert" data-testid="error">
            {t('error.generic', { message: error.message })}
          </p>
        )}
        {view === 'idle' && <Welcome />}
        {view === 'results' && <ResultsList />}
        {view === 'shipment' && <ShipmentView />}
      </main>
      <StatusBar />
    </div>
  )
}
