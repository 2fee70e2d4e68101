import { useCallback, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { CARRIER_NAMES, FINAL_STATUSES, RETURN_REQUEST_CARRIERS, type CarrierId, type Shipment } from '@shared/domain'
import { returnRefusal, type CounterStatus } from '@shared/counter'
import type { RefreshResult } from '@shared/contract/poller'
import type { Result } from '@shared/result'
import { useApp } from '../../context'
import { useAction } from '../../lib/useAction'
import { LabelDialog } from './LabelDialog'
import { useErrorText } from '../../lib/errors'

/**
 * Carriers whose tracking Guichet cannot read: no published contract for it (Swiss Post: the DCAPI
 * covers addressing and labels only; its client answers every track call `unsupported`).
 */
export const TRACKING_UNSUPPORTED: ReadonlySet<CarrierId> = new Set<CarrierId>(['swisspost'])

/** Says in words what a refresh did, including a wait caused by the carrier's rate budget. */
function refreshOutcome(
  r: RefreshResult,
  t: (k: string, o?: Record<string, unknown>) => string,
  errText: (e: { code: string }) => string
): { tone: 'ok' | 'warn' | 'error'; text: string } {
  if (r.failed.length) return { tone: 'error', text: t('actions.refreshFailed', { message: errText(r.failed[0]!) }) }
  const wait = r.waiting[0]
  if (wait) {
    if (wait.reason === 'rate_limit')
      return { tone: 'warn', text: t('actions.refreshRateLimited', { seconds: Math.ceil((wait.retryAfterMs ?? 0) / 1000) }) }
    if (wait.reason === 'offline') return { tone: 'warn', text: t('actions.refreshOffline') }
    return { tone: 'warn', text: t('actions.refreshPaused') }
  }
  if (r.notFound.length) return { tone: 'error', text: t('actions.refreshNotFound') }
  return r.changed.length ? { tone: 'ok', text: t('actions.refreshChanged') } : { tone: 'ok', text: t('actions.refreshUnchanged') }
}

export function ActionBar({
  shipment,
  counter,
  onChanged
}: {
  shipment: Shipment
  /** What happened at this desk: a parcel handed over or on its way back takes no return request. */
  counter?: CounterStatus | null
  onChanged: () => void
}) {
  const noReturn = returnRefusal(counter ?? null)
  const { t } = useTranslation()
  const errText = useErrorText()
  const { api } = useApp()
  const [labelOpen, setLabelOpen] = useState(false)
  // A return goes to the carrier and cannot be taken back: the first click asks, the second sends.
  const [confirmReturn, setConfirmReturn] = useState(false)
  const canReturn = RETURN_REQUEST_CARRIERS.has(shipment.carrier) && !FINAL_STATUSES.has(shipment.unifiedStatus)

  const refresh = useAction(
    useCallback(async (): Promise<Result<RefreshResult>> => {
      const r = await api.shipments.refresh({ ids: [shipment.id] })
      onChanged()
      return r
    }, [api, shipment.id, onChanged])
  )
  const askReturn = useAction(
    useCallback(async () => {
      const r = await api.returns.request({ shipmentId: shipment.id })
      onChanged()
      return r
    }, [api, shipment.id, onChanged])
  )

  const refreshMsg = refresh.state.phase === 'done' ? refreshOutcome(refresh.state.value, t, errText) : null
  return (
    <div className="actions" role="group" aria-label={t('actions.title')}>
      {TRACKING_UNSUPPORTED.has(shipment.carrier) ? (
        // Said where the clerk reaches for it, not a refresh that fails with a code.
        <span className="muted" data-testid="refresh-unsupported">
          {t('actions.refreshUnsupported', { carrier: CARRIER_NAMES[shipment.carrier] })}
        </span>
      ) : (
        <button
          type="button"
          data-testid="refresh"
          onClick={() => void refresh.trigger()}
          disabled={refresh.state.phase === 'busy'}
          aria-keyshortcuts="Alt+R"
        >
          {refresh.state.phase === 'busy' ? t('actions.refreshing') : t('actions.refresh')}
        </button>
      )}
      {noReturn ? (
        <span className="muted" data-testid="request-return-why">
          {t(`status.counter.noReturn.${noReturn}`)}
        </span>
      ) : (
        canReturn &&
        !confirmReturn && (
          <button
            type="button"
            data-testid="request-return"
            onClick={() => setConfirmReturn(true)}
            disabled={askReturn.state.phase === 'busy' || askReturn.state.phase === 'done'}
          >
            {askReturn.state.phase === 'busy' ? t('actions.working') : t('actions.requestReturn')}
          </button>
        )
      )}
      {!noReturn && canReturn && confirmReturn && (
        <span className="confirm" role="group" aria-label={t('actions.confirmReturn')}>
          <span>{t('actions.confirmReturn')}</span>{' '}
          <button
            type="button"
            className="primary"
            data-testid="confirm-return"
            autoFocus
            onClick={() => {
              setConfirmReturn(false)
              void askReturn.trigger()
            }}
          >
            {t('actions.confirmReturnYes')}
          </button>{' '}
          <button type="button" data-testid="cancel-return" onClick={() => setConfirmReturn(false)}>
            {t('actions.cancel')}
          </button>
        </span>
      )}
      <button type="button" data-testid="print-label" onClick={() => setLabelOpen(true)} aria-keyshortcuts="Alt+P">
        {t('actions.printLabel')}
      </button>
      <p className="action-outcome" role="status" aria-live="polite" data-testid="action-outcome">
        {refresh.state.phase === 'failed' && <span className="tone-error">{errText(refresh.state.error)}</span>}
        {refreshMsg && <span className={`tone-${refreshMsg.tone}`}>{refreshMsg.text}</span>}
        {askReturn.state.phase === 'done' && <span className="tone-ok">{t('actions.returnQueued')}</span>}
        {askReturn.state.phase === 'failed' && <span className="tone-error">{errText(askReturn.state.error)}</span>}
      </p>
      {labelOpen && <LabelDialog shipment={shipment} onClose={() => setLabelOpen(false)} />}
    </div>
  )
}
