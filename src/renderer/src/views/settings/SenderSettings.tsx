import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { SENDER_LIMITS } from '@shared/contract/app'
import type { LabelAddress } from '@shared/label'
import { useApp } from '../../context'
import { useAction } from '../../lib/useAction'
import { useErrorText } from '../../lib/errors'

const FIELDS = ['name1', 'name2', 'street', 'houseNo', 'zip', 'city', 'country', 'phone'] as const
type Field = (typeof FIELDS)[number]
type Values = Record<Field, string>

const MAX: Record<Field, number> = { ...SENDER_LIMITS, country: 2 }
/** Codes stay left-to-right; names and places follow what is typed (Arabic or Latin). */
const LTR = new Set<Field>(['country', 'phone'])
const AUTOCOMPLETE: Record<Field, string> = {
  name1: 'organization',
  name2: 'off',
  street: 'address-line1',
  houseNo: 'off',
  zip: 'postal-code',
  city: 'address-level2',
  country: 'country',
  phone: 'tel'
}

const fromAddress = (a: LabelAddress | null | undefined): Values => Object.fromEntries(FIELDS.map((f) => [f, a?.[f] ?? ''])) as Values

/** What settings.update gets: null when every field is blank, otherwise blanks as null. */
function toAddress(v: Values): LabelAddress | null {
  if (FIELDS.every((f) => !v[f].trim())) return null
  return {
    name1: v.name1.trim(),
    name2: v.name2.trim() || null,
    street: v.street.trim() || null,
    houseNo: v.houseNo.trim() || null,
    zip: v.zip.trim() || null,
    city: v.city.trim(),
    country: v.country.trim().toUpperCase() || null,
    phone: v.phone.trim() || null
  }
}

/** The field a refusal names ("sender.city" -> "city"), when it is one of ours. */
function refusedField(field: string | undefined): Field | null {
  const f = field?.startsWith('sender.') ? field.slice('sender.'.length) : null
  return f && (FIELDS as readonly string[]).includes(f) ? (f as Field) : null
}

/** The return address printed as "From" on the labels Guichet draws itself. */
export function SenderSettings() {
  const { t } = useTranslation()
  const errText = useErrorText()
  const { api, settings } = useApp()
  const [values, setValues] = useState<Values>(() => fromAddress(settings.sender))
  const inputs = useRef<Partial<Record<Field, HTMLInputElement | null>>>({})
  // The settings in context are those of the start: read the saved address again.
  useEffect(() => {
    void api.settings.get().then((r) => r.ok && setValues(fromAddress(r.value.sender)))
  }, [api])

  const action = useAction(
    useCallback(
      async (mode: 'save' | 'clear') => {
        const r = await api.settings.update({ sender: mode === 'clear' ? null : toAddress(values) })
        if (r.ok) setValues(fromAddress(r.value.sender))
        return r
      },
      [api, values]
    )
  )
  const run = async (mode: 'save' | 'clear') => {
    await action.trigger(mode)
  }

  const { state } = action
  const errorField = state.phase === 'failed' ? refusedField(state.error.field) : null
  // The cursor goes to the refused field once the form is drawn again: moved earlier, it was
  // lost when the browser took focus off the Save button it had just disabled.
  useEffect(() => {
    if (state.phase === 'failed' && errorField) inputs.current[errorField]?.focus()
  }, [state, errorField])
  const saved = state.phase === 'done' ? state.value.sender : undefined

  return (
    <form
      className="card"
      data-testid="sender-settings"
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void run('save')
      }}
    >
      <fieldset className="plain-fieldset" aria-describedby="sender-help">
        <legend>
          <h3>{t('settings.sender.title')}</h3>
        </legend>
        <p className="muted" id="sender-help">
          {t('settings.sender.help')}
        </p>
        <div className="address-grid">
          {FIELDS.map((f) => {
            const invalid = errorField === f
            return (
              <label className="field" key={f}>
                <span>
                  {t(`settings.sender.${f}`)}
                  {(f === 'name1' || f === 'city') && <span aria-hidden="true"> *</span>}
                </span>
                <input
                  ref={(el) => {
                    inputs.current[f] = el
                  }}
                  name={f}
                  value={values[f]}
                  onChange={(e) => setValues({ ...values, [f]: e.target.value })}
                  dir={LTR.has(f) ? 'ltr' : 'auto'}
                  maxLength={MAX[f]}
                  autoComplete={AUTOCOMPLETE[f]}
                  inputMode={f === 'phone' ? 'tel' : undefined}
                  aria-required={f === 'name1' || f === 'city' ? true : undefined}
                  aria-invalid={invalid || undefined}
                  aria-describedby={invalid ? `sender-${f}-error` : undefined}
                  data-testid={`sender-${f}`}
                />
                {invalid && (
                  <span className="tone-error field-error" id={`sender-${f}-error`} data-testid="sender-field-error">
                    {t(`settings.sender.errors.${f}`, { limit: t('settings.sender.maxChars', { count: MAX[f] }) })}
                  </span>
                )}
              </label>
            )
          })}
        </div>
      </fieldset>
      <div className="actions">
        <button type="submit" className="primary" disabled={state.phase === 'busy'} data-testid="sender-save">
          {state.phase === 'busy' ? t('settings.saving') : t('settings.save')}
        </button>
        <button type="button" disabled={state.phase === 'busy'} onClick={() => void run('clear')} data-testid="sender-clear">
          {t('settings.sender.clear')}
        </button>
        <span role="status" data-testid="sender-outcome">
          {state.phase === 'done' && <span className="tone-ok">{saved ? t('settings.saved') : t('settings.sender.cleared')}</span>}
          {state.phase === 'failed' && (
            <span className="tone-error">{errorField ? t('settings.sender.fixField') : errText(state.error)}</span>
          )}
        </span>
      </div>
    </form>
  )
}
