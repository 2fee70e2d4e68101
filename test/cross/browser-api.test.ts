// The renderer's browser-mode client against the real loopback transport and backend: calls and
// events on one WebSocket, the HTTP fallback, and what a page sees when the service goes away.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createBrowserApi } from '../../src/renderer/src/api/browser'
import { startHttpTransport } from '../../src/main/platform/transport/http'
import { silentLogger } from '../../src/main/platform/logger'
import { testBackend } from '../helpers/backend'

const rendererDir = mkdtempSync(join(tmpdir(), 'guichet-renderer-'))
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Guichet</title>')

/** The ws package's client, sending the Origin a page on the service's own address would. */
function pageWebSocket(origin: string): typeof globalThis.WebSocket {
  return class extends WebSocket {
    constructor(url: string, protocols: string[]) {
      super(url, protocols, { origin })
    }
  } as unknown as typeof globalThis.WebSocket
}

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function setup(opts: { port?: number; token?: string; hang?: string } = {}) {
  const backend = testBackend()
  // `hang` names a channel whose answer never comes, to cut the service in the middle of a call.
  const dispatch: typeof backend.dispatch = (channel, input) =>
    channel === opts.hang ? new Promise(() => {}) : backend.dispatch(channel, input)
  const http = await startHttpTransport({
    dispatch,
    events: backend.events,
    logger: silentLogger,
    rendererDir,
    port: opts.port ?? 0,
    token: opts.token
  })
  let posts = 0
  http.server.prependListener('request', (req) => {
    if (req.url?.startsWith('/rpc/')) posts++
  })
  const client = (token = http.token) =>
    createBrowserApi(token, { base: http.url, WebSocketImpl: pageWebSocket(http.url), reconnectMs: 50 })
  let closed = false
  const stop = async () => {
    if (closed) return
    closed = true
    await http.close()
  }
  cleanups.push(() => backend.close(), stop)
  return { backend, http, client, posts: () => posts, stop }
}

describe('browser-mode client', () => {
  it('makes its calls on the socket, not one HTTP request each', async () => {
    const { client, posts } = await setup()
    const api = client()
    const [info, found] = await Promise.all([api.app.info(), api.shipments.find({ query: 'ECQFLD2611240017' })])
    expect(info).toMatchObject({ ok: true, value: { name: 'Guichet', mode: 'browser' } })
    expect(found).toMatchObject({ ok: true })
    expect(await api.shipments.get({ id: 'x' } as never)).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(posts()).toBe(0)
  })

  it('delivers push events to the listeners of that event only', async () => {
    const { client, backend } = await setup()
    const api = client()
    const seen: unknown[] = []
    const other: unknown[] = []
    api.on('connectivity', (p) => seen.push(p))
    api.on('outbox.changed', (p) => other.push(p))
    await api.app.info() // the socket is open once a call has come back
    backend.events.emit('connectivity', { online: false, lastGoodSyncAt: null })
    await expect.poll(() => seen).toEqual([{ online: false, lastGoodSyncAt: null }])
    expect(other).toEqual([])
  })

  it('tells a wrong token apart from a stopped service', async () => {
    const { client, stop, posts } = await setup()
    const wrong = await client('not-the-token').app.info()
    expect(wrong).toMatchObject({ ok: false, error: { code: 'unauthorized' } })
    expect(posts()).toBe(1) // the refused socket fell back to HTTP, which says why
    const api = client()
    await stop()
    expect(await api.app.info()).toMatchObject({ ok: false, error: { code: 'offline', retryable: true } })
  })

  it('ends a call cut by the service as offline, then reconnects by itself and hears events again', async () => {
    const first = await setup({ hang: 'shipments.find' })
    const api = first.client()
    const seen: unknown[] = []
    api.on('connectivity', (p) => seen.push(p))
    await api.app.info()
    const cut = api.shipments.find({ query: 'ECQFLD2611240017' })
    await new Promise((r) => setTimeout(r, 20))
    await first.stop()
    expect(await cut).toMatchObject({ ok: false, error: { code: 'offline', retryable: true } })
    // The service comes back on the same address (GUICHET_PORT) with the same token.
    const second = await setup({ port: first.http.port, token: first.http.token })
    await expect.poll(async () => (await api.app.info()).ok).toBe(true)
    second.backend.events.emit('connectivity', { online: true, lastGoodSyncAt: null })
    await expect.poll(() => seen).toEqual([{ online: true, lastGoodSyncAt: null }])
    expect(second.posts()).toBe(0)
  })
})
