// The local webhook receiver: OFF unless the user turns it on, bound where the user says (an IP
// address, 127.0.0.1 by default). POST /webhooks/<carrier>/<alias> is routed to that carrier
// module's WebhookHandler: verify the shared secret, parse, then feed the status pipeline with
// source 'webhook'. Aggregators retry until they get a 200 and do not keep order, so handling is
// idempotent (events dedupe on their key; the latest event by time sets the status) and the
// answer is quick. A bad payload gets a typed JSON error and nothing is written.
import type * as Http from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type * as Net from 'node:net'
import type { AddressInfo, Socket } from 'node:net'
import type { CarrierId } from '../../../shared/domain'
import { ShipmentRefs, type ShipmentRef } from '../../core/shipments/refs'
import type { AppError } from '../../../shared/result'
import { GuichetError } from '../../../shared/result'
import { trackingKey } from '../../../shared/scan'
import { CarrierError, type CarrierAccount, type CarrierModule, type WebhookRequest, type WebhookUpdate } from '../../carriers/types'
import type { Database } from '../../platform/db/database'
import { mapNative, type StatusPipeline, type StatusUpdate } from '../../core/pipeline/pipeline'
import type { Logger } from '../../platform/logger'
import { WEBHOOK_SECRET_MIN_BYTES, isWebhookSecretCarrier } from '../../../shared/webhook-secret'
import { storedWebhookSecret } from './secrets'
import { lazyRequire } from '../../platform/startup/lazy'

// Loaded when a receiver starts (a warehouse that takes webhooks), not at every desk's start.
const http = lazyRequire<typeof Http>('node:http')
const net = lazyRequire<typeof Net>('node:net')

const MAX_BODY_BYTES = 1024 * 1024

/** What was accepted: enough to forward the notification and to log it. */
export interface AcceptedNotification {
  carrier: CarrierId
  account: string
  rawBody: Buffer
  contentType: string
  trackingNumbers: string[]
  added: number
  duplicates: number
  /** Tracking numbers no local shipment has (acknowledged, nothing written). */
  unknown: string[]
}

interface ReceiverOptions {
  host?: string
  port?: number
  db: Database
  pipeline: StatusPipeline
  logger: Logger
  moduleFor(carrier: CarrierId): CarrierModule | undefined
  accountFor(carrier: CarrierId, alias: string): CarrierAccount | null
  /** Called after a notification brought something new (not for a pure retry). */
  onAccepted?(n: AcceptedNotification): void
}

export interface WebhookReceiver {
  url: string
  host: string
  port: number
  server: Server
  close(): Promise<void>
}

/**
 * Accepts a loopback IP literal or "localhost"; anything else is a typed error. The receiver
 * speaks plain HTTP, so it listens on this computer only: a carrier reaches it through a
 * TLS-terminating tunnel or proxy, never as clear text across the shop's network.
 */
export function validateBindHost(host: string | undefined): string {
  const h = (host ?? '127.0.0.1').trim()
  if (h === 'localhost') return '127.0.0.1'
  // params.reason: the renderer words these (errors.reasons.*); the message is for the log.
  if (net().isIP(h) === 0)
    throw new GuichetError('invalid_input', `"${h}" is not an IP address to listen on (use 127.0.0.1 or ::1).`, {
      field: 'host',
      params: { reason: 'not_an_ip' }
    })
  if (!/^127\./.test(h) && h !== '::1')
    throw new GuichetError('forbidden', `"${h}": the receiver is plain HTTP and listens on this computer only (127.0.0.1 or ::1).`, {
      field: 'host',
      params: { reason: 'loopback_only' }
    })
  return h
}

/** Failed attempts one address may make per minute before it is refused for the rest of it. */
export const MAX_FAILURES_PER_MINUTE = 20

/** One answer for an unknown carrier, an unknown account and a wrong secret: nothing to enumerate. */
const NOT_ACCEPTED = new GuichetError('unauthorized', 'Notification not accepted.')

const ROUTE = /^\/webhooks\/([a-z-]+)\/([A-Za-z0-9][A-Za-z0-9._-]{0,63})\/?$/

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

function errorBody(e: GuichetError): { ok: false; error: AppError } {
  return { ok: false, error: e.toAppError() }
}

