// The hub's rules over PostgreSQL: enrolment, desk credentials, the event log (exactly once, in
// order per desk), fan-out by cursor, and the one-poller-per-account lease.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type pg from 'pg'
import type { DeskRole, HubEvent, HubRefusal, LeaseAnswer, LeaseRequest, PullAnswer, PushAnswer, PushRequest } from '../shared/hub/contract'
import { HUB_PROTOCOL, MAX_PULL_EVENTS } from '../shared/hub/contract'

export class HubRefused extends Error {
  constructor(
    readonly status: number,
    readonly refusal: HubRefusal
  ) {
    super(refusal.refused)
    this.name = 'HubRefused'
  }
}

export interface Desk {
  id: string
  name: string
  role: DeskRole
  pointId: string | null
  accounts: string[]
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')
// Enrolment codes are read aloud or typed: no 0/O, 1/I.
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

/** Inserts of events serialise on this lock so cursors commit in order: a pull never skips one. */
const EVENTS_LOCK = 7202

export class HubStore {
  constructor(private readonly pool: pg.Pool) {}

  // ---- enrolment and credentials ------------------------------------------------------------

  /** A one-time code, valid `ttlMs`; only its hash is stored. */
  async createEnrolmentCode(opts: { role: DeskRole; pointId: string | null; name?: string; ttlMs?: number }): Promise<string> {
    const bytes = randomBytes(10)
    const code = [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('')
    await this.pool.query(
      `INSERT INTO enrolment_codes (code_hash, role, point_id, name, expires_at) VALUES ($1, $2, $3, $4, now() + $5 * interval '1 millisecond')`,
      [sha256(code), opts.role, opts.pointId, opts.name ?? null, opts.ttlMs ?? 24 * 3600_000]
    )
    return `${code.slice(0, 5)}-${code.slice(5)}`
  }

  /** Exchanges a code for a desk and its credential, once. */
  async enrol(
    code: string,
    deskName: string,
    protocol: number
  ): Promise<{ deskId: string; credential: string; role: DeskRole; pointId: string | null }> {
    if (protocol > HUB_PROTOCOL) throw new HubRefused(409, { refused: 'hub.protocol_newer', max: HUB_PROTOCOL })
    const normal = code.toUpperCase().replace(/[^A-Z0-9]/g, '')
    const client = await this.pool.connect()
    try {
      await client.query('BEGIN')
      const r = await client.query<{ role: DeskRole; point_id: string | null; name: string | null }>(
        `SELECT role, point_id, name FROM enrolment_codes WHERE code_hash = $1 AND used_by IS NULL AND expires_at > now() FOR UPDATE`,
        [sha256(normal)]
      )
      const row = r.rows[0]
      if (!row) {
        await client.query('ROLLBACK')
        throw new HubRefused(403, { refused: 'hub.enrolment_invalid', field: 'code' })
      }
      const deskId = `desk-${randomBytes(6).toString('hex')}`
      const credential = randomBytes(32).toString('base64url')
      await client.query(`INSERT INTO desks (id, name, role, point_id, credential_hash) VALUES ($1, $2, $3, $4, $5)`, [
        deskId,
        row.name ?? deskName,
        row.role,
        row.point_id,
        sha256(credential)
      ])
      await client.query('UPDATE enrolment_codes SET used_by = $1 WHERE code_hash = $2', [deskId, sha256(normal)])
      await client.query('COMMIT')
      return { deskId, credential, role: row.role, pointId: row.point_id }
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined)
      throw e
    } finally {
      client.release()
    }
  }

  /** The desk behind `Authorization: Bearer <deskId>.<credential>`, or a typed refusal. */
  async authenticate(header: string | undefined): Promise<Desk> {
    const m = /^Bearer ([a-z0-9-]{1,64})\.([A-Za-z0-9_-]{20,128})$/.exec(header ?? '')
    if (!m) throw new HubRefused(401, { refused: 'hub.unauthorized' })
    const r = await this.pool.query<{
      id: string
      name: string
      role: DeskRole
      point_id: string | null
      credential_hash: string
      accounts: string[]
      revoked_at: Date | null
    }>('SELECT id, name, role, point_id, credential_hash, accounts, revoked_at FROM desks WHERE id = $1', [m[1]])
    const d = r.rows[0]
    const given = Buffer.from(sha256(m[2]!), 'hex')
    if (!d || !timingSafeEqual(given, Buffer.from(d.credential_hash, 'hex'))) throw new HubRefused(401, { refused: 'hub.unauthorized' })
    if (d.revoked_at) throw new HubRefused(401, { refused: 'hub.revoked' })
    return { id: d.id, name: d.name, role: d.role, pointId: d.point_id, accounts: d.accounts }
  }

