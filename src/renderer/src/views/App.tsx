import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import type { Language } from '@shared/app'
import { useApp, useLookup } from '../context'
import { LANGUAGES, applyDirection } from '../i18n'
import { formatRelative } from '../lib/format'
import { useNow } from '../lib/useNow'
import type { StatusState } from '../stores/status'
import { SECTIONS } from '../stores/ui'
import { screenShortcut } from '../lib/keys'
import { OutboxView } from './outbox/OutboxView'
import { ParcelsView } from './parcels/ParcelsView'
import { PointsView } from './points/PointsView'
import { CounterView } from './counter/CounterView'
import { ResultsList } from './ResultsList'
import { SearchBox } from './SearchBox'
import { SettingsView } from './settings/SettingsView'
import { About } from './About'
import { BackendRestarted } from './BackendRestarted'
import { StoreSetAside } from './StoreSetAside'
import { WarehouseView } from './warehouse/WarehouseView'
import { ShipmentView } from './shipment/ShipmentView'
import { useErrorText } from '../lib/errors'

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

/** Offline: reads keep working from the local store; writes wait in the outbox. */
function OfflineBanner() {
  const { t, i18n } = useTranslation()
  const { status } = useApp()
  const connectivity = useStore(status, (s) => s.connectivity)
  const now = useNow(30_000)
  if (!connectivity || connectivity.online) return null
  return (
    <p className="alert alert-warning banner" role="alert" data-testid="offline-banner">
      {t('offline.banner', {
        when: connectivity.lastGoodSyncAt ? formatRelative(connectivity.lastGoodSyncAt, now, i18n.language) : t('offline.never')
      })}
    </p>
  )
}

type PollerAccounts = NonNullable<StatusState['poller']>['accounts']

/**
 * One line for every carrier account, whatever their number: how many, how many in trouble; the
 * per-account budget and last error show on hover or keyboard focus (10 accounts fit 1366 px).
 */
function AccountsSummary({ accounts }: { accounts: PollerAccounts }) {
  const { t } = useTranslation()
  const failing = accounts.filter((a) => a.lastError).length
  return (
    <span
      className={failing > 0 ? 'pill status-accounts tone-warn' : 'pill status-accounts'}
      tabIndex={0}
      data-testid="status-accounts"
      aria-describedby="status-accounts-detail"
    >
      {t('statusbar.accounts', { count: accounts.length })}
      {failing > 0 ? ` · ${t('statusbar.accountsFailing', { count: failing })}` : ''}
      <span role="tooltip" id="status-accounts-detail" className="status-popover">
        {accounts.map((a) => (
          <span key={`${a.carrier}/${a.account}`} className={a.lastError ? 'tone-warn' : undefined}>
            <bdi dir="ltr">
              {a.carrier}/{a.account}
            </bdi>
            {': '}
            {a.budgetLeft === null ? '∞' : t('statusbar.budget', { count: a.budgetLeft })}
            {a.lastError ? ` · ${t('statusbar.accountError')}` : ''}
          </span>
        ))}
      </span>
    </span>
  )
}

