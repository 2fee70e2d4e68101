// The desk's side of the wire to the hub: every answer is checked against the shared contract,
// and a failure is a value (unreachable or a typed refusal), never a throw the caller forgets.
import type { z } from 'zod'
import {
  HUB_PROTOCOL,
  enrolAnswerSchema,
  hubRefusalSchema,
  leaseAnswerSchema,
  pullAnswerSchema,
  pushAnswerSchema,
  type EnrolAnswer,
  type HubRefusal,
  type LeaseAnswer,
  type LeaseRequest,
  type PullAnswer,
  type PushAnswer,
  type PushRequest
} from '../../../shared/hub/contract'
import { isLoopbackOrigin, originOf } from '../../core/credentials/origin'

/**
 * Why the desk will not call this hub URL, or null: https anywhere, plain http only to this
 * computer (loopback). The credential and every fact would otherwise cross the network readable.
 */
export function hubUrlRefusal(url: string): HubRefusal | null {
  const o = originOf(url)
  if (!o || (o.startsWith('http:') && !isLoopbackOrigin(o))) return { refused: 'hub.insecure_url', field: 'url' }
  return null
}

export type HubCall<T> = { ok: true; value: T } | { ok: false; refusal: HubRefusal; status: number } | { ok: false; unreachable: string }

interface HubCredential {
  deskId: string
  credential: string
}

export class HubClient {
  constructor(
    readonly baseUrl: string,
    private readonly auth: HubCredential | null,
    private readonly timeoutMs = 15_000
  ) {}

  enrol(code: string, deskName: string): Promise<HubCall<EnrolAnswer>> {
    return this.call('POST', '/v1/enrol', enrolAnswerSchema, { code, deskName, protocol: HUB_PROTOCOL })
  }
  push(req: PushRequest): Promise<HubCall<PushAnswer>> {
    return this.call('POST', '/v1/events', pushAnswerSchema, req)
  }
  pull(cursor: number, limit?: number): Promise<HubCall<PullAnswer>> {
    return this.call('GET', `/v1/events?cursor=${cursor}${limit ? `&limit=${limit}` : ''}`, pullAnswerSchema)
  }
  lease(req: LeaseRequest): Promise<HubCall<LeaseAnswer>> {
    return this.call('POST', '/v1/lease', leaseAnswerSchema, req)
  }
  release(account: string): Promise<HubCall<unknown>> {
    return this.call('POST', '/v1/lease/release', null, { account })
  }

  private async call<T>(method: string, path: string, schema: z.ZodType<T> | null, body?: unknown): Promise<HubCall<T>> {
    // Status 0: refused here, before a byte leaves (a link stored by an older version included).
    const insecure = hubUrlRefusal(this.baseUrl)
    if (insecure) return { ok: false, refusal: insecure, status: 0 }
    let res: Response
    try {
      res = await fetch(this.baseUrl + path, {
        method,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(this.auth ? { authorization: `Bearer ${this.auth.deskId}.${this.auth.credential}` } : {})
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs)
      })
    } catch (e) {
      return { ok: false, unreachable: (e as Error).name === 'TimeoutError' ? 'timeout' : 'network' }
    }
    let json: unknown
    try {
      json = await res.json()
    } catch {
      return { ok: false, unreachable: 'bad_answer' }
    }
    if (!res.ok) {
      const r = hubRefusalSchema.safeParse(json)
      return r.success ? { ok: false, refusal: r.data, status: res.status } : { ok: false, unreachable: `http_${res.status}` }
    }
    if (!schema) return { ok: true, value: json as T }
    const v = schema.safeParse(json)
    return v.success ? { ok: true, value: v.data } : { ok: false, unreachable: 'bad_answer' }
  }
}
