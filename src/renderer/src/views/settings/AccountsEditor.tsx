import { useCallback, useEffect, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { CARRIERS, CARRIER_NAMES, type CarrierId } from '@shared/domain'
import type { AccountInfo, ConnectionCheck } from '@shared/contract/accounts'
import type { CredentialsStatus } from '@shared/contract/actions'
import type { AppError, Result } from '@shared/result'
import { useApp } from '../../context'
import { useAction } from '../../lib/useAction'
import { useErrorText } from '../../lib/errors'
import {
  CADENCE_FIELDS,
  DEFAULT_URLS,
  NUMERIC_OPTIONS,
  OPTION_FIELDS,
  SECRET_FIELDS,
  URL_PLACEHOLDER,
  type OptionField
} from './carrierFields'

type Draft = { carrier: CarrierId; alias: string; baseUrl: string; enabled: boolean; options: Record<string, string> }
const emptyDraft = (carrier: CarrierId = 'ecotrack'): Draft => ({
  carrier,
  alias: 'default',
  baseUrl: DEFAULT_URLS[carrier] ?? '',
  enabled: true,
  options: {}
})

/** What one save did: the account is saved; its secrets maybe; then the connection test's verdict. */
interface Saved {
  account: AccountInfo
  check: ConnectionCheck | null
  /** The account's host changed and no new secrets were typed: they were dropped, asked again. */
  askedAgain: boolean
}

/** The connection verdict in words: "connected", or why not (the carrier's refusal, worded). */
function ConnectionLine({ check, carrier }: { check: ConnectionCheck | null; carrier: CarrierId }) {
  const { t } = useTranslation()
  const errText = useErrorText()
  if (!check) return <span className="muted">{t('accounts.connection.untested')}</span>
  const tone = check.state === 'connected' ? 'tone-ok' : check.state === 'refused' ? 'tone-error' : 'tone-warn'
  return (
    <span className={tone} data-testid="account-connection" data-state={check.state}>
      {t(`accounts.connection.${check.state}`, { carrier: CARRIER_NAMES[carrier] })}
      {check.error && check.state !== 'no_credentials' && ` ${errText({ ...check.error, carrier })}`}
    </span>
  )
}

/**
 * Carrier accounts, one section: where, under which alias, with which settings and credentials,
 * each saved and then tested with a real call (accounts.test). An offline desk saves all the
 * same; the list says what the last test found.
 */
export function AccountsEditor({ children }: { children?: ReactNode }) {
  const { t } = useTranslation()
  const errText = useErrorText()
  const { api } = useApp()
  const [accounts, setAccounts] = useState<AccountInfo[]>([])
  const [vault, setVault] = useState<CredentialsStatus | null>(null)
  const [draft, setDraft] = useState<Draft>(emptyDraft())
  const [secrets, setSecrets] = useState<Record<string, string>>({})
  const [tick, setTick] = useState(0)
  const reload = useCallback(() => setTick((n) => n + 1), [])
  useEffect(() => void api.accounts.list().then((r) => r.ok && setAccounts(r.value)), [api, tick])
  useEffect(() => void api.credentials.status().then((r) => r.ok && setVault(r.value)), [api, tick])

  const save = useAction(
    useCallback(async (): Promise<Result<Saved>> => {
      const options: Record<string, string | number | boolean> = {}
      for (const [k, v] of Object.entries(draft.options)) {
        if (v.trim() === '') continue
        options[k] = NUMERIC_OPTIONS.has(k) ? Number(v) : v.trim()
      }
      if (draft.carrier === 'express-relais') options.enabled = draft.enabled
      const alias = draft.alias.trim()
      const r = await api.accounts.save({ carrier: draft.carrier, alias, baseUrl: draft.baseUrl.trim(), enabled: draft.enabled, options })
      if (!r.ok) return r
      const typed = Object.fromEntries(Object.entries(secrets).filter(([, v]) => v.trim()))
      if (Object.keys(typed).length > 0) {
        const c = await api.credentials.set({ carrier: draft.carrier, account: alias, secrets: typed })
        if (!c.ok) return c
        setSecrets({})
      }
      const before = accounts.find((a) => a.carrier === draft.carrier && a.alias === alias)
      const askedAgain = !!before?.hasCredentials && !r.value.hasCredentials && Object.keys(typed).length === 0
      // Saved either way; the test says whether the carrier takes it (an offline desk: unreachable).
      const check = await api.accounts.test({ carrier: draft.carrier, alias })
      reload()
      return { ok: true, value: { account: r.value, check: check.ok ? check.value : null, askedAgain } }
    }, [api, draft, secrets, accounts, reload])
  )
  const [retest, setRetest] = useState<{ key: string; error: AppError | null } | null>(null)
  const test = (a: AccountInfo) =>
    void api.accounts.test({ carrier: a.carrier, alias: a.alias }).then((r) => {
      setRetest({ key: `${a.carrier}/${a.alias}`, error: r.ok ? null : r.error })
      reload()
    })

  const option = (f: OptionField, group: string) => (
    <label className="field" key={f.name}>
      <span>{t(`${group}.${f.name}`)}</span>
      <input
        dir={f.ltr ? 'ltr' : 'auto'}
        inputMode={f.numeric ? 'numeric' : undefined}
        value={draft.options[f.name] ?? ''}
        placeholder={f.placeholder}
        onChange={(e) => setDraft({ ...draft, options: { ...draft.options, [f.name]: e.target.value } })}
        data-testid={`account-${f.name}`}
      />
      {f.placeholder && <small className="muted">{t('accounts.defaultIs', { value: f.placeholder })}</small>}
    </label>
  )
  const hintsOf = (a: AccountInfo) => vault?.accounts.find((v) => v.carrier === a.carrier && v.account === a.alias)?.hints ?? {}
  const carrierOptions = OPTION_FIELDS[draft.carrier]
  const outcome = save.state.phase === 'done' ? save.state.value : null

  return (
    <section className="card" aria-labelledby="accounts-title" data-testid="accounts-editor">
      <h3 id="accounts-title">{t('accounts.title')}</h3>
      {vault?.problem && (
        <div className="alert alert-warning" role="alert">
          <p>{t('accounts.vaultProblem')}</p>
          <button
            type="button"
            onClick={() => void api.credentials.acceptPlainTextRisk({ accept: true }).then((r) => r.ok && setVault(r.value))}
          >
            {t('settings.acceptRisk')}
          </button>
        </div>
      )}
      <ul className="account-list">
        {accounts.map((a) => (
          <li key={`${a.carrier}/${a.alias}`} data-testid={`account-row-${a.carrier}-${a.alias}`}>
            <button
              type="button"
              className="link"
              onClick={() => {
                setDraft({
                  carrier: a.carrier,
                  alias: a.alias,
                  baseUrl: a.baseUrl,
                  enabled: a.enabled,
                  options: Object.fromEntries(
                    Object.entries(a.options)
                      .filter(([k]) => !(a.carrier === 'express-relais' && k === 'enabled'))
                      .map(([k, v]) => [k, v === null ? '' : String(v)])
                  )
                })
                setSecrets({})
                save.reset()
              }}
              disabled={a.demo}
            >
              {CARRIER_NAMES[a.carrier]} · <bdi dir="ltr">{a.alias}</bdi>
            </button>{' '}
            <span className="muted">
              {a.demo ? t('accounts.demo') : a.enabled ? t('accounts.enabled') : t('accounts.disabled')} ·{' '}
              {a.hasCredentials ? t('settings.configured') : t('accounts.noCredentials')}
              {!a.supported && ` · ${t('accounts.unsupported')}`}
            </span>{' '}
            {Object.entries(hintsOf(a)).map(([k, v]) => (
              <span key={k} className="muted">
                {t(`accounts.secret.${k}`, { defaultValue: t('accounts.secret.other') })} <bdi dir="ltr">{v}</bdi>{' '}
              </span>
            ))}
            {a.hasCredentials && <ConnectionLine check={a.connection} carrier={a.carrier} />}{' '}
            {a.hasCredentials && a.supported && (
              <button type="button" className="link" onClick={() => test(a)} data-testid="account-test">
                {t('accounts.test')}
              </button>
            )}
            {retest?.key === `${a.carrier}/${a.alias}` && retest.error && <span className="tone-error"> {errText(retest.error)}</span>}{' '}
            {!a.demo && (
              <button
                type="button"
                className="link"
                onClick={() =>
                  void Promise.all([
                    api.accounts.remove({ carrier: a.carrier, alias: a.alias }),
                    api.credentials.clear({ carrier: a.carrier, account: a.alias })
                  ]).then(reload)
                }
              >
                {t('settings.clear')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          void save.trigger()
        }}
      >
        <div className="filters">
          <label className="field">
            <span>{t('parcels.carrier')}</span>
            <select
              value={draft.carrier}
              onChange={(e) => (setDraft(emptyDraft(e.target.value as CarrierId)), setSecrets({}))}
              data-testid="account-carrier"
            >
              {CARRIERS.map((c) => (
                <option key={c} value={c}>
                  {CARRIER_NAMES[c]}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('parcels.account')}</span>
            <input
              dir="ltr"
              value={draft.alias}
              onChange={(e) => setDraft({ ...draft, alias: e.target.value })}
              data-testid="account-alias"
            />
          </label>
          <label className="field">
            <span>{t('accounts.url')}</span>
            <input
              dir="ltr"
              value={draft.baseUrl}
              placeholder={URL_PLACEHOLDER[draft.carrier]}
              onChange={(e) => setDraft({ ...draft, baseUrl: e.target.value })}
              data-testid="account-url"
            />
            {DEFAULT_URLS[draft.carrier] && (
              <small className="muted">{t('accounts.defaultIs', { value: DEFAULT_URLS[draft.carrier] })}</small>
            )}
          </label>
          <label className="field">
            <span>{t('accounts.enabled')}</span>
            <input type="checkbox" checked={draft.enabled} onChange={(e) => setDraft({ ...draft, enabled: e.target.checked })} />
          </label>
        </div>
        <fieldset className="filters" data-testid="account-secrets">
          <legend>{t('accounts.credentials', { carrier: CARRIER_NAMES[draft.carrier] })}</legend>
          {SECRET_FIELDS[draft.carrier].map((f) => (
            <label className="field" key={f.name}>
              <span>{t(`accounts.secret.${f.name}`)}</span>
              <input
                type={f.identity ? 'text' : 'password'}
                autoComplete="off"
                dir="ltr"
                value={secrets[f.name] ?? ''}
                onChange={(e) => setSecrets({ ...secrets, [f.name]: e.target.value })}
                data-testid={`secret-${f.name}`}
              />
            </label>
          ))}
          <p className="muted">{t('accounts.secretsHelp')}</p>
        </fieldset>
        {carrierOptions && (
          <fieldset className="filters" data-testid={`account-options-${draft.carrier}`}>
            <legend>{t(`accounts.optionsOf.${draft.carrier}`)}</legend>
            {carrierOptions.map((f) => option(f, 'accounts.opt'))}
          </fieldset>
        )}
        <fieldset className="filters">
          <legend>{t('accounts.cadence')}</legend>
          {CADENCE_FIELDS.map((f) => option(f, 'accounts'))}
        </fieldset>
        <p className="muted">{t('accounts.cadenceHelp')}</p>
        <button type="submit" className="primary" disabled={save.state.phase === 'busy'} data-testid="account-save">
          {save.state.phase === 'busy' ? t('accounts.savingTesting') : t('settings.save')}
        </button>{' '}
        <span role="status" data-testid="account-outcome">
          {outcome && (
            <>
              <span className="tone-ok">{t('accounts.savedAs', { alias: outcome.account.alias })}</span>{' '}
              {outcome.askedAgain ? (
                <span className="tone-warn" data-testid="account-credentials-again">
                  {t('accounts.credentialsAskedAgain', { alias: outcome.account.alias })}
                </span>
              ) : (
                <ConnectionLine check={outcome.check} carrier={outcome.account.carrier} />
              )}
            </>
          )}
          {save.state.phase === 'failed' && (
            <span className="tone-error">
              {save.state.error.code === 'forbidden' && save.state.error.field
                ? t('accounts.httpsRequired', { field: save.state.error.field })
                : errText(save.state.error)}
            </span>
          )}
        </span>
      </form>
      {children}
    </section>
  )
}
