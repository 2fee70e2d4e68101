import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startHttpTransport, type HttpTransport } from './http'
import { testBackend } from '../../../../test/helpers/backend'
import { silentLogger } from '../logger'

const backend = testBackend()
const rendererDir = mkdtempSync(join(tmpdir(), 'guichet-renderer-'))
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Guichet</title>')
let http: HttpTransport

beforeAll(async () => {
  http = await startHttpTransport({
    dispatch: backend.dispatch,
    events: backend.events,
    logger: silentLogger,
    rendererDir,
    port: 0,
    maxBodyBytes: 64_000
  })
})
afterAll(async () => {
  await http.close()
  backend.close()
})

interface Opts {
  token?: string | null
  origin?: string | null
  host?: string
  path?: string
}

/** Opens a socket the way the page does, with overridable credentials; resolves when open or refused. */
function open(o: Opts = {}): Promise<{ ws: WebSocket; status: number | null }> {
  const token = o.token === undefined ? http.token : o.token
  const protocols = token === null ? ['guichet.v1'] : ['guichet.v1', `bearer.${token}`]
  const headers: Record<string, string> = {}
  if (o.host) headers.host = o.host
  const ws = new WebSocket(`ws://127.0.0.1:${http.port}${o.path ?? '/ws'}`, protocols, {
    headers,
    ...(o.origin === null ? {} : { origin: o.origin ?? `http://127.0.0.1:${http.port}` })
  })
  return new Promise((resolve) => {
    ws.once('open', () => resolve({ ws, status: null }))
    ws.once('unexpected-response', (_req, res) => {
      resolve({ ws, status: res.statusCode ?? 0 })
      ws.terminate()
    })
    ws.once('error', () => resolve({ ws, status: -1 }))
  })
}

/** Sends one frame and waits for the next frame that is not an event. */
function call(
  ws: WebSocket,
  frame: string | Buffer,
  binary = false
): Promise<{ id: number | null; result: { ok: boolean; value?: unknown; error?: { code: string; field?: string } } }> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const m = JSON.parse(String(data)) as { id?: number | null; event?: string }
      if (m.event) return
      ws.off('message', onMessage)
      resolve(m as never)
    }
    ws.on('message', onMessage)
    ws.send(frame, { binary })
  })
}

describe('browser-mode WebSocket', () => {
  it('answers calls with the same Result envelope as IPC', async () => {
    const { ws, status } = await open()
    expect(status).toBeNull()
    expect(ws.protocol).toBe('guichet.v1')
    const reply = await call(ws, JSON.stringify({ id: 1, channel: 'app.info', input: {} }))
    expect(reply).toMatchObject({ id: 1, result: { ok: true, value: { name: 'Guichet', mode: 'browser' } } })
    ws.close()
  })

  it('keeps answers apart when calls overlap', async () => {
    const { ws } = await open()
    const answers = new Map<number, unknown>()
    const done = new Promise<void>((resolve) =>
      ws.on('message', (d) => {
        const m = JSON.parse(String(d)) as { id: number; result: unknown }
        answers.set(m.id, m.result)
        if (answers.size === 3) resolve()
      })
    )
    ws.send(JSON.stringify({ id: 10, channel: 'app.info' }))
    ws.send(JSON.stringify({ id: 11, channel: 'shipments.get', input: { id: 'x' } }))
    ws.send(JSON.stringify({ id: 12, channel: 'no.such' }))
    await done
    expect(answers.get(10)).toMatchObject({ ok: true })
    expect(answers.get(11)).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'id' } })
    expect(answers.get(12)).toMatchObject({ ok: false, error: { code: 'unknown_channel' } })
    ws.close()
  })

  it('refuses a missing or wrong token, a foreign page, a foreign Host and other paths', async () => {
    expect((await open({ token: null })).status).toBe(401)
    expect((await open({ token: 'nope' })).status).toBe(401)
    // Any site open in the same browser could otherwise reach the loopback port.
    expect((await open({ origin: 'http://evil.example' })).status).toBe(403)
    expect((await open({ origin: null })).status).toBe(403)
    expect((await open({ host: 'evil.example:80', origin: 'http://evil.example:80' })).status).toBe(403)
    expect((await open({ path: '/other' })).status).toBe(404)
  })

  it('answers bad frames with a clear error and stays open', async () => {
    const { ws } = await open()
    expect(await call(ws, '{"id": 2,')).toMatchObject({ id: null, result: { ok: false, error: { code: 'invalid_input' } } })
    expect(await call(ws, JSON.stringify({ channel: 'app.info' }))).toMatchObject({
      id: null,
      result: { ok: false, error: { code: 'invalid_input' } }
    })
    expect(await call(ws, JSON.stringify({ id: 3 }))).toMatchObject({ id: 3, result: { ok: false, error: { code: 'invalid_input' } } })
    expect(await call(ws, Buffer.from('{"id":4,"channel":"app.info"}'), true)).toMatchObject({
      id: null,
      result: { ok: false, error: { code: 'invalid_input' } }
    })
    expect(await call(ws, JSON.stringify({ id: 5, channel: 'app.info' }))).toMatchObject({ id: 5, result: { ok: true } })
    ws.close()
  })

  it('closes a socket that sends more than the body limit (1009)', async () => {
    const { ws } = await open()
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
    ws.send(JSON.stringify({ id: 6, channel: 'shipments.find', input: { query: 'x'.repeat(100_000) } }))
    expect(await closed).toBe(1009)
  })

  it('pushes the contract events to every open page', async () => {
    const a = await open()
    const b = await open()
    const got = (ws: WebSocket) =>
      new Promise<{ event: string; payload: unknown }>((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)) as never)))
    const [ea, eb] = [got(a.ws), got(b.ws)]
    backend.events.emit('connectivity', { online: false, lastGoodSyncAt: null })
    expect(await ea).toEqual({ event: 'connectivity', payload: { online: false, lastGoodSyncAt: null } })
    expect(await eb).toMatchObject({ event: 'connectivity' })
    a.ws.close()
    b.ws.close()
  })
})
