// ECOTRACK wire shapes (seed 001, the Postman collection) and what the adapter derives from them:
// order input and row, business errors, Algiers time, the status entry read as NativeEvents,
// and the order rules checked before a call is spent.
import type { DeliveryPoint } from '../../../shared/domain'
import type { NativeEvent, TrackResult } from '../types'

export const ECOTRACK_BATCH = 100
export const ECOTRACK_CONTENT_MAX = 255

export interface EcotrackOrderInput {
  reference?: string
  nom_client: string
  telephone: string
  telephone_2?: string
  adresse: string
  code_postal?: string
  commune: string
  code_wilaya: number
  montant: number
  remarque?: string
  produit?: string
  boutique?: string
  type: 1 | 2 | 3 | 4
  stop_desk?: 0 | 1
  weight?: number
  fragile?: 0 | 1
  gps_link?: string
}

export interface EcotrackOrderRow {
  tracking: string
  reference: string | null
  client: string
  phone: string
  commune: string
  wilaya_id: number
  montant: string
  created_at: string
  status: string
  [k: string]: unknown
}

export interface Business {
  success?: boolean
  error?: number
  message?: string
}

/** "2021-03-04" + "22:32:47" in Algiers time (UTC+1, no DST) to ms. */
export function ecotrackTime(date: string, time = '00:00:00'): number {
  const t = Date.parse(`${date}T${time}+01:00`)
  return Number.isNaN(t) ? 0 : t
}

export interface EcoStatusEntry {
  status: string
  order_id?: string
  driver_phone?: string
  estimated_fee?: number
  desk_phone?: string
  desk_commune?: string
  desk_map_link?: string
  desk_address?: string
  activity?: Array<{
    reason?: string
    details?: string
    station?: string
    driver?: string
    date?: string
    time?: string
    postponed_to?: string | null
  }>
}

/** A remark (the merchant's add/maj or the station's) listed among the attempts: not an attempt. */
const isRemark = (reason: string | undefined) =>
  /^(ecrire une remarque|remarque)$/.test(
    (reason ?? '')
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .trim()
      .toLowerCase()
  )

export function statusToResult(t: string, e: EcoStatusEntry, now: number): TrackResult {
  // Delivery-attempt reasons: in ECOTRACK's activity-code words, an attempt_delivery.
  const events: NativeEvent[] = (e.activity ?? []).map((a) => ({
    at: ecotrackTime(a.date ?? '', a.time),
    nativeStatus: isRemark(a.reason) ? 'notification_on_order' : 'attempt_delivery',
    label: a.reason ?? null,
    comment: [a.details, a.postponed_to ? `reporté au ${a.postponed_to}` : ''].filter(Boolean).join(' — ') || null,
    location: a.station || null,
    dedupeKey: `${a.date} ${a.time} ${a.reason ?? ''}`
  }))
  const last = events.reduce((m, x) => Math.max(m, x.at), 0)
  const current: NativeEvent = { at: last || now, nativeStatus: e.status, dedupeKey: `status:${e.status}` }
  const point: DeliveryPoint | null = e.desk_address
    ? {
        id: `desk:${e.desk_commune ?? ''}`,
        name: e.desk_commune || 'Stop desk',
        address: e.desk_address,
        carrier: 'ecotrack',
        type: 'stop_desk'
      }
    : null
  const carrierData: Record<string, unknown> = {}
  for (const k of ['order_id', 'driver_phone', 'estimated_fee', 'desk_phone', 'desk_map_link'] as const)
    if (e[k] !== undefined && e[k] !== '') carrierData[k] = e[k]
  return { trackingNumber: t, ok: true, events, current, point, carrierData }
}

/** Checks the rules the API enforces, so the clerk hears about them before a call is spent. */
export function checkOrder(i: EcotrackOrderInput): { field: string; message: string } | null {
  for (const k of ['nom_client', 'telephone', 'adresse', 'commune'] as const)
    if (!String(i[k] ?? '').trim()) return { field: k, message: `${k} is required` }
  for (const k of ['reference', 'nom_client', 'adresse', 'commune', 'remarque', 'produit', 'boutique'] as const) {
    const v = i[k]
    if (v && v.length > 255) return { field: k, message: `${k} is at most 255 characters` }
  }
  for (const k of ['telephone', 'telephone_2'] as const) {
    const v = i[k]
    if (v !== undefined && v !== '' && !/^\d{9,10}$/.test(v)) return { field: k, message: `${k} must be 9 to 10 digits` }
  }
  if (!Number.isInteger(i.code_wilaya) || i.code_wilaya < 1 || i.code_wilaya > 58)
    return { field: 'code_wilaya', message: 'code_wilaya must be between 1 and 58' }
  if (![1, 2, 3, 4].includes(i.type)) return { field: 'type', message: 'type must be 1 to 4' }
  if (!Number.isFinite(i.montant) || i.montant < 0) return { field: 'montant', message: 'montant must be a positive amount' }
  return null
}
