import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import type { StoreApi } from 'zustand/vanilla'
import type { HeadOfficeState } from '../../stores/headoffice'
import { useOfficeError } from './words'

/** Name and password; the hub answers with its session cookie, which this page never sees. */
export function LoginView({ store }: { store: StoreApi<HeadOfficeState> }) {
  const { t } = useTranslation()
  const word = useOfficeError()
  const busy = useStore(store, (s) => s.busy)
  const loginError = useStore(store, (s) => s.loginError)
  const [name, setName] = useState('')
  const [password, setPassword] = useState('')
  return (
    <form
      className="card"
      aria-labelledby="office-login-title"
      data-testid="office-login"
      onSubmit={(e) => {
        e.preventDefault()
        void store
          .getState()
          .login(name.trim(), password)
          .then((ok) => ok || setPassword(''))
      }}
    >
      <h2 id="office-login-title">{t('office.login.title')}</h2>
      <p className="muted">{t('office.login.intro')}</p>
      <label className="field">
        <span>{t('office.login.name')}</span>
        <input
          name="username"
          autoComplete="username"
          autoFocus
          required
          dir="auto"
          data-testid="office-login-name"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <label className="field">
        <span>{t('office.login.password')}</span>
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          data-testid="office-login-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <button type="submit" className="primary" disabled={busy || !name.trim() || !password} data-testid="office-login-submit">
        {t('office.login.submit')}
      </button>
      {loginError && (
        <p className="tone-error" role="alert" data-testid="office-login-error">
          {word(loginError)}
        </p>
      )}
    </form>
  )
}
