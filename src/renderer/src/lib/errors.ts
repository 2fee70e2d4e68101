// How the clerk reads an error from main: its code, field and params, worded in their language.
// `message` is main's English for logs and developers and is never put on screen (a test in
// errors.test.ts walks every code in every language and fails on a view that shows it).
import { useCallback } from 'react'
import { useTranslation } from 'react-i18next'
import type { TFunction } from 'i18next'
import { isErrorCode, type ErrorParams } from '@shared/result'

/** Whatever main reports: a Result's error, a stored lastError, a search's per-carrier error. */
export interface ErrorLike {
  code: string
  field?: string | null
  params?: ErrorParams
}

/** The clerk's name of a field (`fields.phone`), from its last dotted segment; null when unknown. */
export function fieldLabel(t: TFunction, field: string | null | undefined): string | null {
  if (!field) return null
  const last = field.split('.').pop()!
  const key = `fields.${last}`
  const label = t(key, { defaultValue: '' })
  return label && label !== key ? label : null
}

/** One sentence in the clerk's language for an error; unknown codes read as the internal one. */
export function errorText(t: TFunction, e: ErrorLike): string {
  const code = isErrorCode(e.code) ? e.code : 'internal'
  const params: Record<string, string | number> = { ...e.params }
  const field = fieldLabel(t, e.field)
  const seconds = typeof params.retryAfterMs === 'number' ? Math.ceil(params.retryAfterMs / 1000) : null
  if (seconds !== null) params.seconds = seconds
  const parts = [t(`errors.${code}`)]
  if (typeof params.carrier === 'string') parts.push(t('errors.carrier', { carrier: params.carrier }))
  if (typeof params.httpStatus === 'number') parts.push(t('errors.httpStatus', { status: params.httpStatus }))
  if (field) parts.push(t('errors.field', { field }))
  if (typeof params.minBytes === 'number') parts.push(t('errors.minBytes', { count: params.minBytes }))
  // A worded reason main gave (errors.reasons.*); an unknown one adds nothing rather than main's English.
  if (typeof params.reason === 'string') {
    const reason = t(`errors.reasons.${params.reason}`, { defaultValue: '', ...params })
    if (reason) parts.push(reason)
  }
  if (seconds !== null) parts.push(t('errors.retryIn', { seconds }))
  const text = parts.join(' ')
  return text
}

/** The hook form, for components. */
export function useErrorText(): (e: ErrorLike) => string {
  const { t } = useTranslation()
  return useCallback((e: ErrorLike) => errorText(t, e), [t])
}
