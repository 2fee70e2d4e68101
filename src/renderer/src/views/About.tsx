import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { GuichetApi, UpdateStatus } from '@shared/contract'
import { formatDateTime } from '../lib/format'
import { useErrorText } from '../lib/errors'

const CHANNELS = ['stable', 'beta'] as const

// Takes the API as a prop (not from context) so it mounts anywhere: a route, a dialog, a tab.
export interface AboutProps {
  /** `on` is optional: with it, the view follows updater.changed pushes without polling. */
  api: Pick<GuichetApi, 'updater'> & Partial<Pick<GuichetApi, 'on'>>
  version: string
}

/** Version, update channel, last check and what is new. Update trouble is said quietly here. */
export function About({ api, version }: AboutProps) {
  const { t, i18n } = useTranslation()
  const errText = useErrorText()
  const [status, setStatus] = useState<UpdateStatus | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    void api.updater.status().then((r) => {
      if (!live) return
      if (r.ok) setStatus(r.value)
      else setError(errText(r.error))
    })
    const off = api.on?.('updater.changed', (s) => {
      if (live) setStatus(s)
    })
    return () => {
      live = false
      off?.()
    }
  }, [api, errText])

  const run = useCallback(
    async (fn: () => Promise<{ ok: true; value: UpdateStatus } | { ok: false; error: { code: string } }>) => {
      setBusy(true)
      setError(null)
      const r = await fn()
      setBusy(false)
      if (r.ok) setStatus(r.value)
      else setError(errText(r.error))
    },
    [errText]
  )

  const restart = async () => {
    setBusy(true)
    const r = await api.updater.restartNow()
    setBusy(false)
    if (!r.ok) return setError(errText(r.error))
    // When installing, Guichet quits; otherwise show why it waits.
    const s = await api.updater.status()
    if (s.ok) setStatus(s.value)
  }

  const supported = status?.supported ?? false
  // The coming version's notes first; otherwise those of the version running now.
  const notes = status?.available?.releaseNotes
    ? { version: status.available.version, text: status.available.releaseNotes }
    : status?.installedNotes
      ? { version, text: status.installedNotes }
      : null
  const channelOptions =
    status && !CHANNELS.includes(status.channel as (typeof CHANNELS)[number]) ? [...CHANNELS, status.channel] : CHANNELS

  return (
    <section className="about" aria-labelledby="about-title" data-testid="about">
      <h2 id="about-title">{t('about.title')}</h2>
      <dl className="about-facts">
        <dt>{t('about.version')}</dt>
        <dd dir="ltr" data-testid="about-version">
          {version}
        </dd>
        <dt>
          <label htmlFor="about-channel">{t('about.channel')}</label>
        </dt>
        <dd>
          <select
            id="about-channel"
            data-testid="about-channel"
            value={status?.channel ?? 'stable'}
            disabled={!supported || busy}
            onChange={(e) => void run(() => api.updater.setChannel({ channel: e.target.value }))}
          >
            {channelOptions.map((c) => (
              <option key={c} value={c}>
                {c === 'stable' || c === 'beta' ? t(`about.channels.${c}`) : t('about.channels.site', { name: c.slice('site-'.length) })}
              </option>
            ))}
          </select>
        </dd>
        <dt>{t('about.lastCheck')}</dt>
        <dd data-testid="about-last-check">{status?.lastCheckAt ? formatDateTime(status.lastCheckAt, i18n.language) : t('about.never')}</dd>
        {status && (
          <>
            <dt>{t('about.signature')}</dt>
            <dd data-testid="about-signing">
              {!status.signing.signed ? (
                t('about.signing.notSigned')
              ) : status.signing.publisher ? (
                // A certificate's name, in its own script and direction.
                <bdi>{t('about.signing.signedBy', { publisher: status.signing.publisher })}</bdi>
              ) : (
                t('about.signing.signed')
              )}
            </dd>
          </>
        )}
      </dl>

      {status && !supported && status.disabledReason && (
        <p className="muted" data-testid="about-disabled">
          {t(`about.disabled.${status.disabledReason}`)}
        </p>
      )}
      {status?.phase === 'checking' && <p className="muted">{t('about.checking')}</p>}
      {status?.phase === 'up_to_date' && <p className="muted">{t('about.upToDate')}</p>}
      {status?.phase === 'downloading' && status.available && (
        <p className="muted">{t('about.downloading', { version: status.available.version, percent: status.downloadPercent ?? 0 })}</p>
      )}
      {/* Quiet on purpose: a failed check changes nothing at the desk. */}
      {status?.show === 'quiet_error' && status.lastError && (
        <p className="muted" role="status" data-testid="about-check-failed">
          {t('about.checkFailed', { message: errText({ code: 'internal' }) })}
        </p>
      )}
      {status?.show === 'restart_offer' && status.available && (
        <div className="alert alert-warning" role="status" data-testid="about-ready">
          <p>{t('about.ready', { version: status.available.version })}</p>
          <button type="button" className="primary" data-testid="about-restart" disabled={busy} onClick={() => void restart()}>
            {t('about.restartNow')}
          </button>
        </div>
      )}
      {status?.installBlockedBy && status.installBlockedBy !== 'nothing_downloaded' && (
        <p className="muted" role="status" data-testid="about-blocked">
          {t(`about.blocked.${status.installBlockedBy}`)}
        </p>
      )}
      {error && (
        <p className="muted" role="status">
          {error}
        </p>
      )}
      <button type="button" data-testid="about-check" disabled={!supported || busy} onClick={() => void run(() => api.updater.check())}>
        {t('about.checkNow')}
      </button>

      <h3>{t('about.whatsNew')}</h3>
      {notes ? (
        // Plain text from main (HTML is stripped there); pre-wrap keeps the feed's lines.
        <div className="release-notes" style={{ whiteSpace: 'pre-wrap' }} data-testid="about-notes">
          <strong dir="ltr">{notes.version}</strong>
          {'\n'}
          {notes.text}
        </div>
      ) : (
        <p className="muted">{t('about.noNotes')}</p>
      )}
    </section>
  )
}
