// What the receiver's settings answer the screen: codes with a reason the renderer words, never
// main's English (issue 18: the LAN-bind refusal, a port in use).
import { rmSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { testBackend } from '../helpers/backend'

let close: Array<() => void | Promise<void>> = []
afterEach(async () => {
  for (const c of close.reverse()) await c()
  close = []
})

describe('webhook receiver errors reach the screen as codes', () => {
  it('refuses a LAN address with forbidden + reason loopback_only, and a non-IP with not_an_ip', async () => {
    const b = testBackend({ demo: false })
    close.push(() => (b.close(), rmSync(b.dataDir, { recursive: true, force: true })))
    expect(await b.dispatch('webhooks.configure', { enabled: true, host: '192.168.1.20' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', field: 'host', params: { reason: 'loopback_only' } }
    })
    expect(await b.dispatch('webhooks.configure', { enabled: true, host: 'shop-pc' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'host', params: { reason: 'not_an_ip' } }
    })
    expect(await b.dispatch('webhooks.status', {})).toMatchObject({ ok: true, value: { listening: false, problem: null } })
  })

  it('says a port in use with conflict + reason cannot_listen, in the answer and in the status', async () => {
    const busy = createServer()
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()))
    close.push(() => new Promise<void>((r) => busy.close(() => r())))
    const port = (busy.address() as AddressInfo).port
    const b = testBackend({ demo: false })
    close.push(() => (b.close(), rmSync(b.dataDir, { recursive: true, force: true })))
    const expected = { code: 'conflict', params: { reason: 'cannot_listen', port } }
    expect(await b.dispatch('webhooks.configure', { enabled: true, host: '127.0.0.1', port })).toMatchObject({
      ok: false,
      error: { ...expected, field: 'port' }
    })
    const status = await b.dispatch('webhooks.status', {})
    expect(status).toMatchObject({ ok: true, value: { enabled: true, listening: false, problem: expected } })
  })
})
