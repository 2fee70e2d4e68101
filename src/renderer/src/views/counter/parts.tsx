import { useEffect, useId, useRef, useState, type FormEvent, type RefObject } from 'react'
import { useTranslation } from 'react-i18next'
import { CARRIER_NAMES } from '@shared/domain'
import type { CounterDocument, CounterParcel } from '@shared/contract'
import { formatMoney } from '../../lib/format'
import type { createCounterStore, CounterState } from '../../stores/counter'

// Pieces every step of the counter uses: the scan field, a reason field, a parcel's line, the
// document preview, a translated file control, and the line that says why an action cannot run.

export type StepProps = { store: ReturnType<typeof createCounterStore>; s: CounterState; scanRef: RefObject<HTMLInputElement | null> }

export const carrierName = (p: CounterParcel) => (p.carrier ? CARRIER_NAMES[p.carrier] : '?')

/** The document as it will print: the exact-size picture, scrolled rather than clipped; printed alone. */
export function DocumentView({ doc }: { doc: CounterDocument }) {
  const { t } = useTranslation()
  const src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(doc.svg)}`
  return (
    <figure className="counter-doc card" data-testid="counter-document">
      <figcaption>
        <strong>{doc.title}</strong>
        <button type="button" onClick={() => window.print()}>
          {t('counter.print')}
        </button>
      </figcaption>
      <div className="counter-paper">
        <img src={src} alt={doc.title} data-testid="counter-document-image" />
      </div>
      {/* For screen readers and tests: the same lines, once, not shown twice on screen. */}
      <pre className="visually-hidden" data-testid="counter-document-text">
        {[doc.title, ...doc.lines].join('\n')}
      </pre>
    </figure>
  )
}

export function ParcelLine({ p }: { p: CounterParcel }) {
  const { t, i18n } = useTranslation()
  return (
    <>
      <strong className="slot" dir="ltr">
        {p.slot ?? '—'}
      </strong>{' '}
      <code dir="ltr">{p.trackingNumber}</code> · {carrierName(p)} · {p.recipientName ?? t('counter.unknownRecipient')}
      {p.codAmount ? ` · ${t('counter.cod')} ${formatMoney(p.codAmount, p.currency, i18n.language)}` : ''}
      {p.damaged && <span className="chip tone-warn">{t('counter.damaged')}</span>}
      {p.notForPoint && <span className="chip tone-warn">{t('counter.notForPoint')}</span>}
      {p.shipmentId === null && <span className="chip">{t('counter.unmatched')}</span>}
    </>
  )
}

/** Why the button next to it does nothing yet; empty when it can run. */
export function Why({ reason, testId }: { reason: string | null; testId?: string }) {
  if (!reason) return null
  return (
    <p className="counter-why muted" role="note" data-testid={testId}>
      {reason}
    </p>
  )
}

/** A scan field: Enter sends (a scanner ends with Enter), Escape cancels; it takes the focus back after every action. */
export function ScanField({
  label,
  testId,
  onScan,
  onEmptyEnter,
  scanRef,
  busy,
  onEscape
}: {
  label: string
  testId: string
  onScan: (code: string) => Promise<unknown>
  onEmptyEnter?: () => void
  scanRef: StepProps['scanRef']
  busy: boolean
  onEscape?: () => void
}) {
  const [value, setValue] = useState('')
  const id = useId()
  useEffect(() => {
    if (!busy) scanRef.current?.focus()
  }, [busy, scanRef])
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const code = value.trim()
    if (!code) return onEmptyEnter?.()
    setValue('')
    // The focus stays here, unless the step moves it on (the hand-over's check field).
    await onScan(code)
  }
  return (
    <form onSubmit={submit} className="counter-scan">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={scanRef}
        data-testid={testId}
        value={value}
        autoFocus
        dir="ltr"
        autoComplete="off"
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            setValue('')
            onEscape?.()
          }
        }}
      />
    </form>
  )
}

/**
 * Shown when closing needs a reason (a count that does not match): takes the cursor when it
 * appears, sends on Enter once the reason has three characters, and says so before.
 */
export function OverrideReason({ onSubmit }: { onSubmit: (reason: string) => void }) {
  const { t } = useTranslation()
  const [reason, setReason] = useState('')
  const [tried, setTried] = useState(false)
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => input.current?.focus(), [])
  return (
    <form
      className="field"
      onSubmit={(e) => {
        e.preventDefault()
        setTried(true)
        if (reason.trim().length >= 3) onSubmit(reason.trim())
      }}
    >
      <label>
        <span>{t('counter.reason')}</span>
        <input ref={input} data-testid="counter-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <Why reason={tried && reason.trim().length < 3 ? t('counter.why.reasonShort') : null} />
    </form>
  )
}

/** A photo from the webcam or a file, with a button and words in the clerk's language (no native "Choose File"). */
export function PhotoField({ photo, onPhoto }: { photo: string | undefined; onPhoto: (dataUrl: string | undefined) => void }) {
  const { t } = useTranslation()
  const input = useRef<HTMLInputElement>(null)
  const [name, setName] = useState<string | null>(null)
  return (
    <div className="field counter-file">
      <span>{t('counter.photo')}</span>
      <input
        ref={input}
        className="visually-hidden"
        tabIndex={-1}
        data-testid="checkin-photo"
        type="file"
        accept="image/jpeg,image/png,image/webp"
        capture="environment"
        onChange={(e) => {
          const f = e.target.files?.[0]
          if (!f) return
          setName(f.name)
          const r = new FileReader()
          r.onload = () => onPhoto(String(r.result))
          r.readAsDataURL(f)
        }}
      />
      <span className="counter-file-row">
        <button type="button" data-testid="checkin-photo-pick" onClick={() => input.current?.click()}>
          {photo ? t('counter.photoReplace') : t('counter.photoPick')}
        </button>
        <span className="muted" data-testid="checkin-photo-name">
          {photo ? (name ?? t('counter.photoTaken')) : t('counter.photoNone')}
        </span>
        {photo && (
          <button type="button" className="link" onClick={() => (onPhoto(undefined), setName(null))}>
            {t('counter.photoRemove')}
          </button>
        )}
      </span>
    </div>
  )
}
