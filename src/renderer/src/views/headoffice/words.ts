import { useCallback } from 'react'
import { useTranslation } from 'react-i18next'
import type { OfficeFailure } from '../../api/office'

/** A hub refusal in the user's words; a throttled login says how long to wait, in whole minutes. */
export function useOfficeError(): (f: OfficeFailure) => string {
  const { t } = useTranslation()
  return useCallback(
    (f: OfficeFailure) => {
      const code = f.refused.replace(/^office\./, '')
      const minutes = 'retryAfterMs' in f && typeof f.retryAfterMs === 'number' ? Math.max(1, Math.ceil(f.retryAfterMs / 60_000)) : 1
      return t(`office.errors.${code}`, { minutes })
    },
    [t]
  )
}
