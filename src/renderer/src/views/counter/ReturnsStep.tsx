import { useTranslation } from 'react-i18next'
import { ParcelLine, ScanField, Why, type StepProps } from './parts'

/** Expired parcels prepared to go back, and customers' returns dropped off. */
export function ReturnsStep({ store, s, scanRef }: StepProps) {
  const { t } = useTranslation()
  return (
    <div className="counter-step">
      <ScanField
        label={t('counter.dropoffScan')}
        testId="counter-scan"
        scanRef={scanRef}
        busy={s.busy}
        onEscape={() => store.getState().cancel()}
        onScan={(c) => store.getState().dropoff(c)}
      />
      <h3>{t('counter.expiredTitle', { count: s.expired.length })}</h3>
      <ul className="counter-list" data-testid="counter-expired">
        {s.expired.map((p) => (
          <li key={p.id}>
            <ParcelLine p={p} />
          </li>
        ))}
      </ul>
      {s.expired.length > 0 ? (
        <button
          type="button"
          className="primary"
          data-testid="counter-prepare-return"
          disabled={s.busy}
          onClick={() => void store.getState().prepareReturn(s.expired.map((p) => p.id))}
        >
          {t('counter.prepareReturn', { count: s.expired.length })}
        </button>
      ) : (
        <Why reason={t('counter.why.nothingExpired')} testId="returns-why" />
      )}
    </div>
  )
}
