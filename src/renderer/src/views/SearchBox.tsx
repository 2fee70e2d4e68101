import { flushSync } from 'react-dom'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import { looksLikeCode, normalizeScan } from '@shared/scan'
import { useApp, useLookup } from '../context'
import { markScan } from '../lib/perf'
import { useDelayedFlag } from '../lib/useDelayedFlag'
import { isTextField, typesCharacter } from '../lib/keys'

/**
 * The one search field, always ready: a scanner's burst or a typed number lands here from
 * anywhere on the screen and any focus but a text field (a button, a link, a checkbox, a list),
 * Enter (or the Tab some scanner profiles end with) finds, Escape clears, ↓ enters the result
 * list or shows the recent parcels.
 */
export function SearchBox() {
  const { t } = useTranslation()
  const { lookup, ui } = useApp()
  const onFind = useStore(ui, (s) => s.section === 'find')
  const showingResults = useLookup((s) => s.view === 'results' && s.results.length > 0) && onFind
  const busy = useDelayedFlag(
    useLookup((s) => s.busy),
    250
  )
  const recent = useLookup((s) => s.recent)
  const [value, setValue] = useState('')
  const [showRecent, setShowRecent] = useState(false)
  const recentList = useRef<HTMLUListElement>(null)
  const input = useRef<HTMLInputElement>(null)

  useEffect(() => {
    input.current?.focus()
    // Typing or scanning while no text field has focus goes to the search field; the key lands
    // there because focus moves before the character is inserted.
    const onKey = (e: KeyboardEvent) => {
      if (!typesCharacter(e) || isTextField(document.activeElement)) return
      input.current?.focus()
    }
    window.addEventListener('keydown', onKey, true)
    return () => window.removeEventListener('keydown', onKey, true)
  }, [])
  // Back on the Find screen (Alt+1), the field is ready for the next scan.
  useEffect(() => {
    if (onFind) input.current?.focus()
  }, [onFind])

  // The scan in flight: its text stays in the field until the answer is on screen, and the
  // first keystroke of a next scan replaces it. Nothing on screen changes between the Enter and
  // the answer: redrawing the field there made Chromium render a frame first (~6 ms of the
  // scan-to-view time, docs/PERFORMANCE.md). The field clears in the same commit as the answer.
  const settled = useLookup((s) => s.settled)
  const [inFlight, setInFlight] = useState<{ text: string; settled: number } | null>(null)
  if (inFlight && settled !== inFlight.settled) {
    setInFlight(null)
    // Unless the clerk has already typed something else.
    if (value === inFlight.text) setValue('')
  }

  const submit = () => {
    const query = normalizeScan(value)
    if (!query) return
    setShowRecent(false)
    markScan()
    setInFlight({ text: value, settled })
    void lookup.getState().find(query)
  }

  return (
    <form
      className="search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault()
        submit()
      }}
    >
      <label htmlFor="search-input" className="visually-hidden">
        {t('search.label')}
      </label>
      <input
        id="search-input"
        ref={input}
        data-testid="search-input"
        type="search"
        autoComplete="off"
        spellCheck={false}
        dir="auto"
        value={value}
        placeholder={t('search.placeholder')}
        aria-describedby="search-hint"
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (inFlight && value === inFlight.text && e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
            // A new scan while the last is still in flight starts from an empty field.
            setInFlight(null)
            setValue('')
          } else if (e.key === 'Escape') {
            setValue('')
            setShowRecent(false)
            lookup.getState().clear()
          } else if (e.key === 'Tab' && !e.shiftKey && looksLikeCode(normalizeScan(value))) {
            // A scanner profile that ends with Tab instead of Enter. Key timing cannot tell it from
            // a person on a busy PC; a code in the field can: Tab would only reach the Search button.
            e.preventDefault()
            submit()
          } else if (e.key === 'ArrowDown' && showingResults) {
            e.preventDefault()
            ;(document.querySelector('[data-testid="results"] button') as HTMLElement | null)?.focus()
          } else if (e.key === 'ArrowDown' && !value && recent.length > 0) {
            e.preventDefault()
            // The list is in the DOM when this handler returns, so focus moves before the next
            // key (a frame later, a quick second ↓ reached the field instead of the list).
            flushSync(() => setShowRecent(true))
            recentList.current?.querySelector('button')?.focus()
          }
        }}
      />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('search.busy') : t('search.submit')}
      </button>
      <p id="search-hint" className="hint">
        {t('search.hint')}
      </p>
      {showRecent && (
        <ul className="recent" ref={recentList} aria-label={t('recent.title')}>
          {recent.map((r) => (
            <li key={r.id}>
              <button
                type="button"
                onClick={() => {
                  setShowRecent(false)
                  void lookup.getState().open(r.id)
                }}
                onKeyDown={(e) => {
                  const el = e.currentTarget.parentElement
                  if (e.key === 'ArrowDown') (el?.nextElementSibling?.querySelector('button') as HTMLElement | null)?.focus()
                  if (e.key === 'ArrowUp')
                    ((el?.previousElementSibling?.querySelector('button') as HTMLElement | null) ?? input.current)?.focus()
                  if (e.key === 'Escape') {
                    setShowRecent(false)
                    input.current?.focus()
                  }
                }}
              >
                <span className="code" dir="ltr">
                  {r.trackingNumber}
                </span>{' '}
                {r.recipientName}
              </button>
            </li>
          ))}
        </ul>
      )}
    </form>
  )
}
