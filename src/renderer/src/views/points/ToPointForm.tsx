import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { PickupPoint } from '@shared/points'
import type { ShipmentToPointResult, UserIdLookupResult } from '@shared/contract/points'
import { useApp } from '../../context'
import { useErrorText } from '../../lib/errors'
import { labelWarningText } from '../../lib/labelWarnings'
import { ShippingMethodField } from './ShippingMethodField'

type Keyed = PickupPoint & { key: string }
const FIELDS = ['orderReference', 'firstName', 'lastName', 'email', 'phone', 'street', 'houseNo', 'zip', 'city'] as const
type Field = (typeof FIELDS)[number]
const REQUIRED: ReadonlySet<Field> = new Set(['orderReference', 'firstName', 'lastName', 'email', 'zip', 'city'])

/** A parcel to this point: the customer (their home address stays the billing address), the User ID for Swiss Post, then the shipment. */
export function ToPointForm({ point, onOpen }: { point: Keyed; onOpen: (shipmentId: number) => void }) {
  const { t, i18n } = useTranslation()
  const errText = useErrorText()
  const { api } = useApp()
  const [v, setV] = useState<Record<Field, string>>({
    orderReference: '',
    firstName: '',
    lastName: '',
    email: '',
    phone: '',
    street: '',
    houseNo: '',
    zip: '',
    city: ''
  })
  const [postNumber, setPostNumber] = useState('')
  const [methodId, setMethodId] = useState<number | undefined>(undefined)
  const [user, setUser] = useState<UserIdLookupResult | null>(null)
  const [done, setDone] = useState<ShipmentToPointResult | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const swiss = point.carrier === 'swisspost'
  const locker = point.type === 'locker'
  const country = point.country || 'CH'
  // The words of the point's country: "NPA" and "Strasse" only for a Swiss point, never on a Moroccan form.
  const fieldLabel = (f: Field) =>
    country === 'CH' && i18n.exists(`points.fieldsCH.${f}`) ? t(`points.fieldsCH.${f}`) : t(`points.fields.${f}`)

  const customer = () => ({
    firstName: v.firstName,
    lastName: v.lastName,
    email: v.email,
    zip: v.zip,
    city: v.city,
    country,
    ...(v.phone.trim() ? { phone: v.phone } : {}),
    ...(v.street.trim() ? { street: v.street } : {}),
    ...(v.houseNo.trim() ? { houseNo: v.houseNo } : {})
  })
  const ready = [...REQUIRED].every((f) => v[f].trim())

  const lookupUser = async () => {
    setBusy(true)
    setError(null)
    const r = await api.swisspost.userId({ pointKey: point.key, orderReference: v.orderReference, customer: customer() })
    setBusy(false)
    if (r.ok) setUser(r.value)
    else setError(errText(r.error))
  }
  const create = async () => {
    setBusy(true)
    setError(null)
    const r = await api.shipments.createToPoint({
      pointKey: point.key,
      orderReference: v.orderReference,
      customer: customer(),
      ...(postNumber.trim() ? { postNumber } : {}),
      ...(methodId ? { shippingMethodId: methodId } : {})
    })
    setBusy(false)
    if (r.ok) setDone(r.value)
    else setError(errText(r.error))
  }

  return (
    <form
      className="to-point"
      aria-labelledby="to-point-title"
      data-testid="to-point-form"
      onSubmit={(e) => {
        e.preventDefault()
        void create()
      }}
    >
      <h4 id="to-point-title">{t('points.sendHere')}</h4>
      <fieldset disabled={busy || !!done}>
        <legend>{t('points.customer')}</legend>
        {FIELDS.map((f) => (
          <label key={f}>
            {fieldLabel(f)}
            {REQUIRED.has(f) ? ' *' : ''}
            <input
              value={v[f]}
              required={REQUIRED.has(f)}
              type={f === 'email' ? 'email' : 'text'}
              data-testid={`to-point-${f}`}
              onChange={(e) => {
                setV({ ...v, [f]: e.target.value })
                if (f === 'orderReference') setUser(null)
              }}
            />
          </label>
        ))}
        {!swiss && locker && (
          <label>
            {t('points.fields.postNumber')} *
            <input value={postNumber} onChange={(e) => setPostNumber(e.target.value)} data-testid="to-point-postNumber" required />
          </label>
        )}
        <p className="muted">{t('points.billingNote')}</p>
        {point.carrier === 'sendcloud' && <ShippingMethodField account={point.account} onChange={setMethodId} />}
      </fieldset>
      {swiss && (
        <p>
          <button type="button" onClick={() => void lookupUser()} disabled={busy || !ready || !!done} data-testid="lookup-user-id">
            {t('points.lookupUserId')}
          </button>
        </p>
      )}
      {user && (
        <div data-testid="user-id-result">
          <p>
            {t('points.userId')}: <code data-testid="user-id">{user.userId}</code> · {t('points.customerStatus')}:{' '}
            <span data-testid="customer-status">{user.customerStatus}</span>
            {user.newlyRegistered ? ` · ${t('points.newlyRegistered')}` : ''}
          </p>
          <p>
            {t('points.name2')}: <code data-testid="name2-preview">{`${user.keyword} ${user.userId}`}</code>
          </p>
          {user.warning && (
            <p className="alert alert-warning" role="alert" data-testid="locker-warning">
              {t('points.lockerUnverified', { status: user.customerStatus })}
            </p>
          )}
        </div>
      )}
      {error && (
        <p className="alert alert-error" role="alert" data-testid="to-point-error">
          {error}
        </p>
      )}
      {!done && (
        <button type="submit" className="primary" disabled={busy || !ready || (swiss && !user)} data-testid="create-to-point">
          {t('points.create')}
        </button>
      )}
      {done && (
        <div role="status" data-testid="to-point-done">
          <p>
            {t('points.created')} <code data-testid="created-tracking">{done.trackingNumber}</code>
            {done.name2 && (
              <>
                {' · '}
                <code data-testid="created-name2">{done.name2}</code>
              </>
            )}
          </p>
          {done.warnings.map((w, i) => (
            <p key={i} className="alert alert-warning" data-testid="created-warning" data-code={w.code}>
              {labelWarningText(t, w)}
            </p>
          ))}
          <button type="button" className="primary" onClick={() => onOpen(done.shipmentId)} data-testid="open-created">
            {t('points.openShipment')}
          </button>
        </div>
      )}
    </form>
  )
}
