// Head office in the browser: per-user accounts (scrypt, session cookie), every point's stock and
// expiries, pending and refused carrier writes, each shared account's lease and budget, the desks
// (revoke) and new enrolment codes. Server-rendered and read-only but for those two actions.
import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type pg from 'pg'
import type { HubStore } from './store'

export interface Office {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>
  /** Adds or resets a user; the password is kept as scrypt only. */
  setUser(name: string, password: string): Promise<void>
  hasUsers(): Promise<boolean>
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')
const esc = (v: unknown) =>
  String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

function hashPassword(password: string): string {
  const salt = randomBytes(16)
  return `scrypt$${salt.toString('base64')}$${scryptSync(password, salt, 32).toString('base64')}`
}

function checkPassword(password: string, stored: string): boolean {
  const [, salt, hash] = stored.split('$')
  if (!salt || !hash) return false
  const want = Buffer.from(hash, 'base64')
  return timingSafeEqual(scryptSync(password, Buffer.from(salt, 'base64'), want.length), want)
}

async function form(req: IncomingMessage): Promise<URLSearchParams> {
  let size = 0
  const chunks: Buffer[] = []
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length
    if (size > 16 * 1024) break
    chunks.push(c)
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
}

const page = (
  title: string,
  body: string
) => `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${esc(title)} · Guichet hub</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}th{background:#f3f3f3}.bad{color:#b00}</style>
</head><body><h1>${esc(title)}</h1>${body}</body></html>`

function table(head: string[], rows: unknown[][]): string {
  if (rows.length === 0) return '<p>—</p>'
  return `<table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('')}</table>`
}

export function createOffice(pool: pg.Pool, store: HubStore, now: () => number = Date.now): Office {
  const html = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers })
    res.end(body)
  }
  const redirect = (res: ServerResponse, to: string, headers: Record<string, string> = {}) => {
    res.writeHead(303, { location: to, ...headers })
    res.end()
  }

  async function user(req: IncomingMessage): Promise<string | null> {
    const m = /(?:^|;\s*)hub_session=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? '')
    if (!m) return null
    const r = await pool.query<{ user_name: string }>('SELECT user_name FROM sessions WHERE token_hash = $1 AND expires_at > now()', [
      sha256(m[1]!)
    ])
    return r.rows[0]?.user_name ?? null
  }

  async function overview(name: string, code?: string): Promise<string> {
    const t = now()
    const stock = await pool.query(
      `SELECT point_id, count(*) FILTER (WHERE state = 'on_shelf') AS on_shelf,
              count(*) FILTER (WHERE state = 'on_shelf' AND expires_at < $1) AS expires_tomorrow,
              count(*) FILTER (WHERE state = 'to_return') AS to_return,
              count(*) FILTER (WHERE state = 'handed_over') AS handed_over
         FROM parcels GROUP BY point_id ORDER BY point_id`,
      [t + 24 * 3600_000]
    )
    const writes = await pool.query(
      `SELECT w.desk_id, d.name, w.kind, w.state, count(*) AS n, max(w.error_code) AS error
         FROM writes w JOIN desks d ON d.id = w.desk_id WHERE w.state IN ('pending','inflight','failed')
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 3`
    )
    const leases = await pool.query(
      `SELECT l.account, d.name, l.expires_at > now() AS live, l.renewed_at, l.budget FROM leases l JOIN desks d ON d.id = l.holder ORDER BY 1`
    )
    const desks = await pool.query(`SELECT id, name, role, point_id, last_seq, last_seen_at, revoked_at FROM desks ORDER BY enrolled_at`)
    const budget = (b: unknown) => {
      const x = b as { remaining?: number | null; calls?: number } | null
      return x ? `${x.remaining ?? '?'} left, ${x.calls ?? 0} calls` : '—'
    }
    return page(
      'Réseau Guichet',
      `<p>${esc(name)} · <form method="post" action="/office/logout" style="display:inline"><button>Déconnexion</button></form></p>
      <h2>Stock par point</h2>${table(
        ['Point', 'En rayon', 'Expirent sous 24 h', 'À retourner', 'Remis'],
        stock.rows.map((r) => [r.point_id, r.on_shelf, r.expires_tomorrow, r.to_return, r.handed_over])
      )}
      <h2>Écritures en attente ou refusées</h2>${table(
        ['Poste', 'Type', 'État', 'Nombre', 'Erreur'],
        writes.rows.map((r) => [r.name, r.kind, r.state, r.n, r.error])
      )}
      <h2>Comptes transporteur partagés</h2>${table(
        ['Compte', 'Interrogé par', 'Bail actif', 'Renouvelé', 'Budget'],
        leases.rows.map((r) => [r.account, r.name, r.live ? 'oui' : 'non', (r.renewed_at as Date).toISOString(), budget(r.budget)])
      )}
      <h2>Postes</h2>${table(
        ['Id', 'Nom', 'Rôle', 'Point', 'Événements', 'Vu', 'Révoqué'],
        desks.rows.map((r) => [
          r.id,
          r.name,
          r.role,
          r.point_id,
          r.last_seq,
          r.last_seen_at?.toISOString?.() ?? '',
          r.revoked_at ? 'oui' : ''
        ])
      )}
      <form method="post" action="/office/revoke">Révoquer le poste <input name="desk" required> <button>Révoquer</button></form>
      <h2>Inscrire un poste</h2>
      ${code ? `<p>Code d'inscription (une fois, 24 h) : <strong id="code">${esc(code)}</strong></p>` : ''}
      <form method="post" action="/office/enrol">Rôle <select name="role"><option value="point">point relais</option><option value="warehouse">entrepôt</option></select>
      Point <input name="point"> Nom <input name="name"> <button>Créer un code</button></form>`
    )
  }

  return {
    async setUser(name, password) {
      await pool.query(
        'INSERT INTO users (name, password_hash) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash',
        [name, hashPassword(password)]
      )
    },
    async hasUsers() {
      return ((await pool.query('SELECT 1 FROM users LIMIT 1')).rowCount ?? 0) > 0
    },
    async handle(req, res, url) {
      const path = url.pathname
      if (path === '/office/login' && req.method === 'POST') {
        const f = await form(req)
        const r = await pool.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE name = $1', [f.get('user') ?? ''])
        const row = r.rows[0]
        if (!row || !checkPassword(f.get('password') ?? '', row.password_hash)) return redirect(res, '/office/login?failed=1')
        const token = randomBytes(32).toString('base64url')
        await pool.query(`INSERT INTO sessions (token_hash, user_name, expires_at) VALUES ($1, $2, now() + interval '12 hours')`, [
          sha256(token),
          f.get('user')
        ])
        return redirect(res, '/office', { 'set-cookie': `hub_session=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200` })
      }
      if (path === '/office/login')
        return html(
          res,
          200,
          page(
            'Connexion',
            `${url.searchParams.has('failed') ? '<p class="bad">Identifiant ou mot de passe incorrect.</p>' : ''}
            <form method="post" action="/office/login"><input name="user" placeholder="utilisateur" required> <input name="password" type="password" required> <button>Entrer</button></form>`
          )
        )
      const name = await user(req)
      if (!name) return redirect(res, '/office/login')
      if (req.method === 'POST' && path === '/office/logout') {
        const m = /(?:^|;\s*)hub_session=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? '')
        if (m) await pool.query('DELETE FROM sessions WHERE token_hash = $1', [sha256(m[1]!)])
        return redirect(res, '/office/login', { 'set-cookie': 'hub_session=; Path=/; Max-Age=0' })
      }
      if (req.method === 'POST' && path === '/office/enrol') {
        const f = await form(req)
        const role = f.get('role') === 'warehouse' ? 'warehouse' : 'point'
        const code = await store.createEnrolmentCode({ role, pointId: f.get('point') || null, name: f.get('name') || undefined })
        return html(res, 200, await overview(name, code))
      }
      if (req.method === 'POST' && path === '/office/revoke') {
        await store.revoke((await form(req)).get('desk') ?? '')
        return redirect(res, '/office')
      }
      if (req.method === 'GET' && (path === '/office' || path === '/')) return html(res, 200, await overview(name))
      html(res, 404, page('Introuvable', ''))
    }
  }
}
