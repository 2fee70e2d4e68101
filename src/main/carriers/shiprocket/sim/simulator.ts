// The Shiprocket simulator (contract note §5.1): login with an API user (token valid 10 days on
// the test's clock), create order (no idempotency: a repeat makes a second order), orders search,
// assign AWB, generate label (URL to a PDF it serves), track one / up to 50, cancel, create return
// (422 on a reused return order id), the documented error shapes, and a webhook sender that
// retries until it gets a 200.
import { randomBytes } from 'node:crypto'
import type { Clock } from '../../../platform/clock'
import { DAY } from '../../../platform/clock'
import { deliverWebhook, type SendOutcome, type SenderOptions } from '../../sim/webhook-sender'
import { startSimServer, type SimReply, type SimRequest, type SimServer } from '../../sim/server'
import { tinyLabelPdf } from './pdf'

interface SrSimOrder {
  id: number
  channelOrderId: string
  shipmentId: number
  status: string
  statusCode: number
  awb: string | null
  courierName: string | null
  assignedAt: number | null
  isReturn: boolean
  cancelled: boolean
  createdAt: number
  /** [time, shipment status id, activity, location] */
  scans: Array<{ at: number; id: number; activity: string; location: string }>
  payload: Record<string, unknown>
}

export interface ShiprocketSim extends SimServer {
  /** The documented API base on this simulator: `<url>/v1/external` (the real server's prefix). */
  apiBase: string
  orders: SrSimOrder[]
  /** Tokens issued (for assertions on login counts). */
  logins: number
  /** Moves a shipment to a shipment-status id and (if a webhook is set) notifies it. */
  advance(awb: string, shipmentStatusId: number, opts?: { location?: string; at?: number; notify?: boolean }): Promise<SendOutcome | null>
  /** The notification the simulator would send for an AWB's latest scan. */
  notification(awb: string): Record<string, unknown>
  setWebhook(url: string | null, token?: string): void
  /** Sends a payload as the webhook (tests replay, duplicate and reorder with it). */
  sendWebhook(payload: unknown, opts?: SenderOptions & { token?: string }): Promise<SendOutcome>
}

const API_PREFIX = '/v1/external'

const REQUIRED_ADHOC = [
  'order_id',
  'order_date',
  'pickup_location',
  'billing_customer_name',
  'billing_address',
  'billing_city',
  'billing_pincode',
  'billing_state',
  'billing_country',
  'billing_email',
  'billing_phone',
  'order_items',
  'payment_method',
  'sub_total',
  'length',
  'breadth',
  'height',
  'weight'
] as const
const REQUIRED_RETURN = [
  'order_id',
  'order_date',
  'pickup_customer_name',
  'pickup_address',
  'pickup_city',
  'pickup_state',
  'pickup_country',
  'pickup_pincode',
  'pickup_email',
  'pickup_phone',
  'shipping_customer_name',
  'shipping_address',
  'shipping_city',
  'shipping_country',
  'shipping_pincode',
  'shipping_state',
  'shipping_phone',
  'order_items',
  'payment_method',
  'sub_total',
  'length',
  'breadth',
  'height',
  'weight'
] as const

/** Shipment-status ids -> labels: the official examples' eight, then the third-party list (§5.1). */
const SR_SHIPMENT: Record<number, string> = {
  5: 'MANIFEST GENERATED',
  6: 'SHIPPED',
  7: 'DELIVERED',
  8: 'CANCELED',
  9: 'RTO INITIATED',
  10: 'RTO DELIVERED',
  12: 'LOST',
  13: 'PICKUP ERROR',
  14: 'RTO ACKNOWLEDGED',
  15: 'PICKUP RESCHEDULED',
  16: 'CANCELLATION REQUESTED',
  17: 'OUT FOR DELIVERY',
  18: 'IN TRANSIT',
  19: 'OUT FOR PICKUP',
  20: 'PICKUP EXCEPTION',
  21: 'UNDELIVERED',
  22: 'DELAYED',
  23: 'PARTIAL DELIVERED',
  24: 'DESTROYED',
  25: 'DAMAGED',
  26: 'FULFILLED',
  38: 'REACHED AT DESTINATION HUB',
  39: 'MISROUTED',
  40: 'RTO NDR',
  41: 'RTO OFD',
  42: 'PICKED UP'
}
const label = (id: number) => SR_SHIPMENT[id] ?? 'NA'