const STATUS_FOR: Partial<Record<string, number>> = {
  unauthorized: 401,
  not_found: 404,
  invalid_input: 400,
  unsupported: 404,
  forbidden: 403,
  rate_limited: 429,
  conflict: 409
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const c of req) {
    size += (c as Buffer).length
    if (size > MAX_BODY_BYTES)
      throw new GuichetError('invalid_input', `Notification larger than ${MAX_BODY_BYTES} bytes`, { field: 'body' })
    chunks.push(c as Buffer)
  }
  return Buffer.concat(chunks)
}

/** Finds the local shipments an update is about: by carrier, alias and tracking key. */
function shipmentsFor(db: Database, carrier: CarrierId, account: string, tracking: string): ShipmentRef[] {
  return new ShipmentRefs(db).byAccountKey(carrier, account, trackingKey(tracking))
}

/**
 * An account whose webhook secret the app should have generated but which holds a short one (typed
 * in an older version) gets the same answer as a wrong secret: a guessable secret is no secret.
 */
function refuseWeakSecret(o: Pick<ReceiverOptions, 'logger'>, carrier: CarrierId, account: CarrierAccount): void {
  if (!isWebhookSecretCarrier(carrier) || storedWebhookSecret(carrier, account.credentials) !== null) return
  o.logger.warn('webhook.weak_secret', { carrier, account: account.alias, minBytes: WEBHOOK_SECRET_MIN_BYTES })
  throw NOT_ACCEPTED
}

/** Verifies, parses and applies one notification; pure of HTTP so tests and the CLI can call it. */
function handleNotification(
  o: Omit<ReceiverOptions, 'host' | 'port'>,
  carrier: CarrierId,
  alias: string,
  req: WebhookRequest
): AcceptedNotification {
  const mod = o.moduleFor(carrier)
  if (!mod?.webhook) throw NOT_ACCEPTED
  const account = o.accountFor(carrier, alias)
  if (!account) throw NOT_ACCEPTED
  refuseWeakSecret(o, carrier, account)
  try {
    mod.webhook.verify(req, account)
  } catch (e) {
    if (e instanceof CarrierError && e.code === 'unauthorized') throw NOT_ACCEPTED
    throw e
  }
  const parsed: WebhookUpdate[] = mod.webhook.parse(req)
  const updates: StatusUpdate[] = []
  const unknown: string[] = []
  for (const u of parsed) {
    const rows = shipmentsFor(o.db, carrier, alias, u.trackingNumber)
    if (rows.length === 0) unknown.push(u.trackingNumber)
    for (const r of rows) {
      updates.push({ shipmentId: r.id, events: u.events })
      // A return's moves also belong on the forward shipment's timeline (seed 002: same
      // timeline); only those that say "return", so the forward never looks sent again.
      if (r.direction === 'return' && r.parentId) {
        const back = u.events
          .filter((e) => mapNative(mod.mapping, e.nativeStatus).unified === 'return')
          .map((e) => ({ ...e, dedupeKey: `return:${r.id}|${e.dedupeKey ?? `${e.at}|${e.nativeStatus}`}` }))
        if (back.length) updates.push({ shipmentId: r.parentId, events: back })
      }
    }
  }
  const res = updates.length ? o.pipeline.apply({ source: 'webhook', updates }) : { added: 0, duplicates: 0 }
  return {
    carrier,
    account: alias,
    rawBody: req.rawBody,
    contentType: req.headers['content-type'] ?? 'application/json',
    trackingNumbers: parsed.map((u) => u.trackingNumber),
    added: res.added,
    duplicates: res.duplicates,
    unknown
  }
}

/**
 * The secret check before the body is read: for a carrier whose secret rides in a header or the
 * query, a wrong one is refused here. A carrier that signs the body (Sendcloud) is checked
 * after, in handleNotification, on a body capped at MAX_BODY_BYTES.
 */
function preVerify(o: Omit<ReceiverOptions, 'host' | 'port'>, carrier: CarrierId, alias: string, req: WebhookRequest): void {
  const mod = o.moduleFor(carrier)
  if (!mod?.webhook) throw NOT_ACCEPTED
  const account = o.accountFor(carrier, alias)
  if (!account) throw NOT_ACCEPTED
  refuseWeakSecret(o, carrier, account)
  if (mod.webhook.signsBody) return
  try {
    mod.webhook.verify(req, account)
  } catch (e) {
    if (e instanceof CarrierError && e.code === 'unauthorized') throw NOT_ACCEPTED
    throw e
  }
}

