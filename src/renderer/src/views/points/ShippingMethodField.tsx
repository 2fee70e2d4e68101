import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AccountInfo } from '@shared/contract/accounts'
import { useApp } from '../../context'

/**
 * Sendcloud prints the label for a shipping method. The client sends the one chosen here, else
 * the account's `shippingMethodId` option, else none (Sendcloud then picks). The methods this desk
 * uses are listed in the account's `shippingMethods` option ("8:PostNL Standard, 1343:DPD Home");
 * any other ID can be typed.
 */
function parseMethods(option: unknown): Array<{ id: number; name: string }> {
  if (typeof option !== 'string') return []
  return option
    .split(/[,;\n]/)
    .map((part) => /^\s*(\d+)\s*[:=]\s*(.+?)\s*$/.exec(part))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ id: Number(m[1]), name: m[2]! }))
}

export function ShippingMethodField({ account, onChange }: { account: string; onChange: (id: number | undefined) => void }) {
  const { t } = useTranslation()
  const { api } = useApp()
  const [info, setInfo] = useState<AccountInfo | null>(null)
  const [choice, setChoice] = useState('')
  const [other, setOther] = useState('')

  useEffect(() => {
    let live = true
    void api.accounts.list().then((r) => {
      if (live && r.ok) setInfo(r.value.find((a) => a.carrier === 'sendcloud' && a.alias === account) ?? null)
    })
    return () => {
      live = false
    }
  }, [api, account])

  const fallback = Number(info?.options.shippingMethodId) || null
  const methods = parseMethods(info?.options.shippingMethods)
  const pick = (value: string, typed = other) => {
    setChoice(value)
    if (value === 'other') onChange(/^\d{1,9}$/.test(typed.trim()) ? Number(typed.trim()) : undefined)
    else onChange(value ? Number(value) : undefined)
  }

  return (
    <div className="field-row">
      <label className="field">
        <span>{t('points.shippingMethod')}</span>
        <select value={choice} onChange={(e) => pick(e.target.value)} data-testid="to-point-shipping-method">
          <option value="">{fallback ? t('points.methodDefault', { id: fallback }) : t('points.methodCarrier')}</option>
          {methods.map((m) => (
            <option key={m.id} value={String(m.id)}>
              {m.name} ({m.id})
            </option>
          ))}
          <option value="other">{t('points.methodOther')}</option>
        </select>
      </label>
      {choice === 'other' && (
        <label className="field">
          <span>{t('points.methodId')}</span>
          <input
            inputMode="numeric"
            dir="ltr"
            value={other}
            data-testid="to-point-shipping-method-id"
            onChange={(e) => (setOther(e.target.value), pick('other', e.target.value))}
          />
        </label>
      )}
    </div>
  )
}
