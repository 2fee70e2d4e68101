// The ECOTRACK simulator: the API of the contract note §1 (same paths, methods, parameter rules,
// business errors 10001-10003 with HTTP 200, Laravel 422s, pagination, batch limits and the
// 50/min, 1500/h, 15000/day limits with their headers), on a clock the test controls. The paths
// are in routes.ts, the parcels and reference data in state.ts, the refusals and limits in faults.ts.
import type { Clock } from '../../../platform/clock'
import { startSimServer, type SimReply, type SimRequest, type SimServer } from '../../sim/server'
import type { EcoFixture } from './fixtures'
import { createThrottle } from './faults'
import { ecotrackRoutes } from './routes'
import { createEcotrackState } from './state'

export { ECOTRACK_LIMITS } from './faults'
export { ecotrackReferenceData } from './state'

interface EcotrackSimOptions {
  clock: Clock
  port?: number
  /** Valid API tokens. */
  tokens: string[]
  parcels?: readonly EcoFixture[]
  shopName?: string
  /** Tokens whose API access is disabled (validate/token says TOKEN_NOT_ALLOWED). */
  disabledTokens?: string[]
}

export interface EcotrackSim extends SimServer {
  /** Adds a parcel directly (tests), returns its tracking. */
  addParcel(f: EcoFixture): string
  /** Current order status of a parcel (null if unknown). */
  statusOf(tracking: string): string | null
  /** Calls counted against a token's limits, and 429s served. */
  stats: { calls: number; tooMany: number }
  /** The courier starts or stops serving a wilaya (create/order then answers error 10002). */
  setServed(wilaya: number, served: boolean): void
}

export async function startEcotrackSimulator(opts: EcotrackSimOptions): Promise<EcotrackSim> {
  const st = createEcotrackState(opts)
  const { clock, parcels, served, stats, addParcel, current } = st
  const throttle = createThrottle(clock, stats)
  let url = ''
  const route = ecotrackRoutes(st, () => url)

  const tokenOf = (req: SimRequest): { token: string | null; viaQuery: boolean } => {
    const q = req.query.get('api_token')
    if (q) return { token: q, viaQuery: true }
    const auth = req.headers.authorization
    const m = auth && /^Bearer\s+(.+)$/i.exec(auth)
    return { token: m ? m[1]!.trim() : null, viaQuery: false }
  }

  const handler = (req: SimRequest): SimReply => {
    const path = req.path.replace(/\/+$/, '') || '/'
    const { token, viaQuery } = tokenOf(req)
    if (path === '/api/v1/validate/token') {
      // Documented: the token goes in api_token here, the Bearer header alone is not enough.
      if (!viaQuery || !token) return { status: 200, body: { success: false, message: 'INVALID_TOKEN' } }
      if (opts.disabledTokens?.includes(token)) return { status: 200, body: { success: false, message: 'TOKEN_NOT_ALLOWED' } }
      return {
        status: 200,
        body: opts.tokens.includes(token) ? { success: true, message: 'VALID_TOKEN' } : { success: false, message: 'INVALID_TOKEN' }
      }
    }
    if (!token || !opts.tokens.includes(token) || (path === '/api/v1/get/orders/status' && !viaQuery)) {
      return { status: 401, body: { message: 'Unauthenticated.' } }
    }
    const th = throttle(token)
    if (th.blocked) return th.blocked
    const reply = route(req, path)
    reply.headers = { ...th.headers, ...reply.headers }
    return reply
  }

  const server = await startSimServer({ handler, clock, port: opts.port, name: 'ecotrack' })
  url = server.url
  return Object.assign(server, {
    addParcel,
    setServed: (w: number, on: boolean) => void (on ? served.add(w) : served.delete(w)),
    statusOf: (t: string) => {
      const p = parcels.get(t)
      return p ? current(p).order : null
    },
    stats
  })
}