  async revoke(deskId: string): Promise<boolean> {
    const r = await this.pool.query('UPDATE desks SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [deskId])
    // A revoked desk's leases end now, so another desk takes its accounts over at once.
    await this.pool.query('DELETE FROM leases WHERE holder = $1', [deskId])
    return (r.rowCount ?? 0) > 0
  }

  // ---- the event log ------------------------------------------------------------------------

  /** Writes a desk's batch exactly once, in order: what the hub holds already is skipped. */
  async push(desk: Desk, req: PushRequest): Promise<PushAnswer> {
    if (req.protocol > HUB_PROTOCOL) throw new HubRefused(409, { refused: 'hub.protocol_newer', max: HUB_PROTOCOL })
    const events = [...req.events].sort((a, b) => a.seq - b.seq)
    for (let i = 1; i < events.length; i++)
      if (events[i]!.seq !== events[i - 1]!.seq + 1) throw new HubRefused(400, { refused: 'hub.invalid_input', field: `events.${i}.seq` })
    const client = await this.pool.connect()
    try {
      await client.query('BEGIN')
      const r = await client.query<{ last_seq: number }>('SELECT last_seq FROM desks WHERE id = $1 FOR UPDATE', [desk.id])
      const last = r.rows[0]?.last_seq ?? 0
      const fresh = events.filter((e) => e.seq > last)
      const replayed = events.length - fresh.length
      if (fresh.length > 0 && fresh[0]!.seq !== last + 1) {
        await client.query('ROLLBACK')
        throw new HubRefused(409, { refused: 'hub.sequence_gap', expectedSeq: last + 1 })
      }
      const acked = fresh.length > 0 ? fresh[fresh.length - 1]!.seq : last
      const accounts = [...new Set(req.accounts)].sort()
      if (fresh.length > 0) await project(client, desk, fresh)
      await client.query('UPDATE desks SET last_seq = $2, accounts = $3, last_seen_at = now() WHERE id = $1', [desk.id, acked, accounts])
      if (fresh.length > 0) {
        // Held to the commit, and taken last: only the insert and the commit run one batch at a time.
        await client.query('SELECT pg_advisory_xact_lock($1)', [EVENTS_LOCK])
        await insertEvents(client, desk.id, fresh)
      }
      await client.query('COMMIT')
      return { acked, written: fresh.length, replayed }
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined)
      throw e
    } finally {
      client.release()
    }
  }

  /**
   * What this desk must see after `cursor`: shipments and statuses of its point and of the
   * accounts it uses; a warehouse also sees every point's counter steps and writes. Its own
   * events are never sent back.
   */
  async pull(desk: Desk, cursor: number, limit = MAX_PULL_EVENTS): Promise<PullAnswer> {
    const client = await this.pool.connect()
    try {
      // One snapshot for the newest cursor and the rows, so `cursor` never passes an unseen row.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
      const top = (await client.query<{ c: number | null }>('SELECT max(cursor) AS c FROM events')).rows[0]?.c ?? 0
      if (cursor > top) throw new HubRefused(409, { refused: 'hub.cursor_ahead', latest: top })
      const rows = await client.query<Row>(
        `SELECT e.cursor, e.desk_id, d.name AS desk_name, e.seq, e.kind, e.at, e.carrier, e.account, e.tracking_key, e.point_id, e.body
           FROM events e JOIN desks d ON d.id = e.desk_id
         WHERE e.cursor > $1 AND e.desk_id <> $2
           AND ((e.point_id IS NOT NULL AND e.point_id = $3) OR (e.carrier || '/' || e.account) = ANY($4::text[])
                OR ($5 AND e.kind IN ('counter','outbox')))
         ORDER BY e.cursor LIMIT $6`,
        [cursor, desk.id, desk.pointId, desk.accounts, desk.role === 'warehouse', limit + 1]
      )
      await client.query('COMMIT')
      const more = rows.rows.length > limit
      const events = rows.rows.slice(0, limit).map(toPulled)
      const next = more ? events[events.length - 1]!.cursor : top
      await this.pool.query('UPDATE desks SET last_seen_at = now() WHERE id = $1', [desk.id])
      return { events, cursor: next, more }
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined)
      throw e
    } finally {
      client.release()
    }
  }

  // ---- one poller per carrier account -------------------------------------------------------

  /**
   * Takes or renews the account's lease. It is granted to its holder, or to anyone once the
   * holder has gone silent past expires_at. Hub time decides, so desks' clocks may drift.
   */
  async lease(desk: Desk, req: LeaseRequest): Promise<LeaseAnswer> {
    const budget = req.budget ? JSON.stringify(req.budget) : null
    const r = await this.pool.query<{ holder: string; ms: number }>(
      `INSERT INTO leases AS l (account, holder, taken_at, renewed_at, expires_at, budget)
         VALUES ($1, $2, now(), now(), now() + $3 * interval '1 millisecond', $4::jsonb)
       ON CONFLICT (account) DO UPDATE SET
         holder = excluded.holder,
         taken_at = CASE WHEN l.holder = excluded.holder THEN l.taken_at ELSE now() END,
         renewed_at = now(), expires_at = excluded.expires_at,
         budget = coalesce(excluded.budget, l.budget)
       WHERE l.holder = excluded.holder OR l.expires_at < now()
       RETURNING holder, 0 AS ms`,
      [req.account, desk.id, req.ttlMs, budget]
    )
    if (r.rows[0]) return { granted: true, holder: desk.id, expiresInMs: req.ttlMs }
    const cur = await this.pool.query<{ holder: string; ms: number }>(
      `SELECT holder, greatest(0, floor(extract(epoch FROM expires_at - now()) * 1000))::int AS ms FROM leases WHERE account = $1`,
      [req.account]
    )
    const c = cur.rows[0]
    return { granted: false, holder: c?.holder ?? '', expiresInMs: c?.ms ?? 0 }
  }

