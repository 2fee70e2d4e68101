import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import type { StoreApi } from 'zustand/vanilla'
import type { Language } from '@shared/app'
import type { OfficeInfo } from '@shared/hub/office'
import { LANGUAGES, applyDirection } from '../../i18n'
import { OFFICE_SECTIONS, type HeadOfficeState } from '../../stores/headoffice'
import { LoginView } from './LoginView'
import { AccountsTable, DesksTable, PointsTable, WritesTable } from './NetworkTables'
import { PointStockView } from './PointStockView'
import { useOfficeError } from './words'

/** Head office keeps its language in this browser: the hub has no per-desk settings to hold it. */
export const OFFICE_LANGUAGE_KEY = 'guichet.office.language'
const REFRESH_MS = 30_000

function LanguagePicker() {
  const { t, i18n } = useTranslation()
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
          localStorage.setItem(OFFICE_LANGUAGE_KEY, lang)
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

/** The head-office app the hub serves: a login, then the network's tables. */
export function HeadOfficeApp({ store, info }: { store: StoreApi<HeadOfficeState>; info: OfficeInfo }) {
  const { t } = useTranslation()
  const s = useStore(store)
  const word = useOfficeError()
  const signedIn = s.user !== null

  // The tables follow the network without a click; a refusal (signed out) stops at the login screen.
  useEffect(() => {
    if (!signedIn) return
    void store.getState().refresh()
    const timer = setInterval(() => void store.getState().refresh(), REFRESH_MS)
    return () => clearInterval(timer)
  }, [store, signedIn])

  return (
    <div className="app" data-testid="head-office">
      <header className="topbar">
        <h1 className="brand">
          {t('app.title')} · {t('office.title')}
        </h1>
        {s.user && (
          <div className="actions office-account">
            <span className="muted" data-testid="office-user">
              {t('office.signedInAs', { name: s.user.name, role: t(`office.role.${s.user.role}`) })}
            </span>
            <button type="button" data-testid="office-logout" onClick={() => void store.getState().logout()}>
              {t('office.logout')}
            </button>
          </div>
        )}
        <LanguagePicker />
      </header>
      {signedIn && (
        <nav className="nav" aria-label={t('nav.label')}>
          {OFFICE_SECTIONS.map((sec) => (
            <button
              key={sec}
              type="button"
              data-testid={`office-nav-${sec}`}
              aria-current={s.section === sec ? 'page' : undefined}
              onClick={() => store.getState().go(sec)}
            >
              {t(`office.nav.${sec}`)}
            </button>
          ))}
        </nav>
      )}
      <main className="content" id="main">
        {!signedIn && <LoginView store={store} />}
        {signedIn && s.error && (
          <p className="alert alert-error" role="alert" data-testid="office-error">
            {word(s.error)}
          </p>
        )}
        {signedIn && s.section === 'points' && !s.point && <PointsTable store={store} />}
        {signedIn && s.section === 'points' && s.point && <PointStockView store={store} />}
        {signedIn && s.section === 'writes' && <WritesTable store={store} />}
        {signedIn && s.section === 'accounts' && <AccountsTable store={store} />}
        {signedIn && s.section === 'desks' && <DesksTable store={store} />}
      </main>
      <footer className="statusbar" role="contentinfo">
        <span className="pill">{t('office.hub')}</span>
        <span className="spacer" />
        <span>Guichet {info.version}</span>
      </footer>
    </div>
  )
}
