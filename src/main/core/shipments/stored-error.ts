// A shipment's last tracking error, as stored in `shipments.last_error` (TEXT): JSON
// `{message, field?, params?, carrier}`, as the outbox stores its own, so the carrier's reason (the
// field it refused, its code, the HTTP status) reaches the clerk's screen worded in their language.
// Rows written before this hold a bare message: read as such. No migration: same column, same type.
import type { CarrierId, ShipmentError } from '../../../shared/domain'
import type { ErrorParams } from '../../../shared/result'

interface ErrorDetail {
  message: string
  field?: string
  params?: ErrorParams
}

export function encodeShipmentError(e: ErrorDetail, carrier: CarrierId): string {
  return JSON.stringify({ message: e.message, ...(e.field ? { field: e.field } : {}), ...(e.params ? { params: e.params } : {}), carrier })
}

function parse(s: string): unknown {
  try {
    return JSON.parse(s)
  } catch {
    return null
  }
}

export function decodeShipmentError(code: string | null, stored: string | null, at: string): ShipmentError | null {
  if (!stored) return null
  const base = { code: code ?? 'carrier_error', at }
  const j = stored.startsWith('{') ? parse(stored) : null
  if (!j || typeof j !== 'object' || typeof (j as { message?: unknown }).message !== 'string') return { ...base, message: stored }
  const d = j as { message: string; field?: unknown; params?: unknown; carrier?: unknown }
  const params: ErrorParams = {}
  if (d.params && typeof d.params === 'object')
    for (const [k, v] of Object.entries(d.params)) if (typeof v === 'string' || typeof v === 'number') params[k] = v
  return {
    ...base,
    message: d.message,
    ...(typeof d.carrier === 'string' ? { carrier: d.carrier as CarrierId } : {}),
    ...(typeof d.field === 'string' ? { field: d.field } : {}),
    ...(Object.keys(params).length ? { params } : {})
  }
}
