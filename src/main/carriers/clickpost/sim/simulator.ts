// The Clickpost simulator (contract note §5.2): username + key in the query, the {meta, result}
// envelope, create-order v3 with its service errors (312 items missing, 315 COD value, 323 a
// repeat of an order already placed), track-order (many waybills), label, cancel, and a webhook
// sender carrying webhook_key that retries until it gets a 200.
import type { Clock } from '../../../platform/clock'
import { deliverWebhook, type SendOutcome, type SenderOptions } from '../../sim/webhook-sender'
import { tinyLabelPdf } from '../../shiprocket/sim/pdf'
import { startSimServer, type SimReply, type SimRequest, type SimServer } from '../../sim/server'

interface CpSimOrder {
  waybill: string
  reference: string
  rvp: boolean
  cancelled: boolean
  scans: Array<{ code: number; at: number; location: string; ndr?: number }>
}

export interface ClickpostSim extends SimServer {
  orders: CpSimOrder[]
  setWebhook(url: string | null, key?: string): void
  advance(waybill: string, code: number, opts?: { ndr?: number; at?: number; notify?: boolean }): Promise<SendOutcome | null>
  notification(waybill: string, scanIndex?: number): Record<string, unknown>
  sendWebhook(payload: unknown, opts?: SenderOptions): Promise<SendOutcome>
}

/** clickpost_status_code -> description, as Clickpost's status page lists them (contract note §5.2). */
const CP_STATUS: Record<number, string> = {
  1: 'ORDER_PLACED',
  2: 'PICKUP_PENDING',
  3: 'PICKUP_FAILED',
  4: 'PICKED_UP',
  5: 'INTRANSIT',
  6: 'OUT_FOR_DELIVERY',
  7: 'NOT_SERVICEABLE',
  8: 'DELIVERED',
  9: 'FAILED_DELIVERY',
  10: 'CANCELLED_ORDER',
  11: 'RTO_REQUESTED',
  12: 'RTO',
  13: 'RTO_OUT_FOR_DELIVERY',
  14: 'RTO_DELIVERED',
  15: 'RTO_FAILED',
  16: 'LOST',
  17: 'DAMAGED',
  18: 'SHIPMENT_DELAYED',
  19: 'CONTACT_CUSTOMER_CARE',
  20: 'SHIPMENT_HELD',
  21: 'RTO_INTRANSIT',
  25: 'OUT_FOR_PICKUP',
  26: 'RTO_CONTACT_CUSTOMER_CARE',
  27: 'RTO_SHIPMENT_DELAY',
  28: 'AWB REGISTERED'
}
const desc = (code: number) => CP_STATUS[code] ?? 'UNKNOWN'
const camel = (code: number) =>
  desc(code)
    .toLowerCase()
    .replace(/(^|_)(\w)/g, (_m, _s, c: string) => c.toUpperCase())
