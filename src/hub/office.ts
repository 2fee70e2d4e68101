// Head office in the browser: the hub serves the desk's own renderer (out/renderer), which sees
// from GET /office/v1/info that a hub serves it and shows the head-office view, and the typed
// API under /office/v1 (src/shared/hub/office.ts). Per-user accounts (users.ts), never a desk's
// credential nor browser mode's loopback token.
//
// The same rules as the desk's browser mode (platform/transport/http.ts and socket.ts): a request
// whose Host is not this hub's own is refused (DNS rebinding), and a write must carry this hub's
// own Origin and a JSON body (a cross-site form cannot send one without a preflight). The
// session cookie is HttpOnly and SameSite=Strict on top.
import { createReadStream, statSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname } from 'node:path'
import type pg from 'pg'
import { z } from 'zod'
import { loginRequestSchema, officeEnrolRequestSchema, type OfficeInfo, type OfficeRefusal, type OfficeUser } from '../shared/hub/office'
import { CONTENT_SECURITY_POLICY, MIME, resolveUnderRoot } from '../main/platform/security/policy'
import { readNetwork, readPointStock } from './office-read'
import type { HubStore } from './store'
import { OfficeRefused, OfficeUsers, type UsersOptions } from './users'

export const SESSION_COOKIE = 'guichet_office'

export interface OfficeOptions extends UsersOptions {
  /** The built renderer; null: the API only (tests, the bench). */
  rendererDir?: string | null
  /** Public origins head office is reached at through a reverse proxy, e.g. https://hub.example.com. */
  origins?: string[]
  version?: string
}

export interface Office {
  users: OfficeUsers
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>
}

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-frame-options': 'DENY'
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers
  })
  res.end(text)
}

const refusal = (status: number, r: OfficeRefusal) => new OfficeRefused(status, r)

async function readJson<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length
    if (size > 16 * 1024) throw refusal(413, { refused: 'office.invalid_input', field: '' })
    chunks.push(c)
  }
  let json: unknown
  try {
    json = size === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw refusal(400, { refused: 'office.invalid_input', field: '' })
  }
  const r = schema.safeParse(json)
  if (!r.success) throw refusal(400, { refused: 'office.invalid_input', field: r.error.issues[0]?.path.join('.') ?? '' })
  return r.data
}

