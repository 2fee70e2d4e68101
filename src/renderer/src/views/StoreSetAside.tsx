import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { StoreWarning } from '@shared/startup'
import type { GuichetApi } from '@shared/contract'

/**
 * The desk's store was damaged and set aside: at this start, or at a restart of the backend
 * after the background check (run after an unclean shutdown) found damage while the window was
 * open. A restart asks again, so the clerk learns it without reopening the window.
 */
export function StoreSetAside({ api, initial }: { api: Pick<GuichetApi, 'on' | 'app'>; initial: StoreWarning | null }) {
  const { t } = useTranslation()
  const [warning, setWarning] = useState(initial)
  useEffect(
    () =>
      api.on('backend.restarted', () => {
        void api.app.info().then((r) => {
          if (r.ok && r.value.storeWarning) setWarning(r.value.storeWarning)
        })
      }),
    [api]
  )
  if (!warning) return null
  return (
    <p className="alert alert-error" role="alert" data-testid="store-set-aside">
      {t(`store.setAside.${warning.reason}`, { kept: warning.kept })}
    </p>
  )
}
