import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Shipment } from '@shared/domain'
import type { LabelPreview, PrinterInfo } from '@shared/contract/labels'
import { useApp } from '../../context'
import { useAction } from '../../lib/useAction'
import { formatDateTime } from '../../lib/format'
import { useErrorText } from '../../lib/errors'
import { labelWarningText } from '../../lib/labelWarnings'

/**
 * Preview and print. The preview is the very SVG the PDF path prints. A label already printed
 * asks "reprint?" instead of printing twice.
 */
export function LabelDialog({ shipment, onClose }: { shipment: Shipment; onClose: () => void }) {
  const { t, i18n } = useTranslation()
  const errText = useErrorText()
  const { api, ui } = useApp()
  const [noSender, setNoSender] = useState(false)
  const dialog = useRef<HTMLDialogElement>(null)
  const [preview, setPreview] = useState<LabelPreview | null>(null)
  const [previewError, setPreviewError] = useState<string | null>(null)
  const [printers, setPrinters] = useState<PrinterInfo[]>([])
  const [printerId, setPrinterId] = useState('')
  const [confirmReprint, setConfirmReprint] = useState(false)

  useEffect(() => {
    dialog.current?.showModal()
    // Read now, not from boot: the sender may have been set in Settings since.
    const settings = api.settings.get()
    void settings.then((r) => r.ok && setNoSender(!r.value.sender))
    void api.labels.preview({ shipmentId: shipment.id }).then((r) => (r.ok ? setPreview(r.value) : setPreviewError(errText(r.error))))
    void Promise.all([api.printers.list(), settings]).then(([r, s]) => {
      if (!r.ok) return
      setPrinters(r.value)
      // The label printer chosen in Settings first, then the system's default.
      const preferred = s.ok ? s.value.labelPrinter : null
      const chosen =
        r.value.find((p) => p.id === preferred) ?? r.value.find((p) => p.isDefault) ?? r.value.find((p) => p.configured) ?? r.value[0]
      if (chosen) setPrinterId(chosen.id)
    })
  }, [api, shipment.id, errText])

  const print = useAction(
    useCallback(
      async (reprint: boolean) => {
        const r = await api.labels.print({ shipmentId: shipment.id, printerId, reprint })
        if (!r.ok && r.error.code === 'conflict') setConfirmReprint(true)
        if (r.ok) setConfirmReprint(false)
        return r
      },
      [api, shipment.id, printerId]
    )
  )

  // "Save as PDF": the exact-size PDF main renders for printing, downloaded as a file.
  const savePdf = useAction(
    useCallback(async () => {
      const r = await api.labels.pdf({ shipmentId: shipment.id })
      if (r.ok) {
        const bytes = Uint8Array.from(atob(r.value.base64), (c) => c.charCodeAt(0))
        const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }))
        const a = document.createElement('a')
        a.href = url
        a.download = r.value.fileName
        a.click()
        setTimeout(() => URL.revokeObjectURL(url), 10_000)
      }
      return r
    }, [api, shipment.id])
  )

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="label-title" onClose={onClose} data-testid="label-dialog">
      <h2 id="label-title">{t('label.title')}</h2>
      {previewError && <p className="alert alert-error">{previewError}</p>}
      {preview?.svg && (
        <img
          className="label-preview"
          data-testid="label-preview"
          alt={t('label.previewAlt', { tracking: shipment.trackingNumber })}
          src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(preview.svg)}`}
          style={{ aspectRatio: preview.widthMm && preview.heightMm ? `${preview.widthMm} / ${preview.heightMm}` : undefined }}
        />
      )}
      {preview && !preview.svg && <p>{t('label.carrierFile', { format: preview.format.toUpperCase() })}</p>}
      {preview?.source === 'generated' && noSender && (
        <p className="alert alert-warning" data-testid="label-no-sender">
          {t('label.noSender')}{' '}
          <button type="button" className="link" onClick={() => (dialog.current?.close(), ui.getState().go('settings'))}>
            {t('label.toSettings')}
          </button>
        </p>
      )}
      {/* Main sends codes: each adapted field is said in the clerk's language, with what prints instead. */}
      {preview && preview.warnings.length > 0 && (
        <div className="alert alert-warning" data-testid="label-warnings">
          <strong>{t('label.adapted', { count: preview.warnings.length })}</strong>
          <ul>
            {preview.warnings.map((w, i) => (
              <li key={i} data-code={w.code}>
                {labelWarningText(t, w)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {preview?.lastPrintedAt && (
        <p className="muted">{t('label.lastPrinted', { when: formatDateTime(preview.lastPrintedAt, i18n.language) })}</p>
      )}
      {printers.length === 0 ? (
        <p className="muted" data-testid="no-printer">
          {t('label.noPrinterPdf')}
        </p>
      ) : (
        <label className="field">
          <span>{t('label.printer')}</span>
          <select value={printerId} onChange={(e) => setPrinterId(e.target.value)} data-testid="printer">
            {printers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} · {p.format.toUpperCase()} · {p.size}
              </option>
            ))}
          </select>
        </label>
      )}
      <p role="status" aria-live="polite" data-testid="print-outcome">
        {print.state.phase === 'busy' && t('label.printing')}
        {print.state.phase === 'done' && <span className="tone-ok">{t('label.printed', { printer: print.state.value.printerName })}</span>}
        {print.state.phase === 'failed' && print.state.error.code !== 'conflict' && (
          <span className="tone-error">{errText(print.state.error)}</span>
        )}
        {confirmReprint && <span className="tone-warn">{t('label.alreadyPrinted')}</span>}
        {savePdf.state.phase === 'done' && <span className="tone-ok">{t('label.pdfSaved', { file: savePdf.state.value.fileName })}</span>}
        {savePdf.state.phase === 'failed' && <span className="tone-error">{errText(savePdf.state.error)}</span>}
      </p>
      <div className="dialog-buttons">
        {confirmReprint ? (
          <button
            type="button"
            className="primary"
            data-testid="confirm-reprint"
            onClick={() => void print.trigger(true)}
            disabled={print.state.phase === 'busy'}
          >
            {t('label.reprint')}
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            data-testid="do-print"
            onClick={() => void print.trigger(false)}
            disabled={!printerId || print.state.phase === 'busy'}
          >
            {t('label.print')}
          </button>
        )}
        <button type="button" data-testid="save-pdf" onClick={() => void savePdf.trigger()} disabled={savePdf.state.phase === 'busy'}>
          {t('label.savePdf')}
        </button>
        <button type="button" onClick={() => dialog.current?.close()}>
          {t('label.close')}
        </button>
      </div>
    </dialog>
  )
}
