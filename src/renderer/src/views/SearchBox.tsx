import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { normalizeScan } from '@shared/scan'
import { useApp, useLookup } from '../context'
import { markScan } from '../lib/perf'

const isEditable = (el: Element | null): boolean =>
  !!el && (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement || (el as HTMLElement).isContentEditable)

/**
 * The one search field, always ready: a scanner's burst or a typed number lands here from
 * anywhere on the screen, Enter finds, Escape clears, ↓ shows the recent parcels.
 */
export function SearchBox() {
  const { t } = useTranslation()
  const { lookup } = useApp()
  const busy = useLookup((s) => s.busy)
  const recent = useLookup((s) => s.recent)
  const [value, setValue] = useState('')
  const [showRecent, setShowRecent] = useState(false)
  const input = useRef<HTMLInputElement>(null)

  useEffect(() => {
    input.current?.focus()
    // Typing or scanning while nothing editable has focus goes to the search field.
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isEditable(document.activeElement)) return
      if (e.key.length === 1) input.current?.focus()
    }
    window.addEventListener('keydown', onKey, true)
    return () => window.removeEventListener('keydown', onKey, true)
  }, [])

  const submit = () => {
    const query = normalizeScan(value)
    if (!query) return
    setShowRecent(false)
    markScan()
    void lookup.getState().find(query)
    // Ready for the next scan at once: the field is cleared and keeps focus.
    setValue('')
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
          if (e.key === 'Escape') {
            setValue('')
            setShowRecent(false)
            lookup.getState().clear()
          } else if (e.key === 'ArrowDown' && !value && recent.length > 0) {
            e.preventDefault()
            setShowRecent(true)
            requestAnimationFrame(() => document.querySelector<HTMLButtonElement>('.recent button')?.focus())
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
        <ul className="recent" aria-label={t('recent.title')}>
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
                  if (e.key === 'ArrowUp') ((el?.previousElementSibling?.querySelector('button') as HTMLElement | null) ?? input.current)?.focus()
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
