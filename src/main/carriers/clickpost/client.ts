// The Clickpost adapter (contract note §5.2): username + key in the query string (so redacted
// from every URL in errors and logs), the {meta, result} envelope, create order v3 (AWB and label
// URL come back at once; a repeat is refused with service code 323), track-order (many waybills
// per call), label fetch, cancel. Forward and return (delivery_type RVP) use the same create.
import { CARRIER_NAMES } from '../../../shared/domain'
import { HttpClient, type HttpRequest } from '../http/client'
import type { AggregatorDepsExtra } from '../shiprocket/client'
import { CarrierError, type CarrierAccount, type CarrierAdapter, type Capability, type NativeEvent, type TrackResult } from '../types'
import { ndrReason } from './mapping'

const NAME = CARRIER_NAMES.clickpost
const CLICKPOST_TRACK_BATCH = 20

interface ClickpostMeta {
  status: number
  message: string
  success: boolean
}

export interface ClickpostCreated {
  waybill: string
  label: string | null
  courierName: string | null
  courierPartnerId: number | null
  referenceNumber: string
}

export interface ClickpostAdapter extends CarrierAdapter {
  /** Body of POST /v3/create-order/ (pickup_info, drop_info, shipment_details, additional...). */
  createOrder(body: Record<string, unknown>): Promise<ClickpostCreated>
  labelUrl(waybill: string): Promise<string>
  fetchLabel(url: string): Promise<{ contentType: string; data: Uint8Array }>
}

/** Clickpost times are ISO; a bare "2024-05-01 10:00:00" is India time. */
function clickpostTime(s: unknown): number {
  if (typeof s !== 'string' || !s.trim()) return NaN
  const t = s.trim()
  if (/[zZ]|[+-]\d{2}:?\d{2}$/.test(t)) return Date.parse(t.replace(' ', 'T'))
  return Date.parse(`${t.replace(' ', 'T')}+05:30`)
}

interface Scan {
  clickpost_status_code?: number
  clickpost_status_description?: string
  status?: string
  location?: string
  timestamp?: string
  remark?: string
  ndr_status_code?: number
  ndr_status_description?: string
}

/** One Clickpost status (scan, notification, latest_status) as a NativeEvent keyed on code + time. */
export function clickpostEvent(s: Scan, waybill: string): NativeEvent | null {
  const at = clickpostTime(s.timestamp)
  if (typeof s.clickpost_status_code !== 'number' || !Number.isFinite(at)) return null
  return {
    at,
    nativeStatus: String(s.clickpost_status_code),
    label: s.clickpost_status_description ?? null,
    description: s.status ?? null,
    location: s.location || null,
    comment: ndrReason(s.ndr_status_code, s.ndr_status_description) ?? (s.remark || null),
    waybill,
    dedupeKey: `cp|${s.clickpost_status_code}|${s.timestamp}`
  }
}

