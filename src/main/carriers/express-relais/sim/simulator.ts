// The Express Relais simulator. No public API document exists (contract note §2): it models the
// operation names of the third-party "AIO v2.7" adapter (one path segment per operation, GET with
// a query, POST form-encoded, Basic auth, JSON answers) with seed 000's statuses. Where its response
// shapes come from: src/main/carriers/README.md, "Express Relais: no public API document".
import type { DeliveryPoint } from '../../../../shared/domain'
import type { Clock } from '../../../platform/clock'
import { startSimServer, type SimReply, type SimRequest, type SimServer } from '../../sim/server'
import {
  ER_COUNTER_POINT,
  EXPRESS_RELAIS_FIXTURES,
  ER_FORWARD,
  ER_FORWARD_COD,
  ER_LOCKER,
  ER_RETURN,
  ER_STEP_GAP_MS,
  erWaybill,
  type ErFixture
} from './fixtures'

/**
 * The descriptions this simulator sends with each status. No API document publishes them; seed 000
 * says the description "is taken from Express Relais" and lists these, so the simulator speaks them.
 */
const ER_SIM_DESCRIPTIONS: Record<string, string> = {
  NEW_ORDER: 'Initial status at order creation',
  ORDER_CONFIRMED: 'Order Confirmed',
  ORDER_CANCELED: 'The order was canceled by the client',
  ORDER_REFUSED: 'Order refused by Express Relais',
  MISSING_PARCEL: 'Missing parcel during pickup',
  PARCEL_PICKEDUP: 'Parcel picked up',
  PARCEL_IN_AGENCY: 'The package arrived at the regional agency',
  PARCEL_IN_TRANSIT: 'Parcel in transit',
  PARCEL_IN_DELIVERY: 'The parcel is delivered to the locker or destination address',
  DELIVERED_TO_LOCKER: 'Parcel delivered to the locker',
  PARCEL_RETRIEVED: 'Parcel received from Smartlocker',
  WAITING_IN_LOCKER: 'The package waiting for pickup from the automated locker',
  DELAY_IN_RETRIEVE: 'Package delayed for pickup at the destination locker',
  WAITING_COD: 'The package arrived at the destination locker and awaiting payment upon delivery',
  COD_PAID: 'Payment upon delivery at the locker completed, the recipient can retrieve their parcel',
  PARCEL_TO_RETURN: 'The client has initiated the return of the parcel in question',
  PARCEL_ABANDONED: 'The package was abandoned because the package was not delivered and the client did not initiate its return',
  PARCEL_RETURNED: 'Parcel returned successfully',
  PARCEL_IN_FINAL_AGENCY: 'Parcel has arrived at the final agency',
  RETURN_REQUEST_CONFIRMED: 'The requested return parcel has been confirmed'
}
const erSimDescription = (status: string) => ER_SIM_DESCRIPTIONS[status] ?? status

const ER_MULTI_MAX = 50

const COMMENTS: Record<string, string> = {
  PARCEL_PICKEDUP: 'Ramassé chez l’expéditeur',
  PARCEL_IN_AGENCY: 'Agence Casablanca Centre',
  PARCEL_IN_FINAL_AGENCY: 'Agence Maarif',
  WAITING_IN_LOCKER: 'Code de retrait envoyé par SMS',
  ORDER_REFUSED: 'Adresse de ramassage incomplète'
}

const ER_POINTS: readonly (DeliveryPoint & { city: string; kind: 'LOCKER' | 'RELAY'; lat: number; lon: number })[] = [
  { ...ER_COUNTER_POINT, city: 'Casablanca', kind: 'RELAY', lat: 33.5862, lon: -7.6325 },
  { ...ER_LOCKER, city: 'Casablanca', kind: 'LOCKER', lat: 33.5853, lon: -7.6326 },
  {
    id: 'SL-RBA-003',
    name: 'Smart Locker Agdal',
    address: 'Avenue de France, 10090 Rabat',
    carrier: 'express-relais',
    type: 'locker',
    city: 'Rabat',
    kind: 'LOCKER',
    lat: 33.9966,
    lon: -6.8498
  },
  {
    id: 'ER-MRK-0021',
    name: 'Relais Guéliz – Tabac Atlas',
    address: '14 Rue de la Liberté, Guéliz, 40000 Marrakech',
    carrier: 'express-relais',
    type: 'counter',
    city: 'Marrakech',
    kind: 'RELAY',
    lat: 31.6346,
    lon: -8.0105
  }
]

interface Parcel {
  id: string
  recipient: string
  mobile: string
  city: string
  cod: number
  point: DeliveryPoint | null
  createdAt: number
  plan: Array<{ status: string; at: number }>
}

interface ExpressRelaisSimOptions {
  clock: Clock
  port?: number
  username: string
  password: string
  parcels?: readonly ErFixture[]
}

export interface ExpressRelaisSim extends SimServer {
  addParcel(f: ErFixture): string
  statusOf(id: string): string | null
}

