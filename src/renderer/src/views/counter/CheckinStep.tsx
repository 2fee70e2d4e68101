import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ExpectedArrivals } from './ExpectedArrivals'
import { OverrideReason, ParcelLine, PhotoField, ScanField, Why, type StepProps } from './parts'

/** A driver's drop: name and announced count, then each parcel scanned onto the shelf. */
export function CheckinStep({ store, s, scanRef }: StepProps) {
  const { t } = useTranslation()
  const [driver, setDriver] = useState('')
  const [announced, setAnnounced] = useState('')
  const [tried, setTried] = useState(false)
  const [condition, setCondition] = useState<'ok' | 'damaged' | 'refused'>('ok')
  const [note, setNote] = useState('')
  const [photo, setPhoto] = useState<string | undefined>()
  const needReason = s.error?.field === 'overrideReason'

  if (!s.session) {
    return (
      <form
        className="counter-form card"
        data-testid="checkin-start"
        onSubmit={(e) => {
          e.preventDefault()
          setTried(true)
          if (driver.trim()) void store.getState().startCheckin(driver.trim(), announced ? Number(announced) : undefined)
        }}
      >
        <label className="field">
          <span>{t('counter.driver')}</span>
          <input data-testid="checkin-driver" autoFocus value={driver} onChange={(e) => setDriver(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('counter.announced')}</span>
          <input data-testid="checkin-announced" type="number" min={0} value={announced} onChange={(e) => setAnnounced(e.target.value)} />
        </label>
        <button type="submit" className="primary">
          {t('counter.startCheckin')}
        </button>
        <Why reason={tried && !driver.trim() ? t('counter.why.driverName') : null} testId="checkin-why" />
        <ExpectedArrivals refreshKey={0} />
      </form>
    )
  }
  const last = s.lastScan
  return (
    <div className="counter-step">
      <p data-testid="checkin-count" className="counter-count">
        {t('counter.count', { scanned: s.session.scanned, announced: s.session.announced ?? '?' })} · {s.session.driver}
      </p>
      <ScanField
        label={t('counter.scanParcel')}
        testId="counter-scan"
        scanRef={scanRef}
        busy={s.busy}
        onEscape={() => store.getState().cancel()}
        onEmptyEnter={() => void store.getState().closeCheckin()}
        onScan={async (code) => {
          const opts =
            condition === 'refused'
              ? { refuse: note || t('counter.refusedDefault') }
              : condition === 'damaged'
                ? { damaged: true, ...(note ? { note } : {}), ...(photo ? { photo } : {}) }
                : {}
          await store.getState().scanIn(code, opts)
          setCondition('ok')
          setNote('')
          setPhoto(undefined)
        }}
      />
      <div className="counter-options">
        <label className="field">
          <span>{t('counter.condition')}</span>
          <select data-testid="checkin-condition" value={condition} onChange={(e) => setCondition(e.target.value as typeof condition)}>
            <option value="ok">{t('counter.conditionOk')}</option>
            <option value="damaged">{t('counter.damaged')}</option>
            <option value="refused">{t('counter.refused')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('counter.note')}</span>
          <input
            data-testid="checkin-note"
            value={note}
            maxLength={500}
            onChange={(e) => setNote(e.target.value)}
            onKeyDown={(e) => {
              // Enter goes back to the scan field: the next scan carries the note.
              if (e.key === 'Enter') {
                e.preventDefault()
                scanRef.current?.focus()
              }
            }}
          />
        </label>
        {condition === 'damaged' && <PhotoField photo={photo} onPhoto={setPhoto} />}
      </div>
      {last && (
        <div className="counter-last card" data-testid="checkin-last" role="status">
          <ParcelLine p={last.parcel} />
          {last.warnings.map((w) => (
            <p key={w} className="alert alert-warning" data-testid={`checkin-warning-${w}`}>
              {t(`counter.warning.${w}`)}
            </p>
          ))}
        </div>
      )}
      {needReason && <OverrideReason onSubmit={(reason) => void store.getState().closeCheckin(reason)} />}
      <p className="muted">{t('counter.closeHint')}</p>
      <ExpectedArrivals refreshKey={s.scans.length} />
      <ol className="counter-list" data-testid="checkin-list">
        {s.scans.map((r) => (
          <li key={r.parcel.id} data-state={r.parcel.state}>
            <ParcelLine p={r.parcel} />
          </li>
        ))}
      </ol>
    </div>
  )
}