export async function startWebhookReceiver(o: ReceiverOptions): Promise<WebhookReceiver> {
  const host = validateBindHost(o.host)
  const sockets = new Set<Socket>()
  const failures = new Map<string, { minute: number; count: number }>()
  const failed = (ip: string) => {
    const minute = Math.floor(Date.now() / 60_000)
    const f = failures.get(ip)
    if (!f || f.minute !== minute) failures.set(ip, { minute, count: 1 })
    else f.count++
    if (failures.size > 10_000) failures.clear()
  }
  const throttled = (ip: string) => {
    const f = failures.get(ip)
    return !!f && f.minute === Math.floor(Date.now() / 60_000) && f.count >= MAX_FAILURES_PER_MINUTE
  }
  const server = http().createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://receiver')
      const m = ROUTE.exec(url.pathname)
      // Only the path is ever logged: Shipway's secret may ride in the query string.
      const where = url.pathname
      const ip = req.socket.remoteAddress ?? ''
      try {
        // Everything below is decided before a byte of the body is read.
        if (throttled(ip)) {
          req.resume()
          res.setHeader('retry-after', '60')
          return reply(res, 429, errorBody(new GuichetError('rate_limited', 'Too many refused notifications; try again later.')))
        }
        // A carrier's server sends no Origin; a browser always does on a cross-origin POST (even a
        // "simple" text/plain one), so a web page open at the desk cannot post a notification.
        if (req.headers.origin !== undefined || req.headers['sec-fetch-site'] !== undefined)
          throw new GuichetError('forbidden', 'Not accepted from a browser.')
        if (!m) throw NOT_ACCEPTED
        if (req.method !== 'POST') {
          res.setHeader('allow', 'POST')
          return reply(res, 405, errorBody(new GuichetError('invalid_input', 'Notifications are POSTed.')))
        }
        const early: Record<string, string | undefined> = {}
        for (const [k, v] of Object.entries(req.headers)) early[k.toLowerCase()] = Array.isArray(v) ? v[0] : v
        preVerify(o, m[1] as CarrierId, m[2]!, { headers: early, rawBody: Buffer.alloc(0), query: url.searchParams })
        const rawBody = await readBody(req)
        const headers: Record<string, string | undefined> = {}
        for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v[0] : v
        const accepted = handleNotification(o, m[1] as CarrierId, m[2]!, { headers, rawBody, query: url.searchParams })
        if (accepted.unknown.length)
          o.logger.info('webhook.unknown_tracking', {
            carrier: accepted.carrier,
            account: accepted.account,
            count: accepted.unknown.length
          })
        if (accepted.added > 0) {
          try {
            o.onAccepted?.(accepted)
          } catch (e) {
            // Forwarding is best effort here; the notification itself is stored.
            o.logger.error('webhook.forward_enqueue_failed', { error: e })
          }
        }
        reply(res, 200, { ok: true, added: accepted.added, duplicates: accepted.duplicates, unknown: accepted.unknown.length })
      } catch (e) {
        const err =
          e instanceof GuichetError ? e : new GuichetError('internal', 'The notification could not be stored.', { retryable: true })
        if (!(e instanceof GuichetError)) o.logger.error('webhook.failed', { path: where, error: e })
        else o.logger.warn('webhook.refused', { path: where, code: err.code, message: err.message })
        if (err.code === 'unauthorized' || err.code === 'forbidden') {
          failed(ip)
          // Do not read what an unauthenticated sender still has to send.
          res.setHeader('connection', 'close')
        }
        // 500 for our own failure, so the aggregator retries; 4xx for what retrying cannot fix.
        reply(
          res,
          err.code === 'internal' || err.code === 'storage' ? 500 : (STATUS_FOR[err.code] ?? (e instanceof CarrierError ? 400 : 500)),
          errorBody(err)
        )
      }
    })()
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new GuichetError('conflict', `The webhook receiver cannot listen on ${host}:${o.port ?? 0} (${e.code ?? e.message}).`, {
          field: 'port',
          params: { reason: 'cannot_listen', port: o.port ?? 0 }
        })
      )
    )
    server.listen(o.port ?? 0, host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const shown = host.includes(':') ? `[${host}]` : host
  o.logger.info('webhook.listening', { host, port })
  return {
    url: `http://${shown}:${port}`,
    host,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      })
  }
}
