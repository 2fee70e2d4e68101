import { describe, expect, it } from 'vitest'
import { createOfficeApi } from './office'

function fetchReturning(status: number, body: unknown, seen: RequestInit[] = []): typeof fetch {
  return (async (_url: string, init: RequestInit) => {
    seen.push(init)
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
  }) as unknown as typeof fetch
}

describe('head office client', () => {
  it('sends writes as JSON (the hub refuses a write that is not) and reads the answer through its schema', async () => {
    const seen: RequestInit[] = []
    const api = createOfficeApi({ fetchImpl: fetchReturning(200, { user: { name: 'chef', role: 'admin' } }, seen) })
    expect(await api.login('chef', 'pw')).toEqual({ ok: true, value: { user: { name: 'chef', role: 'admin' } } })
    expect(seen[0]).toMatchObject({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"chef","password":"pw"}'
    })
  })

  it('turns an answer of the wrong shape into a refusal, never a half-read object', async () => {
    const api = createOfficeApi({ fetchImpl: fetchReturning(200, { at: 'yesterday', points: [] }) })
    expect(await api.network()).toEqual({ ok: false, refusal: { refused: 'office.internal' } })
  })

  it('keeps the hub’s typed refusal, and says unreachable when no answer came', async () => {
    const refused = createOfficeApi({ fetchImpl: fetchReturning(429, { refused: 'office.throttled', retryAfterMs: 5000 }) })
    expect(await refused.login('a', 'b')).toEqual({ ok: false, refusal: { refused: 'office.throttled', retryAfterMs: 5000 } })
    const down = createOfficeApi({ fetchImpl: (() => Promise.reject(new TypeError('Failed to fetch'))) as unknown as typeof fetch })
    expect(await down.info()).toEqual({ ok: false, refusal: { refused: 'office.unreachable' } })
  })
})
