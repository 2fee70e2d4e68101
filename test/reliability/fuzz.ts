// Bad input: random and hostile payloads to every IPC channel (in-process dispatch and the
// loopback HTTP transport). Each must get a typed error (or a valid answer for a payload that
// happens to be valid); nothing may crash, and a rejected payload must write nothing.
import { request } from 'node:http'
import WebSocket from 'ws'
import type { Database } from 'better-sqlite3'
import { CHANNELS } from '../../src/shared/contract/channels'
import { ERROR_CODES } from '../../src/shared/result'
import type { Backend } from '../../src/main/backend'
import type { HttpTransport } from '../../src/main/platform/transport/http'
import { rng } from '../../bench/seed-store'

const FIELDS = [
  'id',
  'ids',
  'shipmentId',
  'query',
  'text',
  'limit',
  'offset',
  'status',
  'carrier',
  'account',
  'alias',
  'secrets',
  'printerId',
  'jobId',
  'batchId',
  'language',
  'point',
  'accept',
  'channel',
  'feedUrl',
  'size',
  'reprint',
  'kind',
  'options',
  'baseUrl',
  'enabled',
  '__proto__',
  'constructor',
  'prototype'
]

export interface FuzzReport {
  sent: number
  rejected: number
  accepted: number
  crashes: number
  writesOnRejection: number
  /** Every message the run produced (searched for secrets). */
  messages: string[]
  /** What went wrong: a crash, an untyped answer, a write on rejection. */
  problems: string[]
}

export function makeValue(rand: () => number, depth = 0): unknown {
  const pick = Math.floor(rand() * 16)
  switch (pick) {
    case 0:
      return null
    case 1:
      return rand() < 0.5
    case 2:
      return Math.floor(rand() * 2 ** 53) * (rand() < 0.5 ? -1 : 1)
    case 3:
      return rand() * 1e6 - 5e5
    case 4:
      return 'x'.repeat(Math.floor(rand() * 300_000))
    case 5:
      return '\ud800\udfff\ud800' + String.fromCharCode(Math.floor(rand() * 0xffff))
    case 6:
      return '"; DROP TABLE shipments; --' + "' OR 1=1 NEAR(* *)"
    case 7:
      return '\u0000\u0001\u001b[31m\u202e' + 'ECQFLD2611240017'
    case 8:
      return depth > 4 ? [] : Array.from({ length: Math.floor(rand() * 5) }, () => makeValue(rand, depth + 1))
    case 9:
      return depth > 4 ? {} : makeObject(rand, depth + 1)
    case 10:
      return JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}')
    case 11:
      return Math.floor(rand() * 100)
    case 12:
      return ['ecotrack', 'express-relais', 'sendcloud', 'fr', 'ar', 'stable', 'A6', 'delivered'][Math.floor(rand() * 8)]
    case 13:
      return String(Math.floor(rand() * 1000))
    case 14: {
      let deep: unknown = 1
      for (let i = 0; i < 2000; i++) deep = [deep]
      return deep
    }
    default:
      return ''
  }
}

function makeObject(rand: () => number, depth = 0): Record<string, unknown> {
  const o: Record<string, unknown> = {}
  const n = Math.floor(rand() * 4)
  for (let i = 0; i < n; i++)
    Object.defineProperty(o, FIELDS[Math.floor(rand() * FIELDS.length)]!, {
      value: makeValue(rand, depth),
      enumerable: true,
      writable: true,
      configurable: true
    })
  return o
}

const TABLES = ['shipments', 'tracking_events', 'remarks', 'outbox', 'print_jobs', 'label_files']

