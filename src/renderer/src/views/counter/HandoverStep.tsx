import { useState, type FormEvent, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { checkCod, type CodMethod } from '@shared/counter'
import { formatMoney } from '../../lib/format'
import { SignaturePad } from './SignaturePad'
import { ParcelLine, ScanField, Why, type StepProps } from './parts'

const ID_TYPES = ['national_id', 'passport', 'driving_licence', 'residence_permit', 'other'] as const

/** A customer collects: find their parcels, tick what leaves, check, confirm the COD, sign. */
export function HandoverStep({ store, s, scanRef }: StepProps) {
  const { t } = useTranslation()
  const foundKey = s.found.map((p) => p.id).join(',')
  return (
    <div className="counter-step">
      <ScanField
        label={t('counter.findCustomer')}
        testId="counter-scan"
        scanRef={scanRef}
        busy={s.busy || s.found.length > 0}
        onEscape={() => store.getState().cancel()}
        onScan={(q) => store.getState().find(q)}
      />
      {s.found.length > 0 && <HandoverForm key={foundKey} store={store} s={s} scanRef={scanRef} />}
    </div>
  )
}

/** Keyed by the parcels found: a new customer starts from a clean form, focus on the check field. */
function HandoverForm({ store, s, scanRef }: StepProps) {
  const { t, i18n } = useTranslation()
  const ticked = s.found.filter((p) => s.selected.includes(p.id))
  const due = ticked.reduce((sum, p) => sum + (p.codAmount ?? 0), 0)
  const currency = ticked.find((p) => p.codAmount)?.currency ?? null
  const [check, setCheck] = useState('')
  const [idType, setIdType] = useState<(typeof ID_TYPES)[number]>('national_id')
  // Never prefilled: the clerk types what was handed over and says how.
  const [amount, setAmount] = useState('')
  const [method, setMethod] = useState<CodMethod | ''>('')
  const [reason, setReason] = useState('')
  const [signature, setSignature] = useState<string | undefined>()
  const [tried, setTried] = useState(false)
  const cod = checkCod(due, { amount, method: method || null })
  const v = check.trim()
  const hasCheck = /^\d{6}$/.test(v) || /^[0-9A-Za-z]{2,4}$/.test(v)
  const why =
    ticked.length === 0
      ? t('counter.why.noneTicked')
      : !hasCheck && reason.trim().length < 3
        ? t('counter.why.noCheck')
        : cod.state === 'unconfirmed' && reason.trim().length < 3
          ? t('counter.why.codUnconfirmed', { amount: formatMoney(due, currency, i18n.language) })
          : cod.state === 'short' && reason.trim().length < 3
            ? t('counter.why.codShort', { amount: formatMoney(due, currency, i18n.language) })
            : null
  const confirm = async (e?: FormEvent) => {
    e?.preventDefault()
    setTried(true)
    if (why) return
    const amountNumber = Number(amount.replace(',', '.'))
    const body = {
      // Six digits are the pickup code; 2 to 4 characters are the ID document's last ones.
      ...(/^\d{6}$/.test(v) ? { pickupCode: v } : v ? { idType, idLast: v } : {}),
      ...(due > 0 && amount && method ? { cod: { amount: amountNumber, method } } : {}),
      ...(reason.trim() ? { overrideReason: reason.trim() } : {}),
      ...(signature ? { signature } : {})
    }
    if (await store.getState().handover(body)) scanRef.current?.focus()
  }
  const escape = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      store.getState().cancel()
      scanRef.current?.focus()
    }
  }
  const showReason = s.error?.code === 'invalid_input' || cod.state === 'short' || reason !== ''
  return (
    <form className="counter-form card" data-testid="handover-form" onSubmit={confirm} onKeyDown={escape}>
      <ul className="counter-list counter-picks" data-testid="handover-parcels">
        {s.found.map((p) => (
          <li key={p.id} data-match={p.match ?? 'asked'}>
            <label>
              <input
                type="checkbox"
                data-testid={`handover-pick-${p.trackingNumber}`}
                checked={s.selected.includes(p.id)}
                onChange={() => store.getState().toggle(p.id)}
              />
              <ParcelLine p={p} />
              {p.match && p.match !== 'asked' && (
                <span className={`chip ${p.match === 'same_name' ? 'tone-warn' : ''}`} data-testid="handover-why-match">
                  {t(`counter.match.${p.match}`)}
                </span>
              )}
            </label>
          </li>
        ))}
      </ul>
      <div className="counter-options">
        <label className="field counter-wide">
          <span>{t('counter.check')}</span>
          <input
            data-testid="handover-check"
            autoFocus
            value={check}
            autoComplete="off"
            dir="ltr"
            onChange={(e) => setCheck(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('counter.idType')}</span>
          <select data-testid="handover-idtype" value={idType} onChange={(e) => setIdType(e.target.value as typeof idType)}>
            {ID_TYPES.map((k) => (
              <option key={k} value={k}>
                {t(`counter.id.${k}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {due > 0 && (
        <fieldset className="plain-fieldset counter-cod" data-testid="handover-cod">
          <legend>{t('counter.codDue', { amount: formatMoney(due, currency, i18n.language) })}</legend>
          <label className="field">
            <span>{t('counter.codReceived')}</span>
            <input
              data-testid="handover-cod-amount"
              inputMode="decimal"
              value={amount}
              placeholder={formatMoney(due, null, i18n.language)}
              onChange={(e) => setAmount(e.target.value)}
              dir="ltr"
            />
          </label>
          <label className="field">
            <span>{t('counter.codMethod')}</span>
            <select data-testid="handover-cod-method" value={method} onChange={(e) => setMethod(e.target.value as CodMethod | '')}>
              <option value="">{t('counter.codChoose')}</option>
              <option value="cash">{t('counter.cash')}</option>
              <option value="card">{t('counter.card')}</option>
            </select>
          </label>
        </fieldset>
      )}
      {showReason && (
        <label className="field counter-wide">
          <span>{t('counter.overrideReason')}</span>
          <input data-testid="counter-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
      )}
      <SignaturePad onChange={setSignature} />
      <div className="counter-actions">
        <button type="submit" className="primary" data-testid="handover-confirm" disabled={s.busy} aria-disabled={!!why}>
          {t('counter.handOver', { count: ticked.length })}
        </button>
        <Why reason={tried || ticked.length === 0 ? why : null} testId="handover-why" />
      </div>
    </form>
  )
}