/** "23 05 2023 11:43:52" in India time. */
function srStamp(ms: number): string {
  const d = new Date(ms + 5.5 * 3_600_000)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${p(d.getUTCDate())} ${p(d.getUTCMonth() + 1)} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`
}
function srDate(ms: number): string {
  const s = srStamp(ms)
  return `${s.slice(6, 10)}-${s.slice(3, 5)}-${s.slice(0, 2)} ${s.slice(11)}`
}

export async function startShiprocketSimulator(o: {
  clock: Clock
  users?: Record<string, string>
  port?: number
  host?: string
  webhookUrl?: string
  webhookToken?: string
}): Promise<ShiprocketSim> {
  const users = o.users ?? { 'api@guichet.test': 'sr-pass-demo' }
  const tokens = new Map<string, number>()
  const orders: SrSimOrder[] = []
  let nextOrder = 16161616
  let nextShipment = 15151515
  let nextAwb = 19041424751540
  let webhook: { url: string; token?: string } | null = o.webhookUrl ? { url: o.webhookUrl, token: o.webhookToken } : null
  // The handler runs only once the server (and so `ref.sim`) exists.
  const ref: { sim: ShiprocketSim | null } = { sim: null }

  const err = (status: number, message: string, errors?: Record<string, string[]>): SimReply => ({
    status,
    body: { message, ...(errors ? { errors } : {}), status_code: status }
  })

  const authed = (req: SimRequest): boolean => {
    const m = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))
    const issued = m ? tokens.get(m[1]!) : undefined
    return issued !== undefined && o.clock.now() < issued + 10 * DAY
  }

  const missing = (form: Record<string, unknown>, keys: readonly string[]): Record<string, string[]> | null => {
    const errors: Record<string, string[]> = {}
    for (const k of keys)
      if (form[k] === undefined || form[k] === null || form[k] === '') errors[k] = [`The ${k.replace(/_/g, ' ')} field is required.`]
    if (form.order_items !== undefined && (!Array.isArray(form.order_items) || form.order_items.length === 0))
      errors.order_items = ['The order items field is required.']
    return Object.keys(errors).length ? errors : null
  }

  const byAwb = (awb: string) => orders.find((x) => x.awb === awb)

  function trackingData(x: SrSimOrder | undefined) {
    if (!x || x.scans.length === 0)
      return {
        track_status: 0,
        shipment_status: 0,
        shipment_track: [],
        shipment_track_activities: null,
        error: 'Aahh! There is no activities found in our DB. Please have some patience it will be updated soon.'
      }
    const last = x.scans.at(-1)!
    return {
      track_status: 1,
      shipment_status: last.id,
      shipment_track: [
        {
          id: x.id,
          awb_code: x.awb,
          shipment_id: x.shipmentId,
          order_id: x.id,
          current_status: label(last.id),
          courier_name: x.courierName,
          destination: last.location
        }
      ],
      shipment_track_activities: [...x.scans].reverse().map((s) => ({
        date: srDate(s.at),
        status: 'X-SCAN',
        activity: s.activity,
        location: s.location,
        'sr-status': String(s.id),
        'sr-status-label': label(s.id)
      })),
      track_url: `https://shiprocket.co/tracking/${x.awb}`,
      etd: srDate(x.createdAt + 4 * DAY)
    }
  }

  function create(req: SimRequest, isReturn: boolean): SimReply {
    const f = req.form
    if (f.__malformed) return err(400, 'Malformed JSON')
    const errors = missing(f, isReturn ? REQUIRED_RETURN : REQUIRED_ADHOC)
    if (errors) return err(422, 'Oops! Invalid Data.', errors)
    if (String(f.order_id).length > 50)
      return err(422, 'Oops! Invalid Data.', { order_id: ['The order id may not be greater than 50 characters.'] })
    if (!isReturn && String(f.pickup_location) !== 'Primary' && String(f.pickup_location) !== 'Warehouse')
      return err(400, `Wrong Pickup location entered. Please choose one location from data given`)
    if (isReturn && orders.some((x) => x.isReturn && x.channelOrderId === String(f.order_id)))
      return err(422, 'Oops! Invalid Data.', { order_id: ['The order id has already been taken.'] })
    const x: SrSimOrder = {
      id: nextOrder++,
      channelOrderId: String(f.order_id),
      shipmentId: nextShipment++,
      status: isReturn ? 'RETURN PENDING' : 'NEW',
      statusCode: isReturn ? 21 : 1,
      awb: null,
      courierName: null,
      assignedAt: null,
      isReturn,
      cancelled: false,
      createdAt: o.clock.now(),
      scans: [],
      payload: f
    }
    orders.push(x)
    return {
      status: 200,
      body: isReturn
        ? { order_id: x.id, shipment_id: x.shipmentId, status: x.status, status_code: x.statusCode, company_name: 'shiprocket' }
        : {
            order_id: x.id,
            shipment_id: x.shipmentId,
            status: 'NEW',
            status_code: 1,
            onboarding_completed_now: 0,
            awb_code: null,
            courier_company_id: null,
            courier_name: null
          }
    }
  }

  const handler = (req: SimRequest): SimReply => {
    // Label PDFs live on a file host of their own (the real label_url points at a CDN), not under the API.
    if (req.method === 'GET' && req.path.startsWith('/labels/')) {
      const awb = decodeURIComponent(req.path.slice('/labels/'.length).replace(/\.pdf$/, ''))
      if (!byAwb(awb)) return { status: 404, body: { message: 'No such label' } }
      return { status: 200, body: null, raw: { contentType: 'application/pdf', data: tinyLabelPdf(`Shiprocket AWB ${awb}`) } }
    }
    // The published base is https://apiv2.shiprocket.in/v1/external: nothing is served outside it.
    if (!req.path.startsWith(API_PREFIX + '/')) return err(404, 'Not Found')
    const p = req.path.slice(API_PREFIX.length)
    if (req.method === 'POST' && p === '/auth/login') {
      const { email, password } = req.form as { email?: string; password?: string }
      if (!email || !password)
        return err(422, 'Oops! Invalid Data.', {
          ...(email ? {} : { email: ['The email field is required.'] }),
          ...(password ? {} : { password: ['The password field is required.'] })
        })
      if (users[email] !== password) return err(400, 'Invalid email and password combination')
      const token = `eyJ.${randomBytes(12).toString('hex')}`
      tokens.set(token, o.clock.now())
      ref.sim!.logins++
      return { status: 200, body: { id: 1, first_name: 'API', email, company_id: 1, created_at: srDate(o.clock.now()), token } }
    }
    if (!authed(req)) return { status: 401, body: { message: 'Token has expired', status_code: 401 } }

    if (req.method === 'POST' && p === '/orders/create/adhoc') return create(req, false)
    if (req.method === 'POST' && p === '/orders/create/return') return create(req, true)
    if (req.method === 'GET' && p === '/orders') {
      const q = req.query.get('search') ?? ''
      const data = orders
        .filter((x) => !q || x.channelOrderId === q || x.awb === q || String(x.id) === q)
        .map((x) => ({
          id: x.id,
          channel_order_id: x.channelOrderId,
          status: x.status,
          status_code: x.statusCode,
          shipments: [{ id: x.shipmentId, awb: x.awb ?? '' }]
        }))
      return { status: 200, body: { data } }
    }
    if (req.method === 'POST' && p === '/courier/assign/awb') {
      const sid = Number(req.form.shipment_id)
      if (!req.form.shipment_id) return err(422, 'Oops! Invalid Data.', { shipment_id: ['The shipment id field is required.'] })
      const x = orders.find((y) => y.shipmentId === sid)
      if (!x) return err(400, `Shipment id ${sid} does not exist`)
      if (x.cancelled) return err(400, 'Order is cancelled')
      if (x.awb && req.form.status === 'reassign') {
        if (o.clock.now() - (x.assignedAt ?? 0) < DAY) return err(400, 'Cannot reassign courier')
      }
      if (!x.awb || req.form.status === 'reassign') {
        x.awb = String(nextAwb++)
        x.courierName = 'Delhivery Surface'
        x.assignedAt = o.clock.now()
        x.status = x.isReturn ? 'RETURN PICKUP GENERATED' : 'READY TO SHIP'
        x.statusCode = x.isReturn ? 22 : 3
        x.scans.push({
          at: o.clock.now(),
          id: x.isReturn ? 19 : 5,
          activity: x.isReturn ? 'Return pickup generated' : 'Manifested - Manifest uploaded',
          location: 'Chomu_SamodRd_D (Rajasthan)'
        })
      }
      return {
        status: 200,
        body: {
          awb_assign_status: 1,
          response: {
            data: {
              courier_company_id: 12,
              awb_code: x.awb,
              cod: 0,
              order_id: x.id,
              shipment_id: x.shipmentId,
              awb_code_status: 1,
              assigned_date_time: { date: srDate(x.assignedAt!), timezone_type: 3, timezone: 'Asia/Kolkata' },
              applied_weight: 0.5,
              company_id: 1,
              courier_name: x.courierName,
              child_courier_name: null,
              routing_code: 'DEL/ABC',
              transporter_id: '',
              transporter_name: ''
            }
          }
        }
      }
    }
    if (req.method === 'POST' && p === '/courier/generate/label') {
      const ids = req.form.shipment_id
      if (!Array.isArray(ids)) return err(422, 'Oops! Invalid Data.', { shipment_id: ['The shipment id must be an array.'] })
      const ok = ids.map(Number).filter((id) => orders.some((x) => x.shipmentId === id && x.awb))
      const notCreated = ids.map(Number).filter((id) => !ok.includes(id))
      if (ok.length === 0)
        return {
          status: 200,
          body: { label_created: 0, label_url: '', response: 'Label could not be created: no AWB assigned', not_created: notCreated }
        }
      const awb = orders.find((x) => x.shipmentId === ok[0])!.awb!
      return {
        status: 200,
        body: {
          label_created: 1,
          label_url: `${ref.sim!.url}/labels/${awb}.pdf`,
          response: 'Label has been created and uploaded successfully!',
          not_created: notCreated
        }
      }
    }
    const one = /^\/courier\/track\/awb\/(.+)$/.exec(p)
    if (req.method === 'GET' && one) return { status: 200, body: { tracking_data: trackingData(byAwb(decodeURIComponent(one[1]!))) } }
    if (req.method === 'POST' && p === '/courier/track/awbs') {
      const awbs = req.form.awbs
      if (!Array.isArray(awbs) || awbs.length === 0) return err(422, 'Oops! Invalid Data.', { awbs: ['The awbs field is required.'] })
      if (awbs.length > 50) return err(422, 'Oops! Invalid Data.', { awbs: ['The awbs may not have more than 50 items.'] })
      return { status: 200, body: Object.fromEntries(awbs.map((a) => [String(a), { tracking_data: trackingData(byAwb(String(a))) }])) }
    }
    if (req.method === 'POST' && p === '/orders/cancel/shipment/awbs') {
      const awbs = req.form.awbs
      if (!Array.isArray(awbs) || awbs.length === 0) return err(422, 'Oops! Invalid Data.', { awbs: ['The awbs field is required.'] })
      if (awbs.length > 2000) return err(422, 'Oops! Invalid Data.', { awbs: ['The awbs may not have more than 2000 items.'] })
      for (const a of awbs) {
        const x = byAwb(String(a))
        if (!x) continue
        x.cancelled = true
        x.status = 'CANCELED'
        x.statusCode = 5
        x.scans.push({ at: o.clock.now(), id: 8, activity: 'Cancelled by seller', location: '' })
      }
      return { status: 200, body: { message: 'Bulk Shipment cancellation is in progress. Please wait for 24 hours.' } }
    }
    return { status: 404, body: { message: 'Not found', status_code: 404 } }
  }

  // Demo and e2e control: moves a parcel as the courier would (not part of Shiprocket's API).
  const control = async (req: SimRequest): Promise<SimReply> => {
    const awb = String(req.form.awb ?? '')
    const id = Number(req.form.shipment_status_id)
    if (!byAwb(awb) || !Number.isInteger(id)) return err(422, 'awb and shipment_status_id are required')
    const sent = await ref.sim!.advance(awb, id)
    return { status: 200, body: { ok: true, webhook: sent } }
  }
  const base = await startSimServer({
    handler: (req) => (req.method === 'POST' && req.path === '/__sim/advance' ? control(req) : handler(req)),
    clock: o.clock,
    port: o.port,
    host: o.host,
    name: 'shiprocket'
  })

  function notification(awb: string): Record<string, unknown> {
    const x = byAwb(awb)
    if (!x) throw new Error(`Shiprocket sim: no AWB ${awb}`)
    const last = x.scans.at(-1)!
    return {
      awb: x.awb,
      courier_name: x.courierName,
      current_status: label(last.id),
      current_status_id: x.statusCode,
      shipment_status: label(last.id),
      shipment_status_id: last.id,
      current_timestamp: srStamp(last.at),
      order_id: x.channelOrderId,
      sr_order_id: x.id,
      awb_assigned_date: x.assignedAt ? srDate(x.assignedAt) : null,
      pickup_scheduled_date: x.assignedAt ? srDate(x.assignedAt) : null,
      etd: srDate(x.createdAt + 4 * DAY),
      scans: x.scans.map((s) => ({
        date: srDate(s.at),
        status: 'X-SCAN',
        activity: s.activity,
        location: s.location,
        'sr-status': String(s.id),
        'sr-status-label': label(s.id)
      })),
      is_return: x.isReturn ? 1 : 0,
      channel_id: 3422553,
      pod_status: 'OTP Based Delivery',
      pod: 'Not Available',
      qc_image: '',
      qc_failure_reason: ''
    }
  }

  const sendWebhook = (payload: unknown, opts: SenderOptions & { token?: string } = {}) => {
    if (!webhook) throw new Error('Shiprocket sim: no webhook URL set')
    const token = opts.token ?? webhook.token
    return deliverWebhook(webhook.url, payload, token ? { 'x-api-key': token } : {}, opts)
  }

  const orderCodeFor = (id: number, isReturn: boolean): [string, number] => {
    if (isReturn) return ['RETURN IN TRANSIT', 22]
    const m: Record<number, [string, number]> = {
      6: ['SHIPPED', 6],
      7: ['DELIVERED', 7],
      8: ['CANCELED', 5],
      17: ['OUT FOR DELIVERY', 19],
      18: ['IN TRANSIT', 20],
      42: ['PICKED UP', 51],
      9: ['RTO INITIATED', 15],
      10: ['RTO DELIVERED', 16]
    }
    return m[id] ?? ['IN TRANSIT', 20]
  }

  const sim = Object.assign(base, {
    apiBase: `${base.url}${API_PREFIX}`,
    orders,
    logins: 0,
    notification,
    setWebhook(url: string | null, token?: string) {
      webhook = url ? { url, token } : null
    },
    sendWebhook,
    async advance(awb: string, id: number, opt: { location?: string; at?: number; notify?: boolean } = {}) {
      const x = byAwb(awb)
      if (!x) throw new Error(`Shiprocket sim: no AWB ${awb}`)
      x.scans.push({ at: opt.at ?? o.clock.now(), id, activity: label(id), location: opt.location ?? 'Chennai_Central_H (Tamil Nadu)' })
      ;[x.status, x.statusCode] = orderCodeFor(id, x.isReturn)
      if (opt.notify === false || !webhook) return null
      return sendWebhook(notification(awb))
    }
  }) as ShiprocketSim
  ref.sim = sim
  return sim
}
