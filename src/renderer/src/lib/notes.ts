// What the counter tells the clerk about each parcel's carrier after a hand-over or a return:
// main sends a code and its params, worded here in the clerk's language. A note from an older
// main (a bare sentence, or a code this version does not know) reads as a generic note, never as main wrote it.
import type { TFunction } from 'i18next'
import { CARRIER_NAMES, type CarrierId } from '@shared/domain'
import { CARRIER_NOTE_CODES, type CarrierNote } from '@shared/contract/counter'

// Tracking numbers stay left-to-right inside Arabic text.
const LRI = '\u2066'
const PDI = '\u2069'

function isNote(n: unknown): n is CarrierNote {
  if (!n || typeof n !== 'object') return false
  const { code, params } = n as { code?: unknown; params?: unknown }
  return (
    (CARRIER_NOTE_CODES as readonly unknown[]).includes(code) &&
    !!params &&
    typeof params === 'object' &&
    typeof (params as { tracking?: unknown }).tracking === 'string'
  )
}

export function carrierNoteText(t: TFunction, note: unknown): string {
  if (!isNote(note)) return t('counter.notes.generic')
  const { tracking, carrier } = note.params
  return t(`counter.notes.${note.code}`, {
    tracking: `${LRI}${tracking}${PDI}`,
    carrier: carrier ? (CARRIER_NAMES[carrier as CarrierId] ?? carrier) : t('errors.theCarrier')
  })
}