  /** Lets the lease go (the desk shuts down cleanly): the next desk need not wait for it to expire. */
  async release(desk: Desk, account: string): Promise<void> {
    await this.pool.query('DELETE FROM leases WHERE account = $1 AND holder = $2', [account, desk.id])
  }
}

interface Row {
  cursor: number
  desk_id: string
  desk_name: string
  seq: number
  kind: HubEvent['kind']
  at: number
  carrier: string | null
  account: string | null
  tracking_key: string | null
  point_id: string | null
  body: Record<string, unknown>
}

const toPulled = (r: Row) => ({
  cursor: r.cursor,
  deskId: r.desk_id,
  deskName: r.desk_name,
  seq: r.seq,
  kind: r.kind,
  at: r.at,
  carrier: r.carrier,
  account: r.account,
  trackingKey: r.tracking_key,
  pointId: r.point_id,
  body: r.body
})

/**
 * One statement per batch (unnest), not one per event. Tried against the batch as one JSON
 * document (json_to_recordset): PostgreSQL then spent 35 ms of CPU per 1,000 events against 24.
 */
async function insertEvents(client: pg.PoolClient, deskId: string, events: HubEvent[]): Promise<void> {
  await client.query(
    `INSERT INTO events (desk_id, seq, kind, at, carrier, account, tracking_key, point_id, body)
     SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[])`,
    [
      deskId,
      events.map((e) => e.seq),
      events.map((e) => e.kind),
      events.map((e) => e.at),
      events.map((e) => e.carrier),
      events.map((e) => e.account),
      events.map((e) => e.trackingKey),
      events.map((e) => e.pointId),
      events.map((e) => JSON.stringify(e.body))
    ]
  )
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null)
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

/** Head office's tables, kept in the same transaction as the events they come from. */
async function project(client: pg.PoolClient, desk: Desk, events: HubEvent[]): Promise<void> {
  const parcels = new Map<string, [string, string, string, number, number | null]>()
  const writes = new Map<string, [string, string, string, number, string | null]>()
  for (const e of events) {
    if (e.kind === 'counter' && e.trackingKey) {
      const point = e.pointId ?? desk.pointId
      const state = str(e.body.state)
      if (point && state) parcels.set(`${point}|${e.trackingKey}`, [point, e.trackingKey, state, e.at, num(e.body.expiresAt)])
    } else if (e.kind === 'outbox') {
      const key = str(e.body.key)
      const state = str(e.body.state)
      if (key && state) writes.set(key, [key, str(e.body.writeKind) ?? 'write', state, e.at, str(e.body.errorCode)])
    } else if (e.kind === 'setting') {
      const key = str(e.body.key)
      if (key)
        await client.query(
          `INSERT INTO settings AS s (key, value, at, desk_id) VALUES ($1, $2::jsonb, $3, $4)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value, at = excluded.at, desk_id = excluded.desk_id
           WHERE (excluded.at, excluded.desk_id) > (s.at, s.desk_id)`,
          [key, JSON.stringify(e.body.value ?? null), e.at, desk.id]
        )
    }
  }
  if (parcels.size > 0) {
    const v = [...parcels.values()]
    await client.query(
      `INSERT INTO parcels AS p (point_id, tracking_key, state, at, expires_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[])
       ON CONFLICT (point_id, tracking_key) DO UPDATE SET state = excluded.state, at = excluded.at,
         expires_at = coalesce(excluded.expires_at, p.expires_at)
       WHERE excluded.at >= p.at`,
      [v.map((x) => x[0]), v.map((x) => x[1]), v.map((x) => x[2]), v.map((x) => x[3]), v.map((x) => x[4])]
    )
  }
  if (writes.size > 0) {
    const v = [...writes.values()]
    await client.query(
      `INSERT INTO writes AS w (desk_id, key, kind, state, at, error_code)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[])
       ON CONFLICT (desk_id, key) DO UPDATE SET state = excluded.state, at = excluded.at, error_code = excluded.error_code
       WHERE excluded.at >= w.at`,
      [desk.id, v.map((x) => x[0]), v.map((x) => x[1]), v.map((x) => x[2]), v.map((x) => x[3]), v.map((x) => x[4])]
    )
  }
}
