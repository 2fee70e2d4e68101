import { useCallback, useEffect, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { CARRIERS, CARRIER_NAMES, type CarrierId } from '@shared/domain'
import type { AccountInfo } from '@shared/contract/accounts'
import { useApp } from '../../context'
import { useAction } from '../../lib/useAction'
import { useErrorText } from '../../lib/errors'

/** Seed 000's Express Relais settings, beyond URL and credentials. */
const ER_FIELDS = [
  'allowedMobilePrefixes',
  'mobilePrefix',
  'pickupCity',
  'pickupAddress',
  'pickupContact',
  'pickupPhone',
  'pickupEmail'
] as const
/** Every account: the polling cadence (seed 000's defaults when empty). */
const CADENCE_FIELDS = ['maxCheckDays', 'returnWindowDays', 'tiers'] as const

const DEFAULT_URLS: Partial<Record<CarrierId, string>> = {
  'express-relais': 'https://api-aio-prod.relaisexpress.ma',
  sendcloud: 'https://panel.sendcloud.sc',
  shiprocket: 'https://apiv2.shiprocket.in/v1/external',
  clickpost: 'https://api.clickpost.in',
  shipway: 'https://app.shipway.com',
  swisspost: 'https://dcapi.apis.post.ch'
}

/** Swiss Post's hosts: empty means the documented default, shown as the placeholder (carriers/swisspost/hosts.ts). */
const SP_FIELDS: Array<[string, string]> = [
  ['tokenUrl', 'https://api.post.ch/OAuth/token'],
  ['barcodeUrl', 'https://dcapi.apis.post.ch/barcode/v1'],
  ['placesUrl', 'https://places.post.ch/StandortSuche/StaoCacheServiceV2/api/v1'],
  ['userIdUrl', 'https://wedec.post.ch/api/pickpost/v1'],
  ['name2PickPost', 'PickPost'],
  ['name2MyPost24', 'My Post 24']
]

type Draft = { carrier: CarrierId; alias: string; baseUrl: string; enabled: boolean; options: Record<string, string> }
const emptyDraft = (carrier: CarrierId = 'ecotrack'): Draft => ({
  carrier,
  alias: 'default',
  baseUrl: DEFAULT_URLS[carrier] ?? '',
  enabled: true,
  options: {}
})

/**
 * Carrier accounts, one section: where, under which alias, with which settings, and (children)
 * their credentials. `version` moves when something else changed them (credentials saved).
 */
export function AccountsEditor({ version = 0, children }: { version?: number; children?: ReactNode }) {
  const { t } = useTranslation()
  const errText = useErrorText()
  const { api } = useApp()
  const [accounts, setAccounts] = useState<AccountInfo[]>([])
  const [draft, setDraft] = useState<Draft>(emptyDraft())
  const [tick, setTick] = useState(0)
  /** The account whose secrets were dropped by the last save (its host changed): asked again. */
  const [askedAgain, setAskedAgain] = useState<string | null>(null)
  useEffect(() => void api.accounts.list().then((r) => r.ok && setAccounts(r.value)), [api, tick, version])

  const save = useAction(
    useCallback(async () => {
      const options: Record<string, string | number | boolean> = {}
      for (const [k, v] of Object.entries(draft.options)) {
        if (v.trim() === '') continue
        options[k] = k === 'maxCheckDays' || k === 'returnWindowDays' ? Number(v) : v.trim()
      }
      if (draft.carrier === 'express-relais') options.enabled = draft.enabled
      const r = await api.accounts.save({
        carrier: draft.carrier,
        alias: draft.alias.trim(),
        baseUrl: draft.baseUrl.trim(),
        enabled: draft.enabled,
        options
      })
      if (r.ok) {
        const before = accounts.find((a) => a.carrier === r.value.carrier && a.alias === r.value.alias)
        setAskedAgain(before?.hasCredentials && !r.value.hasCredentials ? r.value.alias : null)
        setTick((n) => n + 1)
      }
      return r
    }, [api, draft, accounts])
  )

  const field = (name: string, label: string, ltr = true, placeholder?: string) => (
    <label className="field" key={name}>
      <span>{label}</span>
      <input
        dir={ltr ? 'ltr' : 'auto'}
        value={draft.options[name] ?? ''}
        placeholder={placeholder}
        onChange={(e) => setDraft({ ...draft, options: { ...draft.options, [name]: e.target.value } })}
        data-testid={`account-${name}`}
      />
    </label>
  )

  return (
    <section className="card" aria-labelledby="accounts-title" data-testid="accounts-editor">
      <h3 id="accounts-title">{t('accounts.title')}</h3>
      <ul>
        {accounts.map((a) => (
          <li key={`${a.carrier}/${a.alias}`}>
            <button
              type="button"
              className="link"
              onClick={() =>
                setDraft({
                  carrier: a.carrier,
                  alias: a.alias,
                  baseUrl: a.baseUrl,
                  enabled: a.enabled,
                  options: Object.fromEntries(Object.entries(a.options).map(([k, v]) => [k, v === null ? '' : String(v)]))
                })
              }
              disabled={a.demo}
            >
              {CARRIER_NAMES[a.carrier]} · <bdi dir="ltr">{a.alias}</bdi>
            </button>{' '}
            <span className="muted">
              {a.demo ? t('accounts.demo') : a.enabled ? t('accounts.enabled') : t('accounts.disabled')} ·{' '}
              {a.hasCredentials ? t('settings.configured') : t('accounts.noCredentials')}
              {!a.supported && ` · ${t('accounts.unsupported')}`}
            </span>
            {!a.demo && (
              <button
                type="button"
                className="link"
                onClick={() => void api.accounts.remove({ carrier: a.carrier, alias: a.alias }).then(() => setTick((n) => n + 1))}
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
            <select value={draft.carrier} onChange={(e) => setDraft(emptyDraft(e.target.value as CarrierId))} data-testid="account-carrier">
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
              onChange={(e) => setDraft({ ...draft, baseUrl: e.target.value })}
              data-testid="account-url"
            />
          </label>
          <label className="field">
            <span>{t('accounts.enabled')}</span>
            <input type="checkbox" checked={draft.enabled} onChange={(e) => setDraft({ ...draft, enabled: e.target.checked })} />
          </label>
        </div>
        {draft.carrier === 'express-relais' && (
          <fieldset className="filters">
            <legend>{t('accounts.erSettings')}</legend>
            {ER_FIELDS.map((f) => field(f, t(`accounts.er.${f}`), f !== 'pickupCity' && f !== 'pickupAddress' && f !== 'pickupContact'))}
          </fieldset>
        )}
        {draft.carrier === 'swisspost' && (
          <fieldset className="filters" data-testid="account-swisspost">
            <legend>{t('accounts.spSettings')}</legend>
            {SP_FIELDS.map(([f, def]) => field(f, t(`accounts.sp.${f}`), true, def))}
          </fieldset>
        )}
        <fieldset className="filters">
          <legend>{t('accounts.cadence')}</legend>
          {CADENCE_FIELDS.map((f) => field(f, t(`accounts.${f}`)))}
        </fieldset>
        <p className="muted">{t('accounts.cadenceHelp')}</p>
        <button type="submit" className="primary" disabled={save.state.phase === 'busy'} data-testid="account-save">
          {t('settings.save')}
        </button>{' '}
        <span role="status" data-testid="account-outcome">
          {save.state.phase === 'done' && <span className="tone-ok">{t('settings.saved')}</span>}
          {save.state.phase === 'done' && askedAgain && (
            <span className="tone-warn" role="status" data-testid="account-credentials-again">
              {t('accounts.credentialsAskedAgain', { alias: askedAgain })}
            </span>
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
