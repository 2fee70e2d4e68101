// The Shipway simulator, written from the contract note §5.3, newer generation only (what the
// app.shipway.com host answers): HTTP Basic base64(email:licence key) on every /api call, a missing
// or wrong one is HTTP 401 whatever the body carries (so credentials in a JSON body, the legacy
// style, are refused); the legacy slugs (pushOrderData, getShipmentDetails, ...) do not exist on
// this host and are 404. POST /api/v2orders (the SDK's required fields), GET /api/getorders
// (orderid / awb_number; answer {success, message: [orders]}), POST /api/Cancel {awb_number: [..]}.
// The AWB is assigned when the order is first looked up; webhooks carry the shared secret in the
// callback URL and are retried until a 200.
import type { Clock } from '../../../platform/clock'
import { deliverWebhook, type SendOutcome, type SenderOptions } from '../../sim/webhook-sender'
import { tinyLabelPdf } from '../../shiprocket/sim/pdf'
import { startSimServer, type SimReply, type SimRequest, type SimServer } from '../../sim/server'

interface SwSimOrder {
  orderId: string
  awb: string | null
  reverse: boolean
  pushes: number
  cancelled: boolean
  scans: Array<{ code: string; at: number; location: string }>
}

export interface ShipwaySim extends SimServer {
  orders: SwSimOrder[]
  setWebhook(url: string | null): void
  advance(awb: string, code: string, opts?: { at?: number; notify?: boolean }): Promise<SendOutcome | null>
  sendWebhook(payload: unknown, opts?: SenderOptions): Promise<SendOutcome>
}

