// How the clerk reads an error from main: its code, field and params, worded in their language.
// `message` is main's English for logs and developers and is never put on screen (a test in
// errors.test.ts walks every code in every language and fails on a view that shows it).
import { useCallback } from 'react'
import { useTranslation } from 'react-i18next'
import type { TFunction } from 'i18next'
import { CARRIER_NAMES, type CarrierId } from '@shared/domain'
import { isErrorCode, isErrorReason, type ErrorParams } from '@shared/result'

/** Whatever main reports: a Result's error, a stored lastError, a search's per-carrier error. */
interface ErrorLike {
  code: string
  field?: string | null
  params?: ErrorParams
  /** Which carrier said it (a stored outbox error): named, so the clerk reads "ECOTRACK refused: …". */
  carrier?: CarrierId | string | null
}

/** Codes that mean the carrier said no to what was sent: worded as "<carrier> refused: …" when it is known. */
const REFUSALS = new Set(['carrier_refused', 'invalid_input', 'not_found', 'forbidden'])

/** The clerk's name of a field (`fields.phone`), from its last dotted segment; null when unknown. */
export function fieldLabel(t: TFunction, field: string | null | undefined): string | null {
  if (!field) return null
  const last = field.split('.').pop()!
  const key = `fields.${last}`
  const label = t(key, { defaultValue: '' })
  return label && label !== key ? label : null
}

/**
 * One sentence in the clerk's language for an error; unknown codes read as the internal one.
 * Order: the reason (a known `params.reason`, or the refused field), then the carrier's code,
 * HTTP status and when to retry. The field's name as the carrier spells it stays visible (LTR),
 * since that is what the carrier's support asks for.
 */
export function errorText(t: TFunction, e: ErrorLike): string {
  const code = isErrorCode(e.code) ? e.code : 'internal'
  const params: Record<string, string | number> = { ...e.params }
  const carrier =
    (e.carrier ? (CARRIER_NAMES[e.carrier as CarrierId] ?? e.carrier) : null) ??
    (typeof params.carrier === 'string' ? params.carrier : null)
  const field = fieldLabel(t, e.field)
  const rawField = e.field ? e.field.split('.').pop()! : null
  const seconds = typeof params.retryAfterMs === 'number' ? Math.ceil(params.retryAfterMs / 1000) : null
  if (seconds !== null) params.seconds = seconds
  const parts: string[] = []
  let carrierSaid = false
  let fieldSaid = false
  if (isErrorReason(params.reason)) {
    parts.push(t(`errors.reasons.${params.reason}`, { ...params, carrier: carrier ?? t('errors.theCarrier') }))
    carrierSaid = true
  } else if (carrier && REFUSALS.has(code) && rawField) {
    parts.push(t('errors.refusedField', { carrier, field: field ?? rawField, name: rawField }))
    carrierSaid = fieldSaid = true
  } else if (carrier && code === 'carrier_refused') {
    parts.push(t('errors.refusedBy', { carrier }))
    carrierSaid = true
  } else parts.push(t(`errors.${code}`))
  if (params.afterCrash) parts.push(t('errors.afterCrash', { carrier: carrier ?? t('errors.theCarrier') }))
  if (carrier && !carrierSaid) parts.push(t('errors.carrier', { carrier }))
  if (typeof params.carrierCode === 'string' || typeof params.carrierCode === 'number')
    parts.push(t('errors.carrierCode', { code: params.carrierCode }))
  if (typeof params.httpStatus === 'number') parts.push(t('errors.httpStatus', { status: params.httpStatus }))
  if (field && !fieldSaid) parts.push(t('errors.field', { field }))
  if (typeof params.minBytes === 'number') parts.push(t('errors.minBytes', { count: params.minBytes }))
  // Another worded reason main gave (errors.reasons.*, e.g. the webhook receiver's); an unknown one adds nothing rather than main's English.
  if (typeof params.reason === 'string' && !isErrorReason(params.reason)) {
    const reason = t(`errors.reasons.${params.reason}`, { defaultValue: '', ...params })
    if (reason) parts.push(reason)
  }
  if (seconds !== null) parts.push(t('errors.retryIn', { seconds }))
  return parts.join(' ')
}

/** The hook form, for components. */
export function useErrorText(): (e: ErrorLike) => string {
  const { t } = useTranslation()
  return useCallback((e: ErrorLike) => errorText(t, e), [t])
}