export function createClickpostAdapter(account: CarrierAccount, deps: AggregatorDepsExtra): ClickpostAdapter {
  const username = account.credentials.username ?? ''
  const key = account.credentials.key ?? account.credentials.api_key ?? ''
  const cpId = typeof account.options?.cpId === 'number' ? account.options.cpId : undefined
  const http = new HttpClient({
    baseUrl: account.baseUrl,
    logger: deps.logger,
    now: deps.now,
    sleep: deps.sleep,
    random: deps.random,
    limits: [],
    // The docs advise about 8 s before giving up on a create.
    timeoutMs: deps.timeoutMs ?? 8000,
    maxRetries: deps.maxRetries,
    maxQueueWaitMs: deps.maxQueueWaitMs,
    secrets: [key],
    carrierName: `${NAME} (${account.alias})`
  })

  async function call<T>(req: HttpRequest): Promise<T> {
    if (!username || !key) throw new CarrierError('unauthorized', `${NAME} account "${account.alias}" has no username or API key`)
    const { status, body } = await http.json<{ meta?: ClickpostMeta; result?: T }>({ ...req, query: { username, key, ...req.query } })
    const meta = body?.meta
    if (status === 401 || status === 403 || meta?.status === 301)
      throw http.error('unauthorized', `${NAME} refused the username or key`, req, { httpStatus: status, carrierCode: meta?.status })
    if (!meta || typeof meta !== 'object')
      throw http.error('carrier_error', `${NAME} answer has no meta (HTTP ${status})`, req, { httpStatus: status })
    if (!meta.success || meta.status !== 200) {
      const code = meta.status
      const what = `${NAME} refused (${code}): ${meta.message ?? ''}`.trim()
      if (code === 330) throw http.error('not_found', what, req, { carrierCode: code })
      if (code === 328 || code === 307 || code === 309 || code === 312 || code === 315 || code === 302 || code === 422)
        throw http.error('invalid_input', what, req, { carrierCode: code })
      throw http.error('carrier_refused', what, req, { carrierCode: code, httpStatus: status })
    }
    return body.result as T
  }

  const capabilities = new Set<Capability>(['track_one', 'track_many', 'create_shipment', 'cancel', 'label', 'return_request', 'webhook'])

  const adapter: ClickpostAdapter = {
    carrier: 'clickpost',
    account: account.alias,
    capabilities,
    batchSize: CLICKPOST_TRACK_BATCH,

    async track(waybills) {
      const out: TrackResult[] = []
      for (let i = 0; i < waybills.length; i += CLICKPOST_TRACK_BATCH) {
        const batch = waybills.slice(i, i + CLICKPOST_TRACK_BATCH)
        try {
          const result = await call<Record<string, { valid?: boolean; latest_status?: Scan; scans?: Scan[] }>>({
            method: 'GET',
            path: '/api/v2/track-order/',
            query: { waybill: batch.join(','), cp_id: cpId },
            subject: batch.length === 1 ? batch[0] : `${batch.length} waybills`
          })
          for (const w of batch) {
            const r = result?.[w]
            if (!r || r.valid === false) {
              out.push({ trackingNumber: w, ok: false, error: new CarrierError('not_found', `${NAME} does not know waybill ${w}`) })
              continue
            }
            const events = (r.scans ?? []).map((s) => clickpostEvent(s, w)).filter((e): e is NativeEvent => e !== null)
            const current = r.latest_status ? clickpostEvent(r.latest_status, w) : null
            out.push({ trackingNumber: w, ok: true, events, ...(current ? { current } : {}) })
          }
        } catch (e) {
          const err = e instanceof CarrierError ? e : new CarrierError('carrier_error', `${NAME} tracking answer could not be read`)
          for (const w of batch) out.push({ trackingNumber: w, ok: false, error: err })
        }
      }
      return out
    },

    budget: () => http.limiter.snapshot(),

    async createOrder(body) {
      // Not repeated automatically; a repeat would be refused with 323 anyway.
      const r = await call<{
        waybill?: string
        label?: string
        courier_name?: string
        courier_partner_id?: number
        reference_number?: string
      }>({
        method: 'POST',
        path: '/api/v3/create-order/',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        safe: false,
        subject: String((body.shipment_details as { reference_number?: string } | undefined)?.reference_number ?? '')
      })
      if (!r?.waybill) throw new CarrierError('carrier_error', `${NAME} created no waybill`)
      return {
        waybill: r.waybill,
        label: r.label ?? null,
        courierName: r.courier_name ?? null,
        courierPartnerId: r.courier_partner_id ?? null,
        referenceNumber: r.reference_number ?? ''
      }
    },

    async labelUrl(waybill) {
      const r = await call<{ shipping_label?: string }>({
        method: 'GET',
        path: '/api/v1/fetch/shippinglabel/',
        query: { waybill, regenerate: 'false' },
        subject: waybill
      })
      if (!r?.shipping_label) throw new CarrierError('not_found', `${NAME} has no label for ${waybill}`)
      return r.shipping_label
    },

    async fetchLabel(url) {
      const req: HttpRequest = { method: 'GET', path: url, headers: { accept: 'application/pdf' }, subject: 'label' }
      const res = await http.send(req)
      if (res.status !== 200 || res.body.subarray(0, 5).toString('latin1') !== '%PDF-')
        throw http.error('carrier_error', `${NAME} label is not a PDF (HTTP ${res.status})`, req, { httpStatus: res.status })
      return { contentType: 'application/pdf', data: new Uint8Array(res.body) }
    },

    async label(waybill) {
      return adapter.fetchLabel(await adapter.labelUrl(waybill))
    },

    async cancel(waybill) {
      // Cancelling twice leaves one cancelled order: safe to repeat.
      await call({
        method: 'GET',
        path: '/api/v1/cancel-order/',
        query: {
          waybill,
          cp_id: cpId,
          account_code: typeof account.options?.accountCode === 'string' ? account.options.accountCode : undefined
        },
        subject: waybill
      })
    }
  }
  return adapter
}