/** The webhook event codes the contract note explains (§5.3); other codes are sent as they are. */
const SW_EVENTS: Record<string, string> = {
  INT: 'In Transit',
  OOD: 'Out For Delivery',
  DEL: 'Delivered',
  UND: 'Undelivered',
  RTO: 'RTO',
  RTD: 'RTO Delivered'
}
const label = (code: string) => SW_EVENTS[code] ?? code
const stamp = (ms: number) => new Date(ms + 5.5 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')

export async function startShipwaySimulator(o: {
  clock: Clock
  username?: string
  password?: string
  port?: number
  host?: string
}): Promise<ShipwaySim> {
  const user = o.username ?? 'warehouse@guichet.test'
  const pass = o.password ?? 'sw-licence-demo'
  const orders: SwSimOrder[] = []
  let nextAwb = 5_100_000_001
  let webhook: string | null = null
  const ref = { url: '' }
  const basic = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`
  const reply = (status: number, body: Record<string, unknown>): SimReply => ({ status, body })
  const failed = (message: string): SimReply => reply(200, { success: false, message })
  const byAwb = (a: string) => orders.find((x) => x.awb === a)
  const listItem = (x: SwSimOrder) => {
    const last = x.scans.at(-1)
    return {
      order_id: x.orderId,
      tracking_number: x.awb ?? '',
      carrier_title: x.awb ? 'Delhivery' : '',
      shipment_status: last?.code ?? '',
      shipment_status_name: last ? label(last.code) : null,
      ...(x.awb ? { shipping_url: `${ref.url}/shipping_labels/${x.awb}.pdf` } : {}),
      shipment_status_scan: x.scans.map((s) => ({ status: s.code, datetime: stamp(s.at), sub_status: label(s.code) }))
    }
  }
  const ROUTES: Record<string, 'GET' | 'POST'> = { '/api/v2orders': 'POST', '/api/getorders': 'GET', '/api/Cancel': 'POST' }

  const handler = (req: SimRequest): SimReply => {
    if (req.method === 'GET' && req.path.startsWith('/shipping_labels/')) {
      const a = decodeURIComponent(req.path.slice('/shipping_labels/'.length).replace(/\.pdf$/, ''))
      return byAwb(a)
        ? { status: 200, body: null, raw: { contentType: 'application/pdf', data: tinyLabelPdf(`Shipway ${a}`) } }
        : { status: 404, body: {} }
    }
    const route = ROUTES[req.path]
    if (!route) return reply(404, { success: false, message: 'Not Found' })
    if (req.headers.authorization !== basic) return reply(401, { success: false, message: 'Authentication failed' })
    if (req.method !== route) return reply(405, { success: false, message: 'Method Not Allowed' })
    const f = req.form as Record<string, unknown>
    switch (req.path) {
      case '/api/v2orders': {
        const required = ['order_id', 'products', 'payment_type', 'shipping_country', 'shipping_phone', 'shipping_zipcode']
        const missing = required.filter((k) => !f[k])
        if (missing.length) return failed(`Missing required fields: ${missing.join(', ')}`)
        const products = f.products
        if (!Array.isArray(products) || !products.length) return failed('At least one product is required')
        if (
          products.some(
            (p) => !p || typeof p !== 'object' || !(p as Record<string, unknown>).product || !(p as Record<string, unknown>).price
          )
        )
          return failed('Product name and price are required')
        if (f.payment_type !== 'P' && f.payment_type !== 'C') return failed('Invalid payment_type. Must be one of: P, C')
        const id = String(f.order_id)
        const x = orders.find((y) => y.orderId === id)
        if (x) x.pushes++
        else orders.push({ orderId: id, awb: null, reverse: f.order_type === 'reverse', pushes: 1, cancelled: false, scans: [] })
        return reply(200, { success: true, message: 'Order has been added successfully.' })
      }
      case '/api/getorders': {
        const q = req.query
        const orderid = q.get('orderid')
        const awb = q.get('awb_number')
        const found = orderid ? orders.filter((y) => y.orderId === orderid) : awb ? orders.filter((y) => y.awb === awb) : orders
        // A courier is assigned by the time the warehouse looks the order up by its id.
        if (orderid)
          for (const x of found)
            if (!x.awb) {
              x.awb = `SW${nextAwb++}`
              x.scans.push({ code: x.reverse ? 'RSCH' : 'SCH', at: o.clock.now(), location: 'Delhi' })
            }
        return reply(200, { success: true, error: '', message: found.map(listItem) })
      }
      case '/api/Cancel': {
        const list = Array.isArray(f.awb_number) ? f.awb_number.map(String) : []
        if (!list.length) return failed('awb_number is required')
        const unknown = list.filter((a) => !byAwb(a))
        if (unknown.length) return failed(`Invalid AWB: ${unknown.join(', ')}`)
        for (const a of list) {
          const x = byAwb(a)!
          if (!x.cancelled) x.scans.push({ code: 'CAN', at: o.clock.now(), location: 'Delhi' })
          x.cancelled = true
        }
        return reply(200, { success: true, message: 'Shipment cancelled' })
      }
      default:
        return reply(404, { success: false, message: 'Not Found' })
    }
  }
  const base = await startSimServer({ handler, clock: o.clock, port: o.port, host: o.host, name: 'shipway' })
  ref.url = base.url
  const sendWebhook = (payload: unknown, opts: SenderOptions = {}) => {
    if (!webhook) throw new Error('Shipway sim: no webhook URL set')
    return deliverWebhook(webhook, payload, {}, opts)
  }
  return Object.assign(base, {
    orders,
    setWebhook(url: string | null) {
      webhook = url
    },
    sendWebhook,
    async advance(awb: string, code: string, opt: { at?: number; notify?: boolean } = {}) {
      const x = byAwb(awb)
      if (!x) throw new Error(`Shipway sim: no AWB ${awb}`)
      const at = opt.at ?? o.clock.now()
      x.scans.push({ code, at, location: 'Jaipur' })
      if (opt.notify === false || !webhook) return null
      return sendWebhook({
        awbno: awb,
        order_id: x.orderId,
        current_status_code: code,
        current_status: label(code),
        status_time: stamp(at),
        location: 'Jaipur'
      })
    }
  }) as ShipwaySim
}
