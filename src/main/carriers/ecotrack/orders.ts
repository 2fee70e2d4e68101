// ECOTRACK order calls: create (one or bulk), update, validate, list, filter by status, confirm
// returns. Creation is never repeated automatically; the rest is safe to repeat.
import { CARRIER_NAMES } from '../../../shared/domain'
import type { HttpClient, HttpRequest } from '../http/client'
import { CarrierError } from '../types'
import { ECOTRACK_BATCH, checkOrder, type EcoStatusEntry, type EcotrackOrderInput, type EcotrackOrderRow } from './wire'

export interface EcotrackOrders {
  createOrder(input: EcotrackOrderInput): Promise<{ trackingNumber: string }>
  /** create/orders: up to 100 at once; one result per order, keyed by its reference upstream. */
  createOrders(
    inputs: Array<EcotrackOrderInput & { reference: string }>
  ): Promise<
    Array<{ reference: string; ok: true; trackingNumber: string } | { reference: string; ok: false; errors: Record<string, string[]> }>
  >
  /** valid/returns: the merchant confirms it received these returns; false when none was eligible. */
  confirmReturns(trackingNumbers: string[]): Promise<boolean>
  updateOrder(trackingNumber: string, fields: Record<string, string | number>): Promise<void>
  validateOrder(trackingNumber: string, askCollection?: boolean): Promise<void>
  listOrders(opts?: {
    page?: number
    startDate?: string
    endDate?: string
    tracking?: string
  }): Promise<{ page: number; lastPage: number; total: number; orders: EcotrackOrderRow[] }>
  /** get/orders/status with a filter: the current order status of those trackings (max 100) in the given statuses. */
  filterByStatus(trackingNumbers: string[], statuses: string[] | 'all'): Promise<Record<string, string>>
}

/** What the order calls share with the adapter: the HTTP core, the judging call, the auth header. */
interface EcotrackTransport {
  http: HttpClient
  call<T>(req: HttpRequest & { apiToken?: boolean }, opts?: { trackingParam?: boolean }): Promise<T>
  judge(status: number, body: unknown, req: HttpRequest, trackingParam: boolean): void
  auth: Record<string, string>
}

export function ecotrackOrders({ http, call, judge, auth }: EcotrackTransport): EcotrackOrders {
  return {
    async createOrder(input) {
      const problems = checkOrder(input)
      if (problems) throw new CarrierError('invalid_input', problems.message, { field: problems.field })
      const query: Record<string, string> = {}
      for (const [k, v] of Object.entries(input)) if (v !== undefined && v !== null && v !== '') query[k] = String(v)
      // Creation is not idempotent upstream: never repeated automatically.
      const body = await call<{ success: boolean; tracking?: string }>({
        method: 'POST',
        path: '/api/v1/create/order',
        query,
        safe: false,
        subject: input.reference ?? input.nom_client
      })
      if (!body.tracking) throw http.error('carrier_error', `${CARRIER_NAMES.ecotrack} created no tracking number`)
      return { trackingNumber: body.tracking }
    },

    async createOrders(inputs) {
      if (!inputs.length || inputs.length > ECOTRACK_BATCH)
        throw new CarrierError('invalid_input', `Send 1 to ${ECOTRACK_BATCH} orders at once`, { field: 'orders' })
      const refs = new Set(inputs.map((i) => i.reference))
      if (refs.size !== inputs.length)
        throw new CarrierError('invalid_input', 'Each order needs its own reference (results are keyed by it)', { field: 'reference' })
      const orders: Record<string, EcotrackOrderInput> = {}
      inputs.forEach((o, i) => (orders[String(i)] = o))
      const req: HttpRequest = {
        method: 'POST',
        path: '/api/v1/create/orders',
        body: JSON.stringify({ orders }),
        headers: { ...auth, 'content-type': 'application/json' },
        safe: false,
        subject: `${inputs.length} orders`
      }
      const { status, body } = await http.json<{
        results?: Record<string, { success?: boolean; tracking?: string } & Record<string, unknown>>
      }>(req)
      // A mixed batch comes back 422 with per-order results: that is an answer, not a failure.
      if (!body?.results || typeof body.results !== 'object') {
        judge(status, body, req, false)
        throw http.error('carrier_error', `${CARRIER_NAMES.ecotrack} bulk answer has no results`, req)
      }
      return inputs.map((o) => {
        const r = body.results![o.reference]
        if (r && r.success === true && typeof r.tracking === 'string')
          return { reference: o.reference, ok: true as const, trackingNumber: r.tracking }
        return {
          reference: o.reference,
          ok: false as const,
          errors: (r as Record<string, string[]> | undefined) ?? { reference: ['missing from the answer'] }
        }
      })
    },

    async confirmReturns(trackingNumbers) {
      if (!trackingNumbers.length) throw new CarrierError('invalid_input', 'No return to confirm', { field: 'trackings' })
      const body = await call<{ returned?: string }>({
        method: 'POST',
        path: '/api/v1/valid/returns',
        body: JSON.stringify({ trackings: trackingNumbers }),
        headers: { 'content-type': 'application/json' },
        safe: true
      })
      return body.returned === 'success'
    },

    async updateOrder(trackingNumber, fields) {
      const query: Record<string, string> = { tracking: trackingNumber }
      for (const [k, v] of Object.entries(fields)) query[k] = String(v)
      await call({ method: 'POST', path: '/api/v1/update/order', query, safe: true, subject: trackingNumber }, { trackingParam: true })
    },

    async validateOrder(trackingNumber, askCollection = false) {
      await call(
        {
          method: 'POST',
          path: '/api/v1/valid/order',
          query: { tracking: trackingNumber, ask_collection: askCollection ? 1 : 0 },
          safe: true,
          subject: trackingNumber
        },
        { trackingParam: true }
      )
    },

    async listOrders(opts = {}) {
      const body = await call<{ current_page: number; last_page: number; total: number; data: EcotrackOrderRow[] }>({
        method: 'GET',
        path: '/api/v1/get/orders',
        query: { page: opts.page, start_date: opts.startDate, end_date: opts.endDate, tracking: opts.tracking }
      })
      if (!Array.isArray(body.data)) throw http.error('carrier_error', `${CARRIER_NAMES.ecotrack} orders answer has no data`)
      return { page: body.current_page, lastPage: body.last_page, total: body.total, orders: body.data }
    },

    async filterByStatus(trackingNumbers, statuses) {
      if (trackingNumbers.length > ECOTRACK_BATCH)
        throw new CarrierError('invalid_input', `At most ${ECOTRACK_BATCH} tracking numbers per status call`, { field: 'trackings' })
      const body = await call<{ data?: Record<string, EcoStatusEntry> | unknown[] }>({
        method: 'GET',
        path: '/api/v1/get/orders/status',
        apiToken: true,
        query: { trackings: trackingNumbers.join(','), status: statuses === 'all' ? 'all' : statuses.join(',') }
      })
      const data = body.data && !Array.isArray(body.data) ? body.data : {}
      return Object.fromEntries(Object.entries(data).map(([t, e]) => [t, e.status]))
    }
  }
}
