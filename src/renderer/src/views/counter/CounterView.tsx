import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import { CARRIER_NAMES } from '@shared/domain'
import type { CounterDocument, CounterParcel } from '@shared/contract'
import { useApp } from '../../context'
import { formatDateTime, formatMoney } from '../../lib/format'
import { createCounterStore, type CounterMode, type CounterState } from '../../stores/counter'
import { SignaturePad } from './SignaturePad'

// The counter's day, scanner and keyboard first: the scan field always has the focus, Enter
// confirms, Escape cancels, Alt+Shift+1..6 switch between the steps of the day.

const MODES: CounterMode[] = ['checkin', 'handover', 'stock', 'returns', 'collection', 'day']

const carrierName = (p: CounterParcel) => (p.carrier ? CARRIER_NAMES[p.carrier] : '?')

function DocumentView({ doc }: { doc: CounterDocument }) {
  const { t } = useTranslation()
  const src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(doc.svg)}`
  return (
    <figure className="counter-doc" data-testid="counter-document">
      <img src={src} alt={doc.title} />
      <figcaption>
        {/* The document's own language sets the direction: an Arabic receipt reads right to left. */}
        <pre dir="auto" data-testid="counter-document-text">
          {[doc.title, ...doc.lines].join('\n')}
        </pre>
        <button type="button" onClick={() => window.print()}>
          {t('counter.print')}
        </button>
      </figcaption>
    </figure>
  )
}

function ParcelLine({ p }: { p: CounterParcel }) {
  const { t, i18n } = useTranslation()
  return (
    <>
      <strong className="slot">{p.slot ?? '—'}</strong> <code dir="ltr">{p.trackingNumber}</code> · {carrierName(p)} ·{' '}
      {p.recipientName ?? t('counter.unknownRecipient')}
      {p.codAmount ? ` · ${t('counter.cod')} ${formatMoney(p.codAmount, p.currency, i18n.language)}` : ''}
      {p.damaged && <span className="chip tone-warn"> {t('counter.damaged')}</span>}
      {p.notForPoint && <span className="chip tone-warn"> {t('counter.notForPoint')}</span>}
      {p.shipmentId === null && <span className="chip"> {t('counter.unmatched')}</span>}
    </>
  )
}

export function CounterView() {
  const { t } = useTranslation()
  const { api } = useApp()
  const store = useMemo(() => createCounterStore(api), [api])
  const s = useStore(store)
  const scanRef = useRef<HTMLInputElement>(null)

  // Alt+Shift+1..6: the step of the day, without the mouse (Alt+1..6 stay the app's screens).
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (!e.altKey || !e.shiftKey || e.ctrlKey || e.metaKey) return
      const n = Number(e.code.replace('Digit', ''))
      const m = MODES[n - 1]
      if (m) {
        e.preventDefault()
        // Some layouts give Alt+Shift+1 the key "1": the app's Alt+1 must not fire as well.
        e.stopImmediatePropagation()
        store.getState().setMode(m)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [store])
  useEffect(
    () =>
      api.on('shipment.changed', () =>
        store.getState().mode === 'stock' || store.getState().mode === 'returns' ? void store.getState().loadStock() : undefined
      ),
    [api, store]
  )

  return (
    <section aria-labelledby="counter-title" data-testid="counter-view" className="counter">
      <h2 id="counter-title">{t('counter.title')}</h2>
      <div role="tablist" className="counter-modes" aria-label={t('counter.title')}>
        {MODES.map((m, i) => (
          <button
            key={m}
            role="tab"
            type="button"
            data-testid={`counter-mode-${m}`}
            aria-selected={s.mode === m}
            aria-keyshortcuts={`Alt+Shift+${i + 1}`}
            onClick={() => store.getState().setMode(m)}
          >
            {t(`counter.mode.${m}`)}
          </button>
        ))}
      </div>
      {s.error && (
        <p className="alert alert-error" role="alert" data-testid="counter-error">
          {s.error.code === 'not_found' ? t('counter.nothingFound', { query: s.error.message }) : s.error.message}
        </p>
      )}
      {s.mode === 'checkin' && <Checkin store={store} s={s} scanRef={scanRef} />}
      {s.mode === 'handover' && <Handover store={store} s={s} scanRef={scanRef} />}
      {s.mode === 'stock' && <Stock s={s} />}
      {s.mode === 'returns' && <Returns store={store} s={s} scanRef={scanRef} />}
      {s.mode === 'collection' && <Collection store={store} s={s} scanRef={scanRef} />}
      {s.mode === 'day' && <Day store={store} s={s} />}
      {s.document && <DocumentView doc={s.document} />}
    </section>
  )
}

type StepProps = { store: ReturnType<typeof createCounterStore>; s: CounterState; scanRef: React.RefObject<HTMLInputElement | null> }

/** A scan field: Enter sends (a scanner ends with Enter), Escape cancels; it takes the focus back after every action. */
function ScanField({
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
      <label>
        {label}
        <input
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
      </label>
    </form>
  )
}

/**
 * Shown when closing needs a reason (a count that does not match): takes the cursor when it
 * appears, sends on Enter once the reason has three characters.
 */
function OverrideReason({ onSubmit }: { onSubmit: (reason: string) => void }) {
  const { t } = useTranslation()
  const [reason, setReason] = useState('')
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => input.current?.focus(), [])
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        if (reason.trim().length >= 3) onSubmit(reason.trim())
      }}
    >
      <label>
        {t('counter.reason')}
        <input ref={input} data-testid="counter-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
    </form>
  )
}

function Checkin({ store, s, scanRef }: StepProps) {
  const { t } = useTranslation()
  const [driver, setDriver] = useState('')
  const [announced, setAnnounced] = useState('')
  const [condition, setCondition] = useState<'ok' | 'damaged' | 'refused'>('ok')
  const [note, setNote] = useState('')
  const [photo, setPhoto] = useState<string | undefined>()
  const needReason = s.error?.field === 'overrideReason'

  if (!s.session) {
    return (
      <form
        className="counter-form"
        data-testid="checkin-start"
        onSubmit={(e) => {
          e.preventDefault()
          if (driver.trim()) void store.getState().startCheckin(driver.trim(), announced ? Number(announced) : undefined)
        }}
      >
        <label>
          {t('counter.driver')}
          <input data-testid="checkin-driver" autoFocus value={driver} onChange={(e) => setDriver(e.target.value)} />
        </label>
        <label>
          {t('counter.announced')}
          <input data-testid="checkin-announced" type="number" min={0} value={announced} onChange={(e) => setAnnounced(e.target.value)} />
        </label>
        <button type="submit" className="primary">
          {t('counter.startCheckin')}
        </button>
      </form>
    )
  }
  const last = s.lastScan
  return (
    <div>
      <p data-testid="checkin-count" className="counter-count">
        {t('counter.count', { scanned: s.session.scanned, announced: s.session.announced ?? '?' })}
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
        <label>
          {t('counter.condition')}
          <select data-testid="checkin-condition" value={condition} onChange={(e) => setCondition(e.target.value as typeof condition)}>
            <option value="ok">{t('counter.conditionOk')}</option>
            <option value="damaged">{t('counter.damaged')}</option>
            <option value="refused">{t('counter.refused')}</option>
          </select>
        </label>
        <label>
          {t('counter.note')}
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
        <label>
          {t('counter.photo')}
          <input
            data-testid="checkin-photo"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            capture="environment"
            onChange={(e) => {
              const f = e.target.files?.[0]
              if (!f) return
              const r = new FileReader()
              r.onload = () => setPhoto(String(r.result))
              r.readAsDataURL(f)
            }}
          />
        </label>
      </div>
      {last && (
        <div className="counter-last" data-testid="checkin-last" role="status">
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

function Handover({ store, s, scanRef }: StepProps) {
  const { t } = useTranslation()
  const foundKey = s.found.map((p) => p.id).join(',')
  return (
    <div>
      <ScanField
        label={t('counter.findCustomer')}
        testId="counter-scan"
        scanRef={scanRef}
        busy={s.busy || s.found.length > 0}
        onEscape={() => store.getState().cancel()}
        onScan={(q) => store.getState().find(q)}
      />
      {s.found.length > 0 && <HandoverForm key={foundKey} store={store} s={s} scanRef={scanRef} />}
    </div>
  )
}

/** Keyed by the parcels found: a new customer starts from a clean form, focus on the check field. */
function HandoverForm({ store, s, scanRef }: StepProps) {
  const { t, i18n } = useTranslation()
  const due = s.found.reduce((sum, p) => sum + (p.codAmount ?? 0), 0)
  const currency = s.found.find((p) => p.codAmount)?.currency ?? null
  const [check, setCheck] = useState('')
  const [idType, setIdType] = useState<'national_id' | 'passport' | 'driving_licence' | 'residence_permit' | 'other'>('national_id')
  const [method, setMethod] = useState<'cash' | 'card'>('cash')
  const [amount, setAmount] = useState(due > 0 ? due.toFixed(2) : '')
  const [reason, setReason] = useState('')
  const [signature, setSignature] = useState<string | undefined>()
  const confirm = async (e?: FormEvent) => {
    e?.preventDefault()
    const v = check.trim()
    // Six digits are the pickup code; 2 to 4 characters are the ID document's last ones.
    const body = {
      ...(/^\d{6}$/.test(v) ? { pickupCode: v } : v ? { idType, idLast: v } : {}),
      ...(due > 0 && amount ? { cod: { amount: Number(amount), method } } : {}),
      ...(reason.trim() ? { overrideReason: reason.trim() } : {}),
      ...(signature ? { signature } : {})
    }
    if (await store.getState().handover(body)) scanRef.current?.focus()
  }
  const escape = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      store.getState().cancel()
      scanRef.current?.focus()
    }
  }
  return (
    <form className="counter-form" data-testid="handover-form" onSubmit={confirm} onKeyDown={escape}>
      <ul className="counter-list" data-testid="handover-parcels">
        {s.found.map((p) => (
          <li key={p.id}>
            <ParcelLine p={p} />
          </li>
        ))}
      </ul>
      <label>
        {t('counter.check')}
        <input
          data-testid="handover-check"
          autoFocus
          value={check}
          autoComplete="off"
          dir="ltr"
          onChange={(e) => setCheck(e.target.value)}
        />
      </label>
      <label>
        {t('counter.idType')}
        <select data-testid="handover-idtype" value={idType} onChange={(e) => setIdType(e.target.value as typeof idType)}>
          {(['national_id', 'passport', 'driving_licence', 'residence_permit', 'other'] as const).map((k) => (
            <option key={k} value={k}>
              {t(`counter.id.${k}`)}
            </option>
          ))}
        </select>
      </label>
      {due > 0 && (
        <fieldset data-testid="handover-cod">
          <legend>{t('counter.codDue', { amount: formatMoney(due, currency, i18n.language) })}</legend>
          <input
            data-testid="handover-cod-amount"
            type="number"
            step="0.01"
            min={0}
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            dir="ltr"
          />
          <select data-testid="handover-cod-method" value={method} onChange={(e) => setMethod(e.target.value as typeof method)}>
            <option value="cash">{t('counter.cash')}</option>
            <option value="card">{t('counter.card')}</option>
          </select>
        </fieldset>
      )}
      {s.error && s.error.code === 'invalid_input' && (
        <label>
          {t('counter.overrideReason')}
          <input data-testid="counter-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
      )}
      <SignaturePad onChange={setSignature} />
      <button type="submit" className="primary" data-testid="handover-confirm" disabled={s.busy}>
        {t('counter.handOver', { count: s.found.length })}
      </button>
    </form>
  )
}

function Stock({ s }: { s: CounterState }) {
  const { t, i18n } = useTranslation()
  if (!s.stock) return <p>{t('counter.loading')}</p>
  return (
    <div data-testid="counter-stock">
      <h3>{t('counter.shelf', { count: s.stock.parcels.length })}</h3>
      <table className="counter-table">
        <thead>
          <tr>
            <th>{t('counter.slot')}</th>
            <th>{t('counter.parcel')}</th>
            <th>{t('counter.age')}</th>
            <th>{t('counter.expires')}</th>
            <th>{t('counter.carrierSays')}</th>
          </tr>
        </thead>
        <tbody>
          {s.stock.parcels.map((p) => (
            <tr key={p.id} data-expired={p.expired} data-state={p.state}>
              <td>{p.slot}</td>
              <td>
                <code dir="ltr">{p.trackingNumber}</code> · {carrierName(p)} · {p.recipientName ?? '?'}
              </td>
              <td>{t('counter.days', { count: p.ageDays })}</td>
              <td className={p.expired ? 'tone-warn' : undefined}>{formatDateTime(p.expiresAt, i18n.language)}</td>
              <td>{p.carrierStatus ? t(`status.${p.carrierStatus}`, { defaultValue: p.carrierStatus }) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t('counter.deliveredNotOnShelf')}</h3>
      <ul data-testid="counter-not-on-shelf">
        {s.stock.carrierDeliveredNotOnShelf.map((m) => (
          <li key={m.shipmentId}>
            <code dir="ltr">{m.trackingNumber}</code> · {CARRIER_NAMES[m.carrier]} · {m.recipientName}
          </li>
        ))}
      </ul>
      <h3>{t('counter.onShelfInTransit')}</h3>
      <ul data-testid="counter-in-transit">
        {s.stock.onShelfCarrierInTransit.map((p) => (
          <li key={p.id}>
            <ParcelLine p={p} />
          </li>
        ))}
      </ul>
    </div>
  )
}

function Returns({ store, s, scanRef }: StepProps) {
  const { t } = useTranslation()
  return (
    <div>
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
      {s.expired.length > 0 && (
        <button
          type="button"
          className="primary"
          data-testid="counter-prepare-return"
          onClick={() => void store.getState().prepareReturn(s.expired.map((p) => p.id))}
        >
          {t('counter.prepareReturn', { count: s.expired.length })}
        </button>
      )}
    </div>
  )
}

function Collection({ store, s, scanRef }: StepProps) {
  const { t } = useTranslation()
  const [driver, setDriver] = useState('')
  const [signature, setSignature] = useState<string | undefined>()
  const needReason = s.error?.field === 'overrideReason'
  const c = s.collection
  if (!c) {
    return (
      <form
        className="counter-form"
        onSubmit={(e) => {
          e.preventDefault()
          if (driver.trim()) void store.getState().startCollection(driver.trim())
        }}
      >
        <label>
          {t('counter.driver')}
          <input data-testid="collection-driver" autoFocus value={driver} onChange={(e) => setDriver(e.target.value)} />
        </label>
        <button type="submit" className="primary">
          {t('counter.startCollection')}
        </button>
      </form>
    )
  }
  return (
    <div>
      <p data-testid="collection-count">{t('counter.collectionCount', { scanned: c.scannedIds.length, expected: c.expected.length })}</p>
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

function Day({ store, s }: { store: StepProps['store']; s: CounterState }) {
  const { t, i18n } = useTranslation()
  const r = s.report
  return (
    <div>
      <button type="button" className="primary" autoFocus data-testid="counter-end-of-day" onClick={() => void store.getState().endOfDay()}>
        {t('counter.endOfDay')}
      </button>
      {r && (
        <div data-testid="counter-report">
          <p>
            {t('counter.reportTotals', {
              in: r.totals.in,
              out: r.totals.out,
              handedOver: r.totals.handedOver,
              collected: r.totals.collected,
              onShelf: r.totals.onShelf
            })}
          </p>
          <table className="counter-table">
            <tbody>
              {r.carriers.map((l) => (
                <tr key={l.carrier} data-carrier={l.carrier}>
                  <th>{l.carrier === 'unknown' ? '?' : CARRIER_NAMES[l.carrier]}</th>
                  <td>{t('counter.inOut', { in: l.in, out: l.out })}</td>
                  <td>
                    {l.cod.map((c) => `${formatMoney(c.cents / 100, c.currency, i18n.language)} (${t(`counter.${c.method}`)})`).join(' · ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <a data-testid="counter-csv" download={`guichet-${r.day}.csv`} href={`data:text/csv;charset=utf-8,${encodeURIComponent(r.csv)}`}>
            {t('counter.csv')}
          </a>
        </div>
      )}
    </div>
  )
}
