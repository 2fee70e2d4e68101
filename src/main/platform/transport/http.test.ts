import { mkdtempSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHttpTransport, type HttpTransport } from './http'
import { testBackend } from '../../../../test/helpers/backend'
import { silentLogger } from '../logger'

const backend = testBackend()
const rendererDir = mkdtempSync(join(tmpdir(), 'guichet-renderer-'))
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Guichet</title>')
let http: HttpTransport

beforeAll(async () => {
  http = await startHttpTransport({ dispatch: backend.dispatch, events: backend.events, logger: silentLogger, rendererDir, port: 0 })
})
afterAll(async () => {
  await http.close()
  backend.close()
})

const rpc = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${http.url}/rpc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${http.token}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body)
  })

/** Raw request, for headers fetch will not let us set (Host). */
const raw = (path: string, headers: Record<string, string>) =>
  new Promise<number>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: http.port, path, headers }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end()
  })

describe('browser-mode HTTP transport', () => {
  it('prints an app URL with the token in the fragment, not the query', () => {
    expect(http.appUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{40,}$/)
  })

  it('answers 401 without a token or with a wrong one', async () => {
    const none = await fetch(`${http.url}/rpc/app.info`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(none.status).toBe(401)
    expect(await none.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } })
    const wrong = await rpc('app.info', {}, { authorization: 'Bearer nope' })
    expect(wrong.status).toBe(401)
    const events = await fetch(`${http.url}/events`)
    expect(events.status).toBe(401)
  })

  it('works with the token', async () => {
    const res = await rpc('app.info', {})
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ ok: true, value: { name: 'Guichet', mode: 'browser' } })
  })

  it('gives invalid_input naming the field for bad input, and for bad JSON', async () => {
    const bad = await (await rpc('shipments.get', { id: 'seven' })).json()
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'id' } })
    const notJson = await rpc('shipments.get', '{"id":')
    expect(notJson.status).toBe(400)
    expect(await notJson.json()).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
  })

  it('refuses bodies that are too large or not JSON', async () => {
    const big = await rpc('shipments.find', { query: 'x'.repeat(2_000_000) })
    expect(big.status).toBe(413)
    const text = await rpc('app.info', '{}', { 'content-type': 'text/plain' })
    expect(text.status).toBe(415)
  })

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect(await raw('/', { host: 'evil.example:80' })).toBe(403)
    expect(await raw('/', { host: `127.0.0.1:${http.port}` })).toBe(200)
  })

  it('serves the UI with a CSP and never outside its folder', async () => {
    const page = await fetch(`${http.url}/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(await raw('/..%2f..%2fetc%2fpasswd', { host: `127.0.0.1:${http.port}` })).toBe(400)
    // The URL parser folds %2e%2e itself: what is left is looked up inside the UI folder only.
    expect(await raw('/%2e%2e/%2e%2e/etc/passwd', { host: `127.0.0.1:${http.port}` })).toBe(404)
  })

  it('streams push events to an authorised client', async () => {
    const ac = new AbortController()
    const res = await fetch(`${http.url}/events`, { headers: { authorization: `Bearer ${http.token}` }, signal: ac.signal })
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
    await reader.read() // ": connected"
    backend.events.emit('connectivity', { online: false, lastGoodSyncAt: null })
    let text = ''
    while (!text.includes('\n\n', text.indexOf('event:'))) text += (await reader.read()).value ?? ''
    expect(text).toContain('event: connectivity')
    expect(text).toContain('"online":false')
    ac.abort()
  })

  it('refuses to bind anything but loopback', async () => {
    await expect(
      startHttpTransport({ dispatch: backend.dispatch, events: backend.events, logger: silentLogger, rendererDir, host: '0.0.0.0' })
    ).rejects.toThrow(/loopback/)
  })
})
