import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { GuichetApi } from '@shared/contract'

/** How long the notice stays: long enough to read, short enough not to become wallpaper. */
export const NOTICE_MS = 10_000

/**
 * The desktop's backend process stopped and main started it again: a short notice, so a clerk
 * whose last click answered "try again" knows why, and that nothing they entered was lost.
 */
export function BackendRestarted({ api }: { api: Pick<GuichetApi, 'on'> }) {
  const { t } = useTranslation()
  const [shown, setShown] = useState(false)
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null
    const off = api.on('backend.restarted', () => {
      setShown(true)
      if (timer) clearTimeout(timer)
      timer = setTimeout(() => setShown(false), NOTICE_MS)
    })
    return () => {
      off()
      if (timer) clearTimeout(timer)
    }
  }, [api])
  if (!shown) return null
  return (
    <p className="alert alert-warning banner" role="status" data-testid="backend-restarted">
      {t('backend.restarted')}
    </p>
  )
}