const istIso = (ms: number) => new Date(ms + 5.5 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+05:30')

export async function startClickpostSimulator(o: {
  clock: Clock
  username?: string
  key?: string
  port?: number
  host?: string
}): Promise<ClickpostSim> {
  const username = o.username ?? 'guichet'
  const apiKey = o.key ?? 'cp-demo-key'
  const orders: CpSimOrder[] = []
  let nextWaybill = 785578015860
  let webhook: { url: string; key?: string } | null = null
  const ref: { url: string } = { url: '' }
  const meta = (status: number, message: string, extra: Record<string, unknown> = {}): SimReply => ({
    status: status === 200 ? 200 : status === 301 ? 401 : 200,
    body: { meta: { status, message, success: status === 200 }, ...extra }
  })
  const byWaybill = (w: string) => orders.find((x) => x.waybill === w)

  const scanOut = (x: CpSimOrder, s: CpSimOrder['scans'][number]) => ({
    location: s.location,
    clickpost_status_code: s.code,
    timestamp: istIso(s.at),
    clickpost_status_description: desc(s.code),
    status: camel(s.code),
    remark: '',
    ...(s.ndr !== undefined ? { ndr_status_code: s.ndr } : {}),
    checkpoint_id: `${x.waybill}-${s.at}`
  })

  const handler = (req: SimRequest): SimReply => {
    if (req.method === 'GET' && req.path.startsWith('/labels/')) {
      const w = decodeURIComponent(req.path.slice(8).replace(/\.pdf$/, ''))
      return byWaybill(w)
        ? { status: 200, body: null, raw: { contentType: 'application/pdf', data: tinyLabelPdf(`Clickpost ${w}`) } }
        : { status: 404, body: {} }
    }
    if (req.query.get('key') !== apiKey || (req.path !== '/api/v1/fetch/shippinglabel/' && req.query.get('username') !== username))
      return meta(301, 'Authentication failed')
    if (req.method === 'POST' && req.path === '/api/v3/create-order/') {
      const f = req.form as {
        shipment_details?: Record<string, unknown>
        additional?: Record<string, unknown>
        pickup_info?: unknown
        drop_info?: unknown
        __malformed?: boolean
      }
      if (f.__malformed || !f.pickup_info || !f.drop_info || !f.shipment_details) return meta(328, 'Invalid POST data')
      const sd = f.shipment_details
      if (!Array.isArray(sd.items) || sd.items.length === 0) return meta(312, 'Items missing')
      if (sd.order_type === 'COD' && !(Number(sd.cod_value) > 0)) return meta(315, 'Invalid COD value')
      if (sd.order_type === 'PREPAID' && Number(sd.cod_value) !== 0) return meta(315, 'Invalid COD value')
      const reference = String(sd.reference_number ?? '')
      if (orders.some((x) => x.reference === reference)) return meta(323, 'You have Already placed this order')
      const x: CpSimOrder = {
        waybill: String(nextWaybill++),
        reference,
        rvp: f.additional?.delivery_type === 'RVP',
        cancelled: false,
        scans: [{ code: f.additional?.delivery_type === 'RVP' ? 101 : 1, at: o.clock.now(), location: 'Mumbai' }]
      }
      orders.push(x)
      return meta(200, 'Order Placed Successfully', {
        result: {
          courier_partner_id: 1,
          courier_name: 'Fedex',
          sort_code: null,
          security_key: '560fee51-1af3-4d1d-a6e8-0149b0868d38',
          reference_number: reference,
          waybill: x.waybill,
          label: `${ref.url}/labels/${x.waybill}.pdf`
        }
      })
    }
    if (req.method === 'GET' && req.path === '/api/v2/track-order/') {
      const ws = (req.query.get('waybill') ?? '').split(',').filter(Boolean)
      if (ws.length === 0) return meta(328, 'waybill is required')
      const result: Record<string, unknown> = {}
      for (const w of ws) {
        const x = byWaybill(w)
        result[w] = x
          ? { valid: true, latest_status: scanOut(x, x.scans.at(-1)!), scans: x.scans.map((s) => scanOut(x, s)) }
          : { valid: false }
      }
      return meta(200, 'Success', { result })
    }
    if (req.method === 'GET' && req.path === '/api/v1/fetch/shippinglabel/') {
      const x = byWaybill(req.query.get('waybill') ?? '')
      return x
        ? meta(200, 'Success', { result: { shipping_label: `${ref.url}/labels/${x.waybill}.pdf` } })
        : meta(330, 'Waybill does not exist')
    }
    if (req.method === 'GET' && req.path === '/api/v1/cancel-order/') {
      const x = byWaybill(req.query.get('waybill') ?? '')
      if (!x) return meta(330, 'Waybill does not exist')
      if (!x.cancelled) x.scans.push({ code: 10, at: o.clock.now(), location: 'Mumbai' })
      x.cancelled = true
      return meta(200, 'Cancellation request accepted')
    }
    return { status: 404, body: { meta: { status: 404, message: 'Not found', success: false } } }
  }

  const base = await startSimServer({ handler, clock: o.clock, port: o.port, host: o.host, name: 'clickpost' })
  ref.url = base.url

  function notification(waybill: string, scanIndex?: number): Record<string, unknown> {
    const x = byWaybill(waybill)
    if (!x) throw new Error(`Clickpost sim: no waybill ${waybill}`)
    const s = x.scans[scanIndex ?? x.scans.length - 1]!
    const latest = scanOut(x, x.scans.at(-1)!)
    return {
      waybill,
      cp_id: 1,
      clickpost_status_code: s.code,
      clickpost_status_description: camel(s.code),
      status: camel(s.code),
      location: s.location,
      timestamp: istIso(s.at),
      remark: '',
      additional: {
        latest_status: latest,
        ...(s.ndr !== undefined ? { ndr_status_code: s.ndr, ndr_status_description: '' } : {}),
        is_rvp: x.rvp,
        ...(x.rvp ? { forward_awb: '' } : {})
      }
    }
  }
  const sendWebhook = (payload: unknown, opts: SenderOptions = {}) => {
    if (!webhook) throw new Error('Clickpost sim: no webhook URL set')
    return deliverWebhook(webhook.url, payload, webhook.key ? { webhook_key: webhook.key } : {}, opts)
  }
  return Object.assign(base, {
    orders,
    setWebhook(url: string | null, key?: string) {
      webhook = url ? { url, key } : null
    },
    notification,
    sendWebhook,
    async advance(waybill: string, code: number, opt: { ndr?: number; at?: number; notify?: boolean } = {}) {
      const x = byWaybill(waybill)
      if (!x) throw new Error(`Clickpost sim: no waybill ${waybill}`)
      x.scans.push({ code, at: opt.at ?? o.clock.now(), location: 'Pune', ...(opt.ndr !== undefined ? { ndr: opt.ndr } : {}) })
      if (opt.notify === false || !webhook) return null
      return sendWebhook(notification(waybill))
    }
  }) as ClickpostSim
}
