import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { CARRIER_NAMES, type Shipment } from '@shared/domain'
import {
  AGGREGATORS,
  type AggregatorId,
  type AggregatorOrderInfo,
  type ForwardingEntry,
  type WebhookReceiverStatus
} from '@shared/contract/aggregators'
import type { Result } from '@shared/result'
import { useApp } from '../../context'
import { useAction } from '../../lib/useAction'
import { formatDateTime } from '../../lib/format'
import { LabelDialog } from '../shipment/LabelDialog'
import { PointSteps } from './PointSteps'
import { useErrorText } from '../../lib/errors'

interface Draft {
  carrier: AggregatorId
  account: string
  reference: string
  name: string
  phone: string
  address: string
  city: string
  state: string
  pincode: string
  item: string
  sku: string
  units: string
  price: string
  payment: 'prepaid' | 'cod'
  weightGrams: string
}

const emptyDraft = (account: string): Draft => ({
  carrier: 'shiprocket',
  account,
  reference: '',
  name: '',
  phone: '',
  address: '',
  city: '',
  state: '',
  pincode: '',
  item: '',
  sku: '',
  units: '1',
  price: '',
  payment: 'prepaid',
  weightGrams: '500'
})

/** The warehouse desk: orders to the aggregators (seed 002), forward and return, with labels. */
export function WarehouseView({ onOpen }: { onOpen: (id: number) => void }) {
  const { t, i18n } = useTranslation()
  const errText = useErrorText()
  const { api, info } = useApp()
  const [orders, setOrders] = useState<AggregatorOrderInfo[]>([])
  const [receiver, setReceiver] = useState<WebhookReceiverStatus | null>(null)
  const [forwards, setForwards] = useState<ForwardingEntry[]>([])
  const [draft, setDraft] = useState<Draft>(emptyDraft(info.demo ? 'demo' : 'default'))
  const [labelFor, setLabelFor] = useState<number | null>(null)
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null)
  const [tick, setTick] = useState(0)
  const reload = () => setTick((n) => n + 1)

  useEffect(() => {
    let live = true
    void api.orders.list({ limit: 200 }).then((r) => live && r.ok && setOrders(r.value))
    void api.webhooks.status().then((r) => live && r.ok && setReceiver(r.value))
    void api.forwarding.log({ limit: 20 }).then((r) => live && r.ok && setForwards(r.value))
    return () => {
      live = false
    }
  }, [api, tick])

  // One action at a time per screen; each says its outcome.
  const act = useAction(
    useCallback(
      async (run: () => Promise<Result<unknown>>, done: string) => {
        const r = await run()
        setMessage(r.ok ? { tone: 'ok', text: done } : { tone: 'error', text: errText(r.error) })
        reload()
        return r
      },
      [errText]
    )
  )

  const create = useAction(
    useCallback(async () => {
      const r = await api.orders.create({
        carrier: draft.carrier,
        account: draft.account.trim(),
        order: {
          reference: draft.reference.trim(),
          recipient: {
            name: draft.name,
            phone: draft.phone,
            address: draft.address,
            city: draft.city,
            state: draft.state,
            pincode: draft.pincode
          },
          items: [{ name: draft.item, sku: draft.sku, units: Number(draft.units), price: Number(draft.price) }],
          payment: draft.payment,
          weightGrams: Number(draft.weightGrams),
          lengthCm: 20,
          breadthCm: 15,
          heightCm: 10
        }
      })
      if (r.ok) setDraft(emptyDraft(draft.account))
      reload()
      return r
    }, [api, draft])
  )

  const input = (k: keyof Draft, ltr = false) => (
    <label className="field" key={k}>
      <span>{t(`warehouse.field.${k}`)}</span>
      <input
        dir={ltr ? 'ltr' : 'auto'}
        value={draft[k]}
        onChange={(e) => setDraft({ ...draft, [k]: e.target.value })}
        data-testid={`order-${k}`}
      />
    </label>
  )

  return (
    <section aria-labelledby="warehouse-title" data-testid="warehouse-view">
      <h2 id="warehouse-title">{t('warehouse.title')}</h2>
      <p role="status" aria-live="polite" data-testid="warehouse-outcome">
        {act.state.phase === 'busy' && t('actions.working')}
        {message && <span className={`tone-${message.tone}`}>{message.text}</span>}
      </p>

      <table className="timeline list" data-testid="orders-table">
        <thead>
          <tr>
            <th scope="col">{t('warehouse.reference')}</th>
            <th scope="col">{t('parcels.carrier')}</th>
            <th scope="col">{t('warehouse.awb')}</th>
            <th scope="col">{t('warehouse.state')}</th>
            <th scope="col">{t('shipment.created')}</th>
            <th scope="col">{t('actions.title')}</th>
          </tr>
        </thead>
        <tbody>
          {orders.map((o) => (
            <tr key={o.id} data-reference={o.reference}>
              <td className="code" dir="ltr">
                {o.reference}
                {o.direction === 'return' && <span className="chip">{t('shipment.return')}</span>}
              </td>
              <td>
                {CARRIER_NAMES[o.carrier]} · {o.account}
              </td>
              <td className="code" dir="ltr">
                {o.awb ?? '—'} {o.courier && <span className="muted">{o.courier}</span>}
              </td>
              <td>
                <span className={`chip chip-${o.state === 'created' ? 'sent' : o.state === 'failed' ? 'failed' : 'pending'}`}>
                  {t(`warehouse.states.${o.state}`)}
                </span>
                {o.lastError && <div className="tone-error">{errText(o.lastError)}</div>}
              </td>
              <td className="nowrap">{formatDateTime(o.createdAt, i18n.language)}</td>
              <td className="row-buttons">
                {o.shipmentId && !o.awb && o.state === 'created' && (
                  <button
                    type="button"
                    data-testid="assign-awb"
                    onClick={() => void act.trigger(() => api.orders.assignAwb({ shipmentId: o.shipmentId! }), t('warehouse.awbAssigned'))}
                  >
                    {t('warehouse.assignAwb')}
                  </button>
                )}
                {o.shipmentId && o.awb && (
                  <button
                    type="button"
                    data-testid="order-label"
                    onClick={async () => {
                      const r = await act.trigger(() => api.orders.label({ shipmentId: o.shipmentId! }), t('warehouse.labelFetched'))
                      if (r?.ok) setLabelFor(o.shipmentId!)
                    }}
                  >
                    {t('actions.printLabel')}
                  </button>
                )}
                {o.shipmentId && o.awb && o.direction === 'forward' && (
                  <button
                    type="button"
                    data-testid="create-return"
                    onClick={() =>
                      void act.trigger(() => api.returns.createAwb({ shipmentId: o.shipmentId! }), t('warehouse.returnCreated'))
                    }
                  >
                    {t('warehouse.createReturn')}
                  </button>
                )}
                {o.shipmentId && o.state === 'created' && (
                  <button
                    type="button"
                    onClick={() => void act.trigger(() => api.orders.cancel({ shipmentId: o.shipmentId! }), t('warehouse.cancelled'))}
                  >
                    {t('warehouse.cancel')}
                  </button>
                )}
                {o.shipmentId && (
                  <button type="button" className="link" onClick={() => onOpen(o.shipmentId!)}>
                    {t('outbox.open')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {orders.length === 0 && <p className="empty">{t('warehouse.noOrders')}</p>}

      <form
        className="card"
        aria-labelledby="new-order-title"
        onSubmit={(e) => {
          e.preventDefault()
          void create.trigger()
        }}
      >
        <h3 id="new-order-title">{t('warehouse.newOrder')}</h3>
        <div className="filters">
          <label className="field">
            <span>{t('parcels.carrier')}</span>
            <select
              value={draft.carrier}
              onChange={(e) => setDraft({ ...draft, carrier: e.target.value as AggregatorId })}
              data-testid="order-carrier"
            >
              {AGGREGATORS.map((c) => (
                <option key={c} value={c}>
                  {CARRIER_NAMES[c]}
                </option>
              ))}
            </select>
          </label>
          {input('account', true)}
          {input('reference', true)}
        </div>
        <div className="filters">
          {input('name')}
          {input('phone', true)}
          {input('address')}
          {input('city')}
          {input('state')}
          {input('pincode', true)}
        </div>
        <div className="filters">
          {input('item')}
          {input('sku', true)}
          {input('units', true)}
          {input('price', true)}
          <label className="field">
            <span>{t('warehouse.field.payment')}</span>
            <select value={draft.payment} onChange={(e) => setDraft({ ...draft, payment: e.target.value as Draft['payment'] })}>
              <option value="prepaid">{t('warehouse.prepaid')}</option>
              <option value="cod">{t('warehouse.cod')}</option>
            </select>
          </label>
          {input('weightGrams', true)}
        </div>
        <button type="submit" className="primary" disabled={create.state.phase === 'busy'} data-testid="order-create">
          {create.state.phase === 'busy' ? t('actions.working') : t('warehouse.create')}
        </button>{' '}
        <span role="status" data-testid="order-outcome">
          {create.state.phase === 'done' && (
            <span className="tone-ok">{t('warehouse.created', { reference: create.state.value.reference })}</span>
          )}
          {create.state.phase === 'failed' && <span className="tone-error">{errText(create.state.error)}</span>}
        </span>
      </form>

      <section className="card" aria-labelledby="receiver-title">
        <h3 id="receiver-title">{t('warehouse.receiver')}</h3>
        {receiver && (
          <p data-testid="receiver-status">
            {receiver.enabled
              ? receiver.listening
                ? t('warehouse.receiverOn', { url: receiver.baseUrl ?? '' })
                : t('warehouse.receiverNotListening')
              : t('warehouse.receiverOff')}{' '}
            {receiver.problem && <span className="tone-error">{errText(receiver.problem)}</span>}
          </p>
        )}
        <button
          type="button"
          onClick={() => void act.trigger(() => api.webhooks.configure({ enabled: !receiver?.enabled }), t('settings.saved'))}
        >
          {receiver?.enabled ? t('warehouse.receiverDisable') : t('warehouse.receiverEnable')}
        </button>
        <h4>{t('warehouse.forwarding')}</h4>
        {forwards.length === 0 ? (
          <p className="muted">{t('warehouse.noForwards')}</p>
        ) : (
          <ul>
            {forwards.map((f) => (
              <li key={f.id}>
                <span className={`chip chip-${f.state}`}>{t(`outbox.state.${f.state}`)}</span> <span dir="ltr">{f.url}</span>{' '}
                {f.trackingNumber && <span className="code">{f.trackingNumber}</span>}{' '}
                {f.lastError && <span className="tone-error">{errText(f.lastError)}</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
      {/* Many desks, one network: the points' check-ins and hand-overs come back here through the hub. */}
      <PointSteps />
      {labelFor !== null && <LabelDialogFor shipmentId={labelFor} onClose={() => setLabelFor(null)} />}
    </section>
  )
}

/** The label dialog needs the shipment; fetch it, then show the usual preview and print. */
function LabelDialogFor({ shipmentId, onClose }: { shipmentId: number; onClose: () => void }) {
  const { api } = useApp()
  const [shipment, setShipment] = useState<Shipment | null>(null)
  useEffect(() => void api.shipments.get({ id: shipmentId }).then((r) => r.ok && setShipment(r.value.shipment)), [api, shipmentId])
  return shipment ? <LabelDialog shipment={shipment} onClose={onClose} /> : null
}
