import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { PrinterInfo } from '@shared/contract/labels'
import { useApp } from '../../context'
import { useAction } from '../../lib/useAction'
import { useErrorText } from '../../lib/errors'

/** "" in the picker: no printer, labels are saved as exact-size PDF files from the label dialog. */
const PDF = ''

/**
 * The printers this desk sees (CUPS queues and those set up in Guichet, the same printers.list
 * the label dialog reads) and the one labels go to by default; "save as PDF" when there is none.
 */
export function PrinterSettings() {
  const { t } = useTranslation()
  const errText = useErrorText()
  const { api } = useApp()
  const [printers, setPrinters] = useState<PrinterInfo[] | null>(null)
  const [listError, setListError] = useState<string | null>(null)
  const [chosen, setChosen] = useState(PDF)
  const [message, setMessage] = useState<string | null>(null)
  useEffect(() => {
    void api.printers.list().then((r) => (r.ok ? setPrinters(r.value) : (setPrinters([]), setListError(errText(r.error)))))
    void api.settings.get().then((r) => r.ok && setChosen(r.value.labelPrinter ?? PDF))
  }, [api, errText])
  const save = useAction(useCallback(() => api.settings.update({ labelPrinter: chosen || null }), [api, chosen]))
  const details = (p: PrinterInfo) =>
    [t(`settings.labelPrinter.driver.${p.driver}`), p.format.toUpperCase(), p.size, p.dpi ? `${p.dpi} dpi` : ''].filter(Boolean).join(' · ')

  return (
    <section className="card" aria-labelledby="printers-title" data-testid="printer-settings">
      <h3 id="printers-title">{t('settings.printers')}</h3>
      {listError && <p className="tone-error">{listError}</p>}
      {printers?.length === 0 && (
        <p className="muted" data-testid="printers-none">
          {t('settings.labelPrinter.none')}
        </p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault()
          setMessage(null)
          void save.trigger()
        }}
      >
        <fieldset data-testid="label-printer-picker">
          <legend>{t('settings.labelPrinter.title')}</legend>
          {(printers ?? []).map((p) => (
            <div key={p.id} className="printer-choice">
              <label>
                <input type="radio" name="label-printer" value={p.id} checked={chosen === p.id} onChange={() => setChosen(p.id)} />{' '}
                <strong>
                  <bdi dir="ltr">{p.name}</bdi>
                </strong>{' '}
                <span className="muted">
                  {details(p)}
                  {p.isDefault && ` · ${t('settings.labelPrinter.systemDefault')}`}
                </span>
              </label>{' '}
              <button
                type="button"
                className="link"
                onClick={() =>
                  void api.printers
                    .testPrint({ printerId: p.id })
                    .then((r) => setMessage(r.ok ? t('settings.testSent', { printer: p.name }) : errText(r.error)))
                }
              >
                {t('settings.testPrint')}
              </button>
            </div>
          ))}
          <label className="printer-choice">
            <input type="radio" name="label-printer" value={PDF} checked={chosen === PDF} onChange={() => setChosen(PDF)} />{' '}
            {t('settings.labelPrinter.pdf')}
          </label>
        </fieldset>
        <p className="muted">{t('settings.labelPrinter.pdfHelp')}</p>
        <button type="submit" className="primary" disabled={save.state.phase === 'busy'} data-testid="label-printer-save">
          {t('settings.save')}
        </button>{' '}
        <span role="status" data-testid="label-printer-outcome">
          {save.state.phase === 'done' && <span className="tone-ok">{t('settings.saved')}</span>}
          {save.state.phase === 'failed' && <span className="tone-error">{errText(save.state.error)}</span>}
          {message}
        </span>
      </form>
    </section>
  )
}
