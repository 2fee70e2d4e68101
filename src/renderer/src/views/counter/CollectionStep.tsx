import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { SignaturePad } from './SignaturePad'
import { OverrideReason, ParcelLine, ScanField, Why, type StepProps } from './parts'

/** The driver takes what is to return, against the manifest, and signs. */
export function CollectionStep({ store, s, scanRef }: StepProps) {
  const { t } = useTranslation()
  const [driver, setDriver] = useState('')
  const [tried, setTried] = useState(false)
  const [signature, setSignature] = useState<string | undefined>()
  const needReason = s.error?.field === 'overrideReason'
  const c = s.collection
  if (!c) {
    return (
      <form
        className="counter-form card"
        onSubmit={(e) => {
          e.preventDefault()
          setTried(true)
          if (driver.trim()) void store.getState().startCollection(driver.trim())
        }}
      >
        <label className="field">
          <span>{t('counter.driver')}</span>
          <input data-testid="collection-driver" autoFocus value={driver} onChange={(e) => setDriver(e.target.value)} />
        </label>
        <button type="submit" className="primary">
          {t('counter.startCollection')}
        </button>
        <Why reason={tried && !driver.trim() ? t('counter.why.driverName') : null} testId="collection-why" />
      </form>
    )
  }
  return (
    <div className="counter-step">
      <p data-testid="collection-count" className="counter-count">
        {t('counter.collectionCount', { scanned: c.scannedIds.length, expected: c.expected.length })} · {c.session.driver}
      </p>
      <ScanField
        label={t('counter.scanOut')}
        testId="counter-scan"
        scanRef={scanRef}
        busy={s.busy}
        onEmptyEnter={() => void store.getState().closeCollection(signature)}
        onScan={(code) => store.getState().collect(code)}
      />
      {needReason && <OverrideReason onSubmit={(reason) => void store.getState().closeCollection(signature, reason)} />}
      <p className="muted">{t('counter.closeHint')}</p>
      {c.expected.length === 0 && <Why reason={t('counter.why.nothingToCollect')} />}
      <ul className="counter-list" data-testid="collection-expected">
        {c.expected.map((p) => (
          <li key={p.id} data-scanned={c.scannedIds.includes(p.id)}>
            {c.scannedIds.includes(p.id) ? '✔ ' : '☐ '}
            <ParcelLine p={p} />
          </li>
        ))}
      </ul>
      {c.unexpected.length > 0 && (
        <ul data-testid="collection-unexpected" className="alert alert-warning">
          {c.unexpected.map((u) => (
            <li key={u}>
              {t('counter.notOnManifest')} <code dir="ltr">{u}</code>
            </li>
          ))}
        </ul>
      )}
      <SignaturePad onChange={setSignature} />
    </div>
  )
}
