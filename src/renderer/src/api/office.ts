import type { z } from 'zod'
import {
  officeEnrolAnswerSchema,
  officeInfoSchema,
  officeNetworkSchema,
  officePointStockSchema,
  officeRefusalSchema,
  officeRevokeAnswerSchema,
  loginAnswerSchema,
  logoutAnswerSchema,
  type OfficeEnrolRequest,
  type OfficeInfo,
  type OfficeNetwork,
  type OfficePointStock,
  type OfficeRefusal,
  type OfficeUser
} from '@shared/hub/office'

// Head office's client of the hub (/office/v1, src/hub/office.ts). The session is the hub's
// HttpOnly cookie, which the page never reads; every answer is checked against the shared schemas,
// so a hub of another version reads as a refusal, never as a half-understood object.

/** A refusal from the hub, or `office.unreachable` when no answer came (the hub down, the network cut). */
export type OfficeFailure = OfficeRefusal | { refused: 'office.unreachable' }
export type OfficeResult<T> = { ok: true; value: T } | { ok: false; refusal: OfficeFailure }

export interface OfficeApi {
  info(): Promise<OfficeResult<OfficeInfo>>
  login(name: string, password: string): Promise<OfficeResult<{ user: OfficeUser }>>
  logout(): Promise<OfficeResult<{ signedOut: true }>>
  network(): Promise<OfficeResult<OfficeNetwork>>
  pointStock(pointId: string): Promise<OfficeResult<OfficePointStock>>
  createEnrolmentCode(req: OfficeEnrolRequest): Promise<OfficeResult<{ code: string }>>
  revokeDesk(deskId: string): Promise<OfficeResult<{ revoked: boolean }>>
}

export function createOfficeApi(opts: { base?: string; fetchImpl?: typeof fetch } = {}): OfficeApi {
  const base = opts.base ?? ''
  const doFetch = opts.fetchImpl ?? ((...a: Parameters<typeof fetch>) => fetch(...a))

  async function call<T>(method: 'GET' | 'POST', path: string, schema: z.ZodType<T>, body?: unknown): Promise<OfficeResult<T>> {
    let res: Response
    let json: unknown
    try {
      res = await doFetch(`${base}/office/v1${path}`, {
        method,
        credentials: 'same-origin',
        // A JSON body on every write: the hub refuses a write that is not (its CSRF rule).
        ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) } : {})
      })
      json = await res.json()
    } catch {
      return { ok: false, refusal: { refused: 'office.unreachable' } }
    }
    if (!res.ok) {
      const r = officeRefusalSchema.safeParse(json)
      return { ok: false, refusal: r.success ? r.data : { refused: 'office.internal' } }
    }
    const r = schema.safeParse(json)
    return r.success ? { ok: true, value: r.data } : { ok: false, refusal: { refused: 'office.internal' } }
  }

  return {
    info: () => call('GET', '/info', officeInfoSchema),
    login: (name, password) => call('POST', '/login', loginAnswerSchema, { name, password }),
    logout: () => call('POST', '/logout', logoutAnswerSchema),
    network: () => call('GET', '/network', officeNetworkSchema),
    pointStock: (pointId) => call('GET', `/points/${encodeURIComponent(pointId)}/parcels`, officePointStockSchema),
    createEnrolmentCode: (req) => call('POST', '/enrolment-codes', officeEnrolAnswerSchema, req),
    revokeDesk: (deskId) => call('POST', `/desks/${encodeURIComponent(deskId)}/revoke`, officeRevokeAnswerSchema)
  }
}
