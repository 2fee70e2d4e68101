// The hub's PostgreSQL schema, one entry per version, applied in order inside one transaction
// each. A database written by a newer hub is refused untouched, as the desk does for SQLite.
import type { PoolClient } from 'pg'

export interface HubMigration {
  version: number
  name: string
  sql: string
}

export const HUB_MIGRATIONS: readonly HubMigration[] = [
  {
    version: 1,
    name: 'desks, events, leases, head office',
    sql: `
      CREATE TABLE desks (
        id              text PRIMARY KEY,
        name            text NOT NULL,
        role            text NOT NULL CHECK (role IN ('point','warehouse')),
        point_id        text,
        credential_hash text NOT NULL,             -- sha256 of a 256-bit random credential
        accounts        text[] NOT NULL DEFAULT '{}', -- carrier/alias this desk uses (fan-out)
        last_seq        bigint NOT NULL DEFAULT 0,  -- the highest sequence of this desk held here
        enrolled_at     timestamptz NOT NULL DEFAULT now(),
        last_seen_at    timestamptz,
        revoked_at      timestamptz
      );
      CREATE TABLE enrolment_codes (
        code_hash  text PRIMARY KEY,
        role       text NOT NULL CHECK (role IN ('point','warehouse')),
        point_id   text,
        name       text,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_by    text REFERENCES desks(id)
      );
      -- Every desk's facts, in the hub's order (cursor). (desk_id, seq) unique: a replay is a no-op.
      CREATE TABLE events (
        cursor       bigserial PRIMARY KEY,
        desk_id      text   NOT NULL REFERENCES desks(id),
        seq          bigint NOT NULL,
        kind         text   NOT NULL,
        at           bigint NOT NULL,
        carrier      text,
        account      text,
        tracking_key text,
        point_id     text,
        body         jsonb  NOT NULL,
        received_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (desk_id, seq)
      );
      CREATE INDEX events_point ON events (point_id, cursor) WHERE point_id IS NOT NULL;
      CREATE INDEX events_account ON events ((carrier || '/' || account), cursor) WHERE account IS NOT NULL;
      -- One poller per carrier account across the network.
      CREATE TABLE leases (
        account    text PRIMARY KEY,
        holder     text NOT NULL REFERENCES desks(id),
        taken_at   timestamptz NOT NULL,
        renewed_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        budget     jsonb
      );
      -- Head office's view, kept in the push transaction: a parcel's last state at its point.
      CREATE TABLE parcels (
        point_id     text   NOT NULL,
        tracking_key text   NOT NULL,
        state        text   NOT NULL,
        at           bigint NOT NULL,
        expires_at   bigint,
        PRIMARY KEY (point_id, tracking_key)
      );
      -- Carrier writes (remarks, returns...) by their idempotency key: pending, sent, refused.
      CREATE TABLE writes (
        desk_id    text   NOT NULL,
        key        text   NOT NULL,
        kind       text   NOT NULL,
        state      text   NOT NULL,
        at         bigint NOT NULL,
        error_code text,
        PRIMARY KEY (desk_id, key)
      );
      -- Network-wide settings: last writer by event time, desk id breaking ties.
      CREATE TABLE settings (
        key     text PRIMARY KEY,
        value   jsonb  NOT NULL,
        at      bigint NOT NULL,
        desk_id text   NOT NULL
      );
      CREATE TABLE users (
        name          text PRIMARY KEY,
        password_hash text NOT NULL,              -- scrypt$salt$hash
        created_at    timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE sessions (
        token_hash text PRIMARY KEY,
        user_name  text NOT NULL REFERENCES users(name) ON DELETE CASCADE,
        expires_at timestamptz NOT NULL
      );
    `
  },
  {
    version: 2,
    name: 'head-office users: role, disabled, failed-login lock; sessions with their start',
    sql: `
      -- password_hash stays scrypt$<per-user salt>$<hash>, both base64 (src/hub/users.ts).
      ALTER TABLE users
        ADD COLUMN role          text NOT NULL DEFAULT 'admin' CHECK (role IN ('admin','viewer')),
        ADD COLUMN disabled      boolean NOT NULL DEFAULT false,
        ADD COLUMN failed_logins integer NOT NULL DEFAULT 0,   -- consecutive, reset by a good login
        ADD COLUMN locked_until  timestamptz;                  -- no password is checked before it
      -- token_hash is sha256 of 32 random bytes; the cookie carries the bytes, the table never does.
      ALTER TABLE sessions ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
      CREATE INDEX sessions_expiry ON sessions (expires_at);
    `
  }
]

export const HUB_SCHEMA_VERSION = HUB_MIGRATIONS.reduce((m, x) => Math.max(m, x.version), 0)

HUB_MIGRATIONS.forEach((m, i) => {
  if (m.version !== i + 1) throw new Error(`Hub migration ${m.name} has version ${m.version}, expected ${i + 1}`)
})

/** The database was written by a newer hub: it is left untouched. */
export class HubSchemaTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number
  ) {
    super(`The hub database has schema ${found}; this hub knows up to ${supported}. It was left untouched: run the newer hub.`)
    this.name = 'HubSchemaTooNewError'
  }
}

/** Applies every pending version; concurrent hubs on one database serialise on an advisory lock. */
export async function migrateHub(client: PoolClient): Promise<{ from: number; to: number }> {
  await client.query('SELECT pg_advisory_lock(7201)')
  try {
    await client.query('CREATE TABLE IF NOT EXISTS hub_schema (version integer NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())')
    const r = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM hub_schema')
    const from = r.rows[0]?.v ?? 0
    if (from > HUB_SCHEMA_VERSION) throw new HubSchemaTooNewError(from, HUB_SCHEMA_VERSION)
    for (const m of HUB_MIGRATIONS) {
      if (m.version <= from) continue
      await client.query('BEGIN')
      try {
        await client.query(m.sql)
        await client.query('INSERT INTO hub_schema (version) VALUES ($1)', [m.version])
        await client.query('COMMIT')
      } catch (e) {
        await client.query('ROLLBACK')
        throw e
      }
    }
    return { from, to: Math.max(from, HUB_SCHEMA_VERSION) }
  } finally {
    await client.query('SELECT pg_advisory_unlock(7201)')
  }
}
