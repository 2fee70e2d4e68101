// The Shipway simulator (contract note §5.3, third-party shapes): credentials in every JSON body,
// {status: "success"|"Failed", message} answers, pushOrderData as an upsert by order_id, the AWB
// assigned when the shipment details are first asked for, tracking, cancel, and a webhook sender
// whose callback URL carries the shared secret, retrying until a 200.
import type { Clock } from '../../../platform/clock'
import { deliverWebhook, type SendOutcome, type SenderOptions } from '../../sim/webhook-sender'
import { tinyLabelPdf } from '../../shiprocket/sim/pdf'
import { startSimServer, type SimReply, type SimRequest, type SimServer } from '../../sim/server'

export interface SwSimOrder {
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
  const ok = (extra: Record<string, unknown> = {}, message = 'Success'): SimReply => ({
    status: 200,
    body: { status: 'success', message, ...extra }
  })
  const failed = (message: string): SimReply => ({ status: 200, body: { status: 'Failed', message } })
  const byAwb = (a: string) => orders.find((x) => x.awb === a)

  const handler = (req: SimRequest): SimReply => {
    if (req.method === 'GET' && req.path.startsWith('/labels/')) {
      const a = decodeURIComponent(req.path.slice(8).replace(/\.pdf$/, ''))
      return byAwb(a)
        ? { status: 200, body: null, raw: { contentType: 'application/pdf', data: tinyLabelPdf(`Shipway ${a}`) } }
        : { status: 404, body: {} }
    }
    const f = req.form as Record<string, unknown>
    if (req.method !== 'POST') return { status: 404, body: { status: 'Failed', message: 'Not found' } }
    if (f.username !== user || f.password !== pass) return failed('Invalid username or license key')
    switch (req.path) {
      case '/api/pushOrderData': {
        const id = String(f.order_id ?? '')
        if (!id || !Array.isArray(f.products) || !f.shipping_zipcode || !f.shipping_phone)
          return failed('order_id, products, shipping_zipcode and shipping_phone are required')
        const x = orders.find((y) => y.orderId === id)
        if (x) x.pushes++
        else orders.push({ orderId: id, awb: null, reverse: f.order_type === 'reverse', pushes: 1, cancelled: false, scans: [] })
        return ok({}, 'Order Data Inserted')
      }
      case '/api/getOrderShipmentDetails': {
        const x = orders.find((y) => y.orderId === String(f.order_id ?? ''))
        if (!x) return failed('Order not found')
        if (!x.awb) {
          x.awb = `SW${nextAwb++}`
          x.scans.push({ code: x.reverse ? 'RSCH' : 'SCH', at: o.clock.now(), location: 'Delhi' })
        }
        return ok({
          response: {
            order_id: x.orderId,
            awbno: x.awb,
            carrier: 'Delhivery',
            current_status_code: x.scans.at(-1)!.code,
            label_url: `${ref.url}/labels/${x.awb}.pdf`
          }
        })
      }
      case '/api/getShipmentDetails': {
        const x = byAwb(String(f.waybill ?? ''))
        if (!x) return failed('Invalid AWB: not found')
        const last = x.scans.at(-1)!
        return ok({
          response: {
            awbno: x.awb,
            carrier: 'Delhivery',
            current_status: label(last.code),
            current_status_code: last.code,
            scan: x.scans.map((s) => ({ time: stamp(s.at), status: label(s.code), status_code: s.code, location: s.location }))
          }
        })
      }
      case '/api/Cancel': {
        const x = byAwb(String(f.awb_number ?? ''))
        if (!x) return failed('Invalid AWB: not found')
        if (!x.cancelled) x.scans.push({ code: 'CAN', at: o.clock.now(), location: 'Delhi' })
        x.cancelled = true
        return ok({}, 'Shipment cancelled')
      }
      default:
        return { status: 404, body: { status: 'Failed', message: 'Not found' } }
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