function StatusBar() {
  const { t, i18n } = useTranslation()
  const { info, status } = useApp()
  const poller = useStore(status, (s) => s.poller)
  const connectivity = useStore(status, (s) => s.connectivity)
  const outbox = useStore(status, (s) => s.outbox)
  const now = useNow(30_000)
  const pollerState = poller?.state ?? 'stopped'
  return (
    <footer className="statusbar" role="contentinfo" data-testid="statusbar">
      <span data-testid="connectivity" className={connectivity && !connectivity.online ? 'tone-warn' : undefined}>
        {connectivity?.online === false ? t('statusbar.offline') : t('statusbar.online')}
      </span>
      <span
        data-testid="poller-state"
        title={
          poller?.nextRunAt
            ? Date.parse(poller.nextRunAt) <= now
              ? t('statusbar.nextRunDue')
              : t('statusbar.nextRun', { when: formatRelative(poller.nextRunAt, now, i18n.language) })
            : undefined
        }
      >
        {t(`statusbar.poller.${pollerState}`)}
        {poller && poller.due > 0 ? ` · ${t('statusbar.due', { count: poller.due })}` : ''}
      </span>
      {poller && poller.accounts.length > 0 && <AccountsSummary accounts={poller.accounts} />}
      {outbox && (outbox.pending > 0 || outbox.failed > 0) && (
        <span className="pill" data-testid="outbox-count">
          {t('statusbar.outbox', { count: outbox.pending })}
          {outbox.failed > 0 ? ` · ${t('statusbar.outboxFailed', { count: outbox.failed })}` : ''}
        </span>
      )}
      <span className="spacer" />
      {info.demo && <span className="pill">{t('statusbar.demo')}</span>}
      {info.mode === 'browser' && <span className="pill">{t('statusbar.browser')}</span>}
      <span>Guichet {info.version}</span>
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

function Nav() {
  const { t } = useTranslation()
  const { ui, status } = useApp()
  const section = useStore(ui, (s) => s.section)
  const outbox = useStore(status, (s) => s.outbox)
  return (
    <nav className="nav" aria-label={t('nav.label')}>
      {SECTIONS.map((s, i) => (
        <button
          key={s}
          type="button"
          data-testid={`nav-${s}`}
          aria-current={section === s ? 'page' : undefined}
          aria-keyshortcuts={`Alt+${i + 1}`}
          onClick={() => ui.getState().go(s)}
        >
          {t(`nav.${s}`)}
          {s === 'outbox' && outbox && outbox.pending + outbox.failed > 0 ? (
            <span className="count">{outbox.pending + outbox.failed}</span>
          ) : null}
        </button>
      ))}
    </nav>
  )
}

export function App() {
  const { t } = useTranslation()
  const errText = useErrorText()
  const { api, lookup, status, ui, info } = useApp()
  const view = useLookup((s) => s.view)
  const error = useLookup((s) => s.error)
  const section = useStore(ui, (s) => s.section)

  // A status that changed in main refreshes the open shipment.
  useEffect(() => api.on('shipment.changed', () => void lookup.getState().reload()), [api, lookup])
  useEffect(() => status.getState().start(), [status])
  // Whatever the screen, every lookup that comes back (a scan, a result opened, an error) shows
  // on the Find screen: watching the settled count, not the view, so the second scan from
  // another screen moves there too (its view was already 'shipment').
  useEffect(
    () =>
      lookup.subscribe((s, prev) => {
        if (s.settled !== prev.settled && (s.view !== 'idle' || s.error)) ui.getState().go('find')
      }),
    [lookup, ui]
  )
  // Alt+1..8 switch screens without the mouse, by physical key on every layout.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const n = screenShortcut(e, SECTIONS.length)
      const target = n ? SECTIONS[n - 1] : undefined
      if (target) {
        e.preventDefault()
        ui.getState().go(target)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [ui])

  const open = (id: number) => void lookup.getState().open(id)
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
      <Nav />
      <OfflineBanner />
      <BackendRestarted api={api} />
      <main className="content" id="main">
        <StoreSetAside api={api} initial={info.storeWarning} />
        {error && section === 'find' && (
          <p className="alert alert-error" role="alert" data-testid="error">
            {errText(error)}
          </p>
        )}
        {section === 'find' && view === 'idle' && <Welcome />}
        {section === 'find' && view === 'results' && <ResultsList />}
        {section === 'find' && view === 'shipment' && <ShipmentView />}
        {section === 'parcels' && <ParcelsView onOpen={open} />}
        {section === 'outbox' && <OutboxView onOpen={open} />}
        {section === 'settings' && <SettingsView />}
        {section === 'warehouse' && <WarehouseView onOpen={open} />}
        {section === 'about' && <About api={api} version={info.version} />}
        {section === 'points' && <PointsView />}
        {section === 'counter' && <CounterView />}
      </main>
      <StatusBar />
    </div>
  )
}