const pad = (n: number) => String(n).padStart(2, '0')
/** Casablanca local time (UTC+1), "YYYY-MM-DD HH:MM:SS". */
const erTimeText = (ms: number) => {
  const d = new Date(ms + 3_600_000)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
}

const error = (status: number, message: string, errors?: Record<string, string>): SimReply => ({
  status,
  body: { status: 'error', message, ...(errors ? { errors } : {}) }
})

export async function startExpressRelaisSimulator(opts: ExpressRelaisSimOptions): Promise<ExpressRelaisSim> {
  const { clock } = opts
  const parcels = new Map<string, Parcel>()

  const addParcel = (f: ErFixture): string => {
    const start = clock.now()
    const createdAt = start - f.ageHours * 3_600_000
    const span = Math.max(start - createdAt - 20 * 60_000, 3_600_000)
    parcels.set(f.idParcelClient, {
      id: f.idParcelClient,
      recipient: f.recipient,
      mobile: f.mobile,
      city: f.city,
      cod: f.cod,
      point: f.point,
      createdAt,
      plan: f.path.map((status, i) => ({
        status,
        at: i < f.done ? createdAt + Math.round((span * i) / Math.max(f.done - 1, 1)) : start + 60_000 + (i - f.done) * ER_STEP_GAP_MS
      }))
    })
    return f.idParcelClient
  }
  for (const f of opts.parcels ?? EXPRESS_RELAIS_FIXTURES) addParcel(f)

  const past = (p: Parcel) => p.plan.filter((s) => s.at <= clock.now())
  const current = (p: Parcel) => past(p).at(-1) ?? p.plan[0]!
  const waybillAt = (p: Parcel, i: number) => (i >= 2 && p.plan[i]!.status !== 'ORDER_REFUSED' ? erWaybill(p.id) : null)

  const statusView = (p: Parcel) => {
    const steps = past(p)
    const cur = current(p)
    const i = Math.max(0, steps.length - 1)
    return {
      idParcelClient: p.id,
      status: cur.status,
      statusDescription: erSimDescription(cur.status),
      statusComment: COMMENTS[cur.status] ?? '',
      statusUpdateTime: erTimeText(cur.at),
      waybill: waybillAt(p, i),
      deliveryPoint: p.point
        ? { id: p.point.id, name: p.point.name, address: p.point.address, type: p.point.type === 'locker' ? 'LOCKER' : 'RELAY' }
        : null
    }
  }

  const authorised = (req: SimRequest) => {
    const m = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '')
    if (!m) return false
    const [u, ...rest] = Buffer.from(m[1]!, 'base64').toString('utf8').split(':')
    return u === opts.username && rest.join(':') === opts.password
  }

  const param = (req: SimRequest, k: string): string => String(req.query.get(k) ?? req.form[k] ?? '').trim()

  const handler = (req: SimRequest): SimReply => {
    if (!authorised(req)) return { ...error(401, 'Unauthorized'), headers: { 'WWW-Authenticate': 'Basic realm="AIO"' } }
    const op = `${req.method} ${req.path.replace(/\/+$/, '')}`
    switch (op) {
      case 'GET /getInfoClient':
        return { status: 200, body: { status: 'success', data: { login: opts.username, name: 'Relais Maarif', city: 'Casablanca' } } }
      case 'GET /getStatusParcel': {
        const id = param(req, 'idParcelClient')
        if (!id) return error(400, 'Validation failed', { idParcelClient: 'required' })
        const p = parcels.get(id)
        if (!p) return error(404, `Parcel ${id} not found`)
        return { status: 200, body: { status: 'success', data: statusView(p) } }
      }
      case 'GET /getStatusMultipleParcels': {
        const ids = param(req, 'idParcelClient')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
        if (!ids.length) return error(400, 'Validation failed', { idParcelClient: 'required' })
        if (ids.length > ER_MULTI_MAX) return error(400, 'Validation failed', { idParcelClient: `at most ${ER_MULTI_MAX} parcels` })
        return {
          status: 200,
          body: {
            status: 'success',
            data: ids.filter((i) => parcels.has(i)).map((i) => statusView(parcels.get(i)!)),
            notFound: ids.filter((i) => !parcels.has(i))
          }
        }
      }
      case 'GET /getTrackingParcel': {
        const id = param(req, 'idParcelClient')
        if (!id) return error(400, 'Validation failed', { idParcelClient: 'required' })
        const p = parcels.get(id)
        if (!p) return error(404, `Parcel ${id} not found`)
        return {
          status: 200,
          body: {
            status: 'success',
            data: {
              idParcelClient: p.id,
              waybill: past(p).length > 2 ? erWaybill(p.id) : null,
              deliveryPoint: statusView(p).deliveryPoint,
              history: past(p).map((s, i) => ({
                status: s.status,
                statusDescription: erSimDescription(s.status),
                statusComment: COMMENTS[s.status] ?? '',
                date: erTimeText(s.at),
                waybill: waybillAt(p, i)
              }))
            }
          }
        }
      }
      case 'GET /getSmartLocker': {
        const city = param(req, 'city').toLowerCase()
        const list = ER_POINTS.filter((x) => !city || x.city.toLowerCase() === city)
        return {
          status: 200,
          body: {
            status: 'success',
            data: list.map((x) => ({
              id: x.id,
              name: x.name,
              address: x.address,
              city: x.city,
              type: x.kind,
              latitude: x.lat,
              longitude: x.lon
            }))
          }
        }
      }
      case 'POST /createAioOrder': {
        const f = (k: string) => param(req, k)
        const errors: Record<string, string> = {}
        for (const k of [
          'idParcelClient',
          'cityPickup',
          'addressPickup',
          'contactPickup',
          'contactPickupPhone',
          'typeDelivery',
          'lastNameRecipient',
          'firstNameRecipient',
          'mobileRecipient'
        ])
          if (!f(k)) errors[k] = 'required'
        const type = f('typeDelivery')
        if (type && type !== 'ADDRESS' && type !== 'LOCKER') errors.typeDelivery = 'ADDRESS or LOCKER'
        if (type === 'ADDRESS')
          for (const k of ['cityDelivery', 'addressDelivery']) if (!f(k)) errors[k] = 'required when typeDelivery = ADDRESS'
        const locker = type === 'LOCKER' ? ER_POINTS.find((x) => x.id === f('smartLocker')) : undefined
        if (type === 'LOCKER' && !locker) errors.smartLocker = f('smartLocker') ? 'unknown locker' : 'required when typeDelivery = LOCKER'
        const mobile = f('mobileRecipient')
        if (mobile && !/^212[67]\d{8}$/.test(mobile)) errors.mobileRecipient = 'Moroccan mobile expected (2126/2127 + 8 digits)'
        const w = f('weightParcel')
        if (w && !(Number(w) >= 1 && Number(w) <= 20)) errors.weightParcel = 'between 1 and 20 kg'
        if (f('cashOnDelivery') && !(Number(f('cashOnDelivery')) >= 0)) errors.cashOnDelivery = 'a positive amount'
        if (Object.keys(errors).length) return error(400, 'Validation failed', errors)
        if (parcels.has(f('idParcelClient'))) return error(409, `Parcel ${f('idParcelClient')} already exists`)
        const cod = Number(f('cashOnDelivery') || 0)
        const t = clock.now()
        const path = cod > 0 ? ER_FORWARD_COD : ER_FORWARD
        const p: Parcel = {
          id: f('idParcelClient'),
          recipient: `${f('firstNameRecipient')} ${f('lastNameRecipient')}`,
          mobile,
          city: f('cityDelivery') || (locker?.city ?? ''),
          cod,
          point: locker ? { id: locker.id, name: locker.name, address: locker.address, carrier: 'express-relais', type: 'locker' } : null,
          createdAt: t,
          plan: path.map((status, i) => ({ status, at: t + i * ER_STEP_GAP_MS }))
        }
        parcels.set(p.id, p)
        return { status: 200, body: { status: 'success', data: statusView(p) } }
      }
      case 'POST /cancelAioOrder': {
        const p = parcels.get(param(req, 'idParcelClient'))
        if (!p) return error(404, `Parcel ${param(req, 'idParcelClient')} not found`)
        const cur = current(p).status
        if (cur === 'ORDER_CANCELED') return { status: 200, body: { status: 'success', data: statusView(p) } }
        if (cur !== 'NEW_ORDER' && cur !== 'ORDER_CONFIRMED') return error(409, `Order can no longer be canceled (status ${cur})`)
        p.plan = [...past(p), { status: 'ORDER_CANCELED', at: clock.now() }]
        return { status: 200, body: { status: 'success', data: statusView(p) } }
      }
      case 'POST /returnParcel': {
        const p = parcels.get(param(req, 'idParcelClient'))
        if (!p) return error(404, `Parcel ${param(req, 'idParcelClient')} not found`)
        const cur = current(p).status
        if ((ER_RETURN as readonly string[]).includes(cur)) return { status: 200, body: { status: 'success', data: statusView(p) } }
        const returnable = ['PARCEL_RETRIEVED', 'WAITING_IN_LOCKER', 'DELIVERED_TO_LOCKER', 'DELAY_IN_RETRIEVE', 'PARCEL_ABANDONED']
        if (!returnable.includes(cur)) return error(409, `Return not possible in status ${cur}`)
        const t = clock.now()
        p.plan = [...past(p), ...ER_RETURN.map((status, i) => ({ status, at: t + i * ER_STEP_GAP_MS }))]
        return { status: 200, body: { status: 'success', data: statusView(p) } }
      }
      default:
        return error(404, 'Unknown operation')
    }
  }

  const server = await startSimServer({ handler, clock, port: opts.port, name: 'express-relais' })
  return Object.assign(server, {
    addParcel,
    statusOf: (id: string) => {
      const p = parcels.get(id)
      return p ? current(p).status : null
    }
  })
}

export { ER_FORWARD }
