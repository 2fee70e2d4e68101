import { useCallback, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApp } from '../../context'
import { useAction } from '../../lib/useAction'
import { useErrorText } from '../../lib/errors'

/** ECOTRACK's add/maj takes at most 255 characters: the tightest carrier sets the limit. */
export const REMARK_MAX = 255

/** A remark for the courier: the count shows as you type; too long is refused before sending. */
export function RemarkForm({ shipmentId, onAdded }: { shipmentId: number; onAdded: () => void }) {
  const { t } = useTranslation()
  const errText = useErrorText()
  const { api } = useApp()
  const [text, setText] = useState('')
  const length = [...text.trim()].length
  const over = length > REMARK_MAX
  const add = useAction(
    useCallback(
      async (value: string) => {
        const r = await api.remarks.add({ shipmentId, text: value })
        if (r.ok) {
          setText('')
          onAdded()
        }
        return r
      },
      [api, shipmentId, onAdded]
    )
  )
  return (
    <form
      className="remark-form"
      onSubmit={(e) => {
        e.preventDefault()
        if (!over && length > 0) void add.trigger(text.trim())
      }}
    >
      <label htmlFor="remark-text">{t('remarks.label')}</label>
      <textarea
        id="remark-text"
        data-testid="remark-text"
        rows={2}
        dir="auto"
        value={text}
        aria-invalid={over}
        aria-describedby="remark-count"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          // Ctrl+Enter sends; Enter alone makes a new line.
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault()
            e.currentTarget.form?.requestSubmit()
          }
        }}
      />
      <div className="remark-foot">
        <span id="remark-count" className={over ? 'tone-error' : 'muted'} data-testid="remark-count" aria-live="polite">
          {t('remarks.count', { count: length, max: REMARK_MAX })}
        </span>
        {over && (
          <span className="tone-error" role="alert" data-testid="remark-too-long">
            {t('remarks.tooLong', { max: REMARK_MAX, over: length - REMARK_MAX })}
          </span>
        )}
        <button type="submit" data-testid="remark-send" disabled={over || length === 0 || add.state.phase === 'busy'}>
          {add.state.phase === 'busy' ? t('actions.working') : t('remarks.send')}
        </button>
      </div>
      {add.state.phase === 'failed' && (
        <p className="tone-error" role="alert">
          {errText(add.state.error)}
        </p>
      )}
    </form>
  )
}
