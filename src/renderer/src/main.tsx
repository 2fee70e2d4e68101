import i18next from 'i18next'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { resolveApi } from './api'
import { AppContext } from './context'
import { LANGUAGES, initI18n, pickLanguage } from './i18n'
import { createLookupStore, type RecentLookup } from './stores/lookup'
import { createStatusStore } from './stores/status'
import { createUiStore } from './stores/ui'
import { App } from './views/App'
import { StartupProblemView } from './views/StartupProblem'
import { bootHeadOffice } from './views/headoffice/boot'
import { problemFromHash } from '@shared/startup'
import './styles.css'

const RECENT_KEY = 'guichet.recent'

async function boot(): Promise<void> {
  const root = createRoot(document.getElementById('root')!)
  // The desktop shell could not open the store: say why, with no backend to ask.
  const startup = problemFromHash(location.hash)
  if (startup) {
    const saved = LANGUAGES.find((l) => l === startup.lang) ?? null
    await initI18n(pickLanguage(saved, navigator.languages))
    root.render(<StartupProblemView problem={startup.problem} />)
    return
  }
  const api = resolveApi()
  // No desk API here: a hub may be serving this page for head office.
  if (!api && (await bootHeadOffice(root))) return
  if (!api) {
    await initI18n(pickLanguage(null, navigator.languages))
    root.render(<p className="alert alert-error">{i18next.t('error.noApi')}</p>)
    return
  }
  const [info, settings] = await Promise.all([api.app.info(), api.settings.get()])
  if (!info.ok || !settings.ok) {
    root.render(<p className="alert alert-error">{!info.ok ? info.error.message : !settings.ok ? settings.error.message : ''}</p>)
    return
  }
  await initI18n(pickLanguage(settings.value.language, navigator.languages))

  let recent: RecentLookup[] = []
  try {
    recent = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]') as RecentLookup[]
  } catch {
    recent = []
  }
  const lookup = createLookupStore(api, Array.isArray(recent) ? recent.slice(0, 8) : [])
  lookup.subscribe((s, prev) => {
    if (s.recent !== prev.recent) localStorage.setItem(RECENT_KEY, JSON.stringify(s.recent))
  })

  root.render(
    <StrictMode>
      <AppContext.Provider
        value={{ api, info: info.value, settings: settings.value, lookup, status: createStatusStore(api), ui: createUiStore() }}
      >
        <App />
      </AppContext.Provider>
    </StrictMode>
  )
}

void boot()
