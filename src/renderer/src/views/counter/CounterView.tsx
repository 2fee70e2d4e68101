import { useEffect, useMemo, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { useErrorText } from '../../lib/errors'
import { useStore } from 'zustand'
import type { AppError } from '@shared/result'
import { useApp } from '../../context'
import { carrierNoteText } from '../../lib/notes'
import { COUNTER_MODES, createCounterStore, type DraftStorage } from '../../stores/counter'
import { CheckinStep } from './CheckinStep'
import { CollectionStep } from './CollectionStep'
import { DayStep } from './DayStep'
import { HandoverStep } from './HandoverStep'
import { DocumentView } from './parts'
import { ReturnsStep } from './ReturnsStep'
import { ShelfStep } from './ShelfStep'
import './counter.css'

// The counter's day, scanner and keyboard first: the scan field always has the focus, Enter
// confirms, Escape cancels, Alt+Shift+1..6 switch between the steps of the day. The step on
// screen and a check-in in progress survive a reload (the store keeps a draft in localStorage).

/** The window's localStorage, when the browser lets us have it. */
function windowStorage(): DraftStorage | undefined {
  try {
    return typeof window !== 'undefined' && window.localStorage ? window.localStorage : undefined
  } catch {
    return undefined
  }
}

/** Fields whose refusal the counter words itself; anything else falls back to the app's wording. */
const WORDED_FIELDS = new Set(['cod', 'idLast', 'idType', 'pickupCode', 'overrideReason', 'code', 'sessionId', 'parcelIds'])

function ErrorLine({ error }: { error: AppError }) {
  const { t } = useTranslation()
  const errText = useErrorText()
  // Anything the counter does not word itself goes through the app's wording: never main's message.
  const text =
    error.code === 'not_found' && !error.field
      ? t('counter.nothingFound', { query: error.params?.query ?? '' })
      : error.field && WORDED_FIELDS.has(error.field)
        ? t(`counter.error.${error.field}`)
        : errText(error)
  return (
    <p className="alert alert-error" role="alert" data-testid="counter-error" data-field={error.field}>
      {text}
    </p>
  )
}

export function CounterView() {
  const { t } = useTranslation()
  const { api } = useApp()
  const store = useMemo(() => createCounterStore(api, windowStorage()), [api])
  const s = useStore(store)
  const scanRef = useRef<HTMLInputElement>(null)

  // Reopened on the shelf or the returns: their lists load as if the step had just been picked.
  useEffect(() => {
    const m = store.getState().mode
    if (m === 'stock' || m === 'returns') void store.getState().loadStock()
  }, [store])
  // Alt+Shift+1..6: the step of the day, without the mouse (Alt+1..8 stay the app's screens).
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (!e.altKey || !e.shiftKey || e.ctrlKey || e.metaKey) return
      const m = COUNTER_MODES[Number(e.code.replace('Digit', '')) - 1]
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
      <nav className="tabs counter-modes" role="tablist" aria-label={t('counter.title')}>
        {COUNTER_MODES.map((m, i) => (
          <button
            key={m}
            role="tab"
            type="button"
            data-testid={`counter-mode-${m}`}
            aria-selected={s.mode === m}
            aria-keyshortcuts={`Alt+Shift+${i + 1}`}
            onClick={() => store.getState().setMode(m)}
          >
            <span className="counter-step-no" aria-hidden="true">
              {i + 1}
            </span>
            {t(`counter.mode.${m}`)}
          </button>
        ))}
      </nav>
      {s.error && <ErrorLine error={s.error} />}
      <div role="tabpanel" aria-label={t(`counter.mode.${s.mode}`)} data-mode={s.mode}>
        {s.mode === 'checkin' && <CheckinStep store={store} s={s} scanRef={scanRef} />}
        {s.mode === 'handover' && <HandoverStep store={store} s={s} scanRef={scanRef} />}
        {s.mode === 'stock' && <ShelfStep s={s} />}
        {s.mode === 'returns' && <ReturnsStep store={store} s={s} scanRef={scanRef} />}
        {s.mode === 'collection' && <CollectionStep store={store} s={s} scanRef={scanRef} />}
        {s.mode === 'day' && <DayStep store={store} s={s} />}
      </div>
      {s.carrierNotes.length > 0 && (
        <ul className="counter-list muted" role="status" data-testid="counter-carrier-notes" aria-label={t('counter.carrierNotes')}>
          {s.carrierNotes.map((n, i) => (
            <li key={i} dir="auto">
              {carrierNoteText(t, n)}
            </li>
          ))}
        </ul>
      )}
      {s.document && <DocumentView doc={s.document} />}
    </section>
  )
}