export function sessionToken(req: IncomingMessage): string | null {
  const m = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([A-Za-z0-9_-]{43})(?:;|$)`).exec(req.headers.cookie ?? '')
  return m?.[1] ?? null
}

/**
 * Who is logging in, for the per-address throttle. Behind a reverse proxy on this machine every
 * request comes from loopback: then the proxy's last X-Forwarded-For hop names the client (a
 * client's own X-Forwarded-For entries come before it). From anywhere else the header is ignored.
 */
export function clientAddress(req: IncomingMessage): string {
  const remote = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '')
  const forwarded = req.headers['x-forwarded-for']
  if ((remote === '127.0.0.1' || remote === '::1') && typeof forwarded === 'string' && forwarded.trim())
    return forwarded.split(',').pop()!.trim()
  return remote
}

export function createOffice(pool: pg.Pool, store: HubStore, opts: OfficeOptions = {}): Office {
  const users = new OfficeUsers(pool, opts)
  const now = opts.now ?? Date.now
  const publicOrigins = (opts.origins ?? [])
    .map((o) => new URL(o))
    .map((u) => ({ origin: u.origin, host: u.host, secure: u.protocol === 'https:' }))

  /** This hub's own names: loopback and the address the request came in on, at its port, and the public origins. */
  function ownHosts(req: IncomingMessage): string[] {
    const port = req.socket.localPort
    const addr = (req.socket.localAddress ?? '').replace(/^::ffff:/, '')
    return [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `[::1]:${port}`,
      addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`,
      ...publicOrigins.map((o) => o.host)
    ]
  }

  function checkRequest(req: IncomingMessage, write: boolean): void {
    const host = req.headers.host ?? ''
    if (!ownHosts(req).includes(host)) throw refusal(403, { refused: 'office.csrf', field: 'host' })
    if (!write) return
    const origin = req.headers.origin ?? ''
    const allowed = publicOrigins.some((o) => o.origin === origin) || ownHosts(req).some((h) => origin === `http://${h}`)
    if (!allowed) throw refusal(403, { refused: 'office.csrf', field: 'origin' })
    if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
      throw refusal(415, { refused: 'office.csrf', field: 'content-type' })
  }

  function cookie(req: IncomingMessage, value: string, maxAgeS: number): string {
    const secure = publicOrigins.some((o) => o.secure && o.host === req.headers.host)
    return `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeS}${secure ? '; Secure' : ''}`
  }

  async function signedIn(req: IncomingMessage): Promise<OfficeUser> {
    const user = await users.session(sessionToken(req))
    if (!user) throw refusal(401, { refused: 'office.signed_out' })
    return user
  }

  async function admin(req: IncomingMessage): Promise<OfficeUser> {
    const user = await signedIn(req)
    if (user.role !== 'admin') throw refusal(403, { refused: 'office.forbidden' })
    return user
  }

  function serveStatic(req: IncomingMessage, res: ServerResponse, path: string): void {
    // The old head-office address (bookmarks) now opens the app at the root, where its assets resolve.
    if (path === '/office' || path === '/office/') {
      res.writeHead(302, { ...SECURITY_HEADERS, location: '/' })
      return void res.end()
    }
    const dir = opts.rendererDir
    if (!dir) throw refusal(404, { refused: 'office.not_found' })
    const file = resolveUnderRoot(dir, path)
    if (!file) throw refusal(400, { refused: 'office.invalid_input', field: 'path' })
    let size: number
    try {
      const st = statSync(file)
      if (!st.isFile()) throw new Error('not a file')
      size = st.size
    } catch {
      throw refusal(404, { refused: 'office.not_found' })
    }
    const type = MIME[extname(file)] ?? 'application/octet-stream'
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': type,
      'content-length': size,
      'cache-control': type.startsWith('text/html') ? 'no-store' : 'public, max-age=31536000, immutable'
    })
    if (req.method === 'HEAD') return void res.end()
    createReadStream(file).pipe(res)
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname
    const method = req.method ?? 'GET'
    const write = method !== 'GET' && method !== 'HEAD'
    checkRequest(req, write)
    if (!path.startsWith('/office/v1/')) {
      if (write) throw refusal(405, { refused: 'office.invalid_input', field: 'method' })
      return serveStatic(req, res, path)
    }
    const route = `${method} ${path}`
    if (route === 'GET /office/v1/info') {
      const info: OfficeInfo = { name: 'Guichet', mode: 'hub', version: opts.version ?? '0', user: await users.session(sessionToken(req)) }
      return send(res, 200, info)
    }
    if (route === 'POST /office/v1/login') {
      const body = await readJson(req, loginRequestSchema)
      const s = await users.login(body.name, body.password, clientAddress(req))
      return send(res, 200, { user: s.user }, { 'set-cookie': cookie(req, s.token, Math.floor((s.expiresAt - now()) / 1000)) })
    }
    if (route === 'POST /office/v1/logout') {
      await users.logout(sessionToken(req))
      return send(res, 200, { signedOut: true }, { 'set-cookie': cookie(req, '', 0) })
    }
    if (route === 'GET /office/v1/network') {
      await signedIn(req)
      return send(res, 200, await readNetwork(pool, now()))
    }
    const point = /^\/office\/v1\/points\/([^/]{1,200})\/parcels$/.exec(path)
    if (point && method === 'GET') {
      await signedIn(req)
      return send(res, 200, await readPointStock(pool, decodeURIComponent(point[1]!)))
    }
    if (route === 'POST /office/v1/enrolment-codes') {
      await admin(req)
      const body = await readJson(req, officeEnrolRequestSchema)
      if (body.role === 'point' && !body.pointId) throw refusal(400, { refused: 'office.invalid_input', field: 'pointId' })
      const code = await store.createEnrolmentCode({ role: body.role, pointId: body.pointId, name: body.name || undefined })
      return send(res, 200, { code })
    }
    const revoke = /^\/office\/v1\/desks\/([A-Za-z0-9_-]{1,100})\/revoke$/.exec(path)
    if (revoke && method === 'POST') {
      await admin(req)
      await readJson(req, z.object({}))
      return send(res, 200, { revoked: await store.revoke(revoke[1]!) })
    }
    throw refusal(404, { refused: 'office.not_found' })
  }

  return {
    users,
    handle: (req, res, url) =>
      handle(req, res, url).catch((e: unknown) => {
        if (!(e instanceof OfficeRefused)) throw e
        if (res.headersSent) return void res.destroy()
        if (!req.complete) res.on('finish', () => req.destroy())
        send(res, e.status, e.refusal, req.complete ? {} : { connection: 'close' })
      })
  }
}
