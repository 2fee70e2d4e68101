import type { TFunction } from 'i18next'
import type { LabelWarning } from '@shared/label-warnings'

/** Which words name a label or address field ("recipient.name1" -> "Nom du destinataire"). */
export function labelFieldKey(field: string | undefined): string {
  const f = field ?? ''
  if (/^recipient\.(name|firstName|lastName)/.test(f)) return 'label.field.recipientName'
  if (f === 'recipient.phone') return 'label.field.recipientPhone'
  if (f.startsWith('recipient')) return 'label.field.recipientAddress'
  if (f.startsWith('sender')) return 'label.field.sender'
  if (f.startsWith('deliveryPoint')) return 'label.field.point'
  if (f === 'service' || f === 'marks' || f === 'facts') return `label.field.${f}`
  return 'label.field.other'
}

/** A run of the customer's own text, kept in its direction inside an Arabic sentence. */
const iso = (s: string | undefined): string => `\u2068${s ?? ''}\u2069`

/** A label warning in the clerk's language: main sends a code and its parameters, never a sentence. */
export function labelWarningText(t: TFunction, w: LabelWarning): string {
  const p = w.params
  switch (w.code) {
    case 'printed_as':
    case 'sent_as':
      return t(`label.warn.${w.code}`, { field: t(labelFieldKey(p.field)), from: iso(p.from), to: iso(p.to), chars: iso(p.chars) })
    case 'locker_unverified':
      return t('points.lockerUnverified', { status: iso(p.status) })
    case 'label_not_fetched':
      return t('label.warn.label_not_fetched', { carrier: p.carrier ?? '' })
    case 'carrier_note':
      return t('label.warn.carrier_note', { carrier: p.carrier ?? '', text: iso(p.text) })
    default:
      return t('label.warn.adapted')
  }
}
