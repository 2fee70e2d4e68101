// The counter's rules that every process shares: which shelf parcels a hand-over proposes and
// why, what cash on delivery needs before a hand-over, how a counter step is written into the
// shipment's one timeline, what Guichet itself says of a parcel at this desk, and which actions
// the shipment view still offers. Plain data only: no I/O here.
import type { EventKind, TrackingEvent, UnifiedStatus } from './domain'
import { phoneDigits } from './scan'

// ---- counter steps in the shipment's timeline ---------------------------------------------------

/** The counter steps that become events of the shipment (source 'counter'). */
export const COUNTER_STEPS = ['checkin', 'handover', 'dropoff', 'return_prepared', 'collected'] as const
export type CounterStep = (typeof COUNTER_STEPS)[number]

/** The native status a counter event is stored under: Guichet's own words, never a carrier's. */
export const counterNative = (step: CounterStep): string => `GUICHET_${step.toUpperCase()}`

/** What each step means in Guichet's unified vocabulary (its own status, beside the carrier's). */
export const COUNTER_STEP_STATUS: Record<CounterStep, { unified: UnifiedStatus; kind: EventKind }> = {
  checkin: { unified: 'shipping_in_progress', kind: 'waiting_at_point' },
  handover: { unified: 'delivered', kind: 'status' },
  dropoff: { unified: 'shipping_in_progress', kind: 'info' },
  return_prepared: { unified: 'return', kind: 'return_request' },
  collected: { unified: 'return', kind: 'status' }
}

/** A counter step as a timeline event: location is the shelf slot, waybill the document's number. */
export interface CounterStepEvent {
  step: CounterStep
  at: number
  slot?: string | null
  document?: string | null
}

export function counterStepOf(e: Pick<TrackingEvent, 'source' | 'nativeStatus'>): CounterStep | null {
  if (e.source !== 'counter') return null
  return COUNTER_STEPS.find((s) => counterNative(s) === e.nativeStatus) ?? null
}

/** What Guichet says of the parcel at this desk: its latest counter step, with slot and document. */
export interface CounterStatus {
  step: CounterStep
  at: string
  slot: string | null
  document: string | null
}

/** The latest counter step of a timeline (events in any order), or null if the desk never saw it. */
export function counterStatusOf(events: readonly TrackingEvent[]): CounterStatus | null {
  let best: TrackingEvent | null = null
  for (const e of events) {
    if (!counterStepOf(e)) continue
    if (!best || e.at > best.at || (e.at === best.at && e.id > best.id)) best = e
  }
  if (!best) return null
  return { step: counterStepOf(best)!, at: best.at, slot: best.location, document: best.waybill }
}

/** Why the shipment view does not offer "request return": the parcel already left or is going back. */
type ReturnRefusal = 'handed_over' | 'already_returning' | null

export function returnRefusal(status: CounterStatus | null): ReturnRefusal {
  if (!status) return null
  if (status.step === 'handover') return 'handed_over'
  if (status.step === 'return_prepared' || status.step === 'collected' || status.step === 'dropoff') return 'already_returning'
  return null
}

// ---- who else is the same customer ---------------------------------------------------------------

export interface ShelfPerson {
  id: number
  recipientName: string | null
  recipientPhone: string | null
}

/** Why a shelf parcel is proposed with the one the customer asked for. */
export type MatchReason = 'asked' | 'same_phone' | 'same_name'

/** The last nine digits: the same number written +212 6…, 06… or 6… */
export const phoneTail = (p: string | null): string => (p ? phoneDigits(p).slice(-9) : '')

export const foldName = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()

/**
 * The hand-over proposes, never assumes. What was asked for (scan, code, phone, name) comes
 * ticked; other shelf parcels of the same phone come unticked, as "same phone"; a parcel that
 * shares only the name is a weaker match ("same name", unticked too) and only when the asked
 * parcels have no phone to compare, since a common name alone says little.
 */
export function proposeHandover(
  asked: readonly ShelfPerson[],
  shelf: readonly ShelfPerson[]
): Array<{ id: number; reason: MatchReason; ticked: boolean }> {
  const askedIds = new Set(asked.map((a) => a.id))
  const phones = new Set(asked.map((a) => phoneTail(a.recipientPhone)).filter((p) => p.length >= 6))
  const names = new Set(asked.map((a) => (a.recipientName ? foldName(a.recipientName) : '')).filter(Boolean))
  const out: Array<{ id: number; reason: MatchReason; ticked: boolean }> = asked.map((a) => ({ id: a.id, reason: 'asked', ticked: true }))
  for (const p of shelf) {
    if (askedIds.has(p.id)) continue
    const tail = phoneTail(p.recipientPhone)
    if (tail && phones.has(tail)) out.push({ id: p.id, reason: 'same_phone', ticked: false })
    else if (phones.size === 0 && p.recipientName && names.has(foldName(p.recipientName)))
      out.push({ id: p.id, reason: 'same_name', ticked: false })
  }
  return out
}

// ---- cash on delivery ----------------------------------------------------------------------------

export type CodMethod = 'cash' | 'card'

/** What the hand-over form says about the COD before it can be sent. */
type CodCheck =
  | { state: 'none' }
  | { state: 'unconfirmed'; dueCents: number }
  | { state: 'short'; dueCents: number; amountCents: number }
  | { state: 'ok'; dueCents: number; amountCents: number; method: CodMethod }

export const toCents = (amount: number): number => Math.round(amount * 100)

/**
 * COD is collected only on an explicit confirmation: the amount typed by the clerk (never
 * prefilled) and the method chosen. A typed amount below what is due is "short" (needs a reason).
 */
export function checkCod(dueAmount: number, typed: { amount: string | number | null; method: CodMethod | null }): CodCheck {
  const dueCents = toCents(dueAmount)
  if (dueCents <= 0) return { state: 'none' }
  const raw = typeof typed.amount === 'string' ? typed.amount.replace(',', '.').trim() : typed.amount
  if (raw === null || raw === '' || typed.method === null) return { state: 'unconfirmed', dueCents }
  const n = Number(raw)
  if (!Number.isFinite(n) || n < 0) return { state: 'unconfirmed', dueCents }
  const amountCents = toCents(n)
  if (amountCents < dueCents) return { state: 'short', dueCents, amountCents }
  return { state: 'ok', dueCents, amountCents, method: typed.method }
}

// ---- document numbers ----------------------------------------------------------------------------

/** R receipt, D return drop-off, P return-to-sender list, M driver collection manifest. */
export type DocumentType = 'R' | 'D' | 'P' | 'M'

/** "R-20261203-001": the type, the counter's local day, and the rank of the document that day. */
export function documentNumber(type: DocumentType, day: string, seq: number): string {
  return `${type}-${day.replace(/-/g, '')}-${String(seq).padStart(3, '0')}`
}