function counts(db: Database): string {
  return TABLES.map((t) => {
    try {
      return (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n
    } catch {
      return -1
    }
  }).join(',')
}

function isTypedError(r: unknown): boolean {
  if (!r || typeof r !== 'object') return false
  const x = r as { ok?: unknown; error?: { code?: unknown; message?: unknown } }
  if (x.ok === true) return true
  return x.ok === false && typeof x.error?.message === 'string' && (ERROR_CODES as readonly string[]).includes(String(x.error?.code))
}

export async function fuzzDispatch(backend: Backend, perChannel: number, seed: number, report: FuzzReport): Promise<void> {
  const rand = rng(seed)
  for (const channel of CHANNELS) {
    for (let i = 0; i < perChannel; i++) {
      const payload = i % 3 === 0 ? makeValue(rand) : makeObject(rand)
      const before = counts(backend.db)
      report.sent++
      try {
        const r = await backend.dispatch(channel, payload)
        if (!isTypedError(r)) {
          report.crashes++
          report.problems.push(`${channel}: untyped answer ${JSON.stringify(r).slice(0, 200)}`)
        } else if (r.ok) report.accepted++
        else {
          report.rejected++
          report.messages.push(r.error.message)
          if (counts(backend.db) !== before) {
            report.writesOnRejection++
            report.problems.push(`${channel}: rejected payload wrote to the store`)
          }
        }
      } catch (e) {
        report.crashes++
        report.problems.push(`${channel}: threw ${(e as Error).message}`)
      }
    }
  }
  if (({} as Record<string, unknown>).polluted !== undefined) {
    report.crashes++
    report.problems.push('Object.prototype was polluted')
  }
}

/** Raw HTTP: bad JSON, invalid UTF-8, wrong content types, unknown channels, oversize bodies. */
export async function fuzzHttp(
  http: HttpTransport,
  count: number,
  seed: number,
  report: FuzzReport,
  path = (ch: string) => `/rpc/${ch}`
): Promise<void> {
  const rand = rng(seed)
  const send = (p: string, body: Buffer, type: string) =>
    new Promise<{ status: number; text: string }>((ok) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: http.port,
          path: p,
          method: 'POST',
          headers: {
            host: `127.0.0.1:${http.port}`,
            'content-type': type,
            authorization: `Bearer ${http.token}`,
            'content-length': body.length
          }
        },
        (res) => {
          let text = ''
          res.on('data', (d) => (text += String(d)))
          res.on('end', () => ok({ status: res.statusCode ?? 0, text }))
        }
      )
      req.on('error', (e) => ok({ status: -1, text: e.message }))
      req.end(body)
    })
  for (let i = 0; i < count; i++) {
    const channel = rand() < 0.1 ? `no.such${i}` : CHANNELS[Math.floor(rand() * CHANNELS.length)]!
    const kind = Math.floor(rand() * 5)
    const body =
      kind === 0
        ? Buffer.concat([Buffer.from('{"query":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1]), Buffer.from('"}')])
        : kind === 1
          ? Buffer.from('{"id": 1,,}')
          : kind === 2
            ? Buffer.from(JSON.stringify(makeObject(rand)))
            : kind === 3
              ? Buffer.alloc(Math.floor(rand() * 1_500_000), 0x20)
              : Buffer.from(JSON.stringify(makeValue(rand)) ?? 'null')
    const type = rand() < 0.1 ? 'text/plain' : 'application/json'
    report.sent++
    const r = await send(path(channel), body, type)
    let parsed: unknown = null
    try {
      parsed = JSON.parse(r.text)
    } catch {
      parsed = null
    }
    if (r.status <= 0 || r.status >= 500 || !isTypedError(parsed)) {
      report.crashes++
      report.problems.push(`HTTP ${channel}: status ${r.status} ${r.text.slice(0, 200)}`)
    } else if ((parsed as { ok: boolean }).ok) report.accepted++
    else report.rejected++
  }
}

/**
 * Raw WebSocket frames on browser mode's /ws: bad JSON, invalid UTF-8, binary, random shapes,
 * unknown channels, oversize frames. Every frame gets a typed answer, or the socket is closed
 * with the protocol's own code (1007 invalid UTF-8, 1009 too big) and a new one opens; the
 * service must answer a normal call at the end.
 */
export async function fuzzSocket(http: HttpTransport, count: number, seed: number, report: FuzzReport): Promise<void> {
  const rand = rng(seed)
  const open = () =>
    new Promise<WebSocket>((ok, ko) => {
      const ws = new WebSocket(`ws://127.0.0.1:${http.port}/ws`, ['guichet.v1', `bearer.${http.token}`], {
        origin: `http://127.0.0.1:${http.port}`
      })
      ws.once('open', () => {
        // Close frames the service sends on bad input also surface as client errors: expected.
        ws.on('error', () => {})
        ok(ws)
      })
      ws.once('error', ko)
    })
  /** Sends one frame; resolves with the answer, or with the close code if the service closed. */
  const exchange = (ws: WebSocket, frame: Buffer, binary: boolean) =>
    new Promise<{ answer?: unknown; closed?: number }>((ok) => {
      const onMessage = (d: WebSocket.RawData) => {
        const m = JSON.parse(String(d)) as { event?: string; result?: unknown }
        if (m.event) return
        done({ answer: m.result })
      }
      const onClose = (code: number) => done({ closed: code })
      const done = (r: { answer?: unknown; closed?: number }) => {
        ws.off('message', onMessage)
        ws.off('close', onClose)
        ok(r)
      }
      ws.on('message', onMessage)
      ws.on('close', onClose)
      ws.send(frame, { binary })
    })
  let ws = await open()
  for (let i = 0; i < count; i++) {
    const channel = rand() < 0.1 ? `no.such${i}` : CHANNELS[Math.floor(rand() * CHANNELS.length)]!
    const kind = Math.floor(rand() * 7)
    const frame =
      kind === 0
        ? Buffer.concat([
            Buffer.from(`{"id":${i},"channel":"${channel}","input":{"query":"`),
            Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
            Buffer.from('"}}')
          ])
        : kind === 1
          ? Buffer.from('{"id": 1,,}')
          : kind === 2
            ? Buffer.from(JSON.stringify({ id: i, channel, input: makeObject(rand) }))
            : kind === 3
              ? Buffer.alloc(1_000_001 + Math.floor(rand() * 500_000), 0x20)
              : kind === 4
                ? Buffer.from(JSON.stringify(makeValue(rand)) ?? 'null')
                : kind === 5
                  ? Buffer.from(JSON.stringify({ id: i, channel, input: makeValue(rand) }))
                  : Buffer.from(JSON.stringify({ id: i, channel }))
    report.sent++
    const r = await exchange(ws, frame, rand() < 0.05)
    if (r.closed !== undefined) {
      if (r.closed === 1007 || r.closed === 1009) report.rejected++
      else {
        report.crashes++
        report.problems.push(`socket ${channel}: closed ${r.closed}`)
      }
      ws = await open()
    } else if (!isTypedError(r.answer)) {
      report.crashes++
      report.problems.push(`socket ${channel}: untyped answer ${JSON.stringify(r.answer).slice(0, 200)}`)
    } else if ((r.answer as { ok: boolean }).ok) report.accepted++
    else report.rejected++
  }
  const last = await exchange(ws, Buffer.from(JSON.stringify({ id: -1, channel: 'app.info' })), false)
  if ((last.answer as { ok?: boolean } | undefined)?.ok !== true) {
    report.crashes++
    report.problems.push('socket: the service stopped answering after the fuzz')
  }
  ws.close()
}
