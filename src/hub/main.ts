// `npm run hub`: the headless Guichet hub, no Electron. Environment:
//   DATABASE_URL        a PostgreSQL >= 15; left out: embedded PostgreSQL under GUICHET_HUB_DATA_DIR/pg
//   GUICHET_HUB_DATA_DIR  default ~/.guichet/hub (logs, embedded database)
//   GUICHET_HUB_HOST    default 127.0.0.1 (put a TLS reverse proxy in front to serve other machines)
//   GUICHET_HUB_PORT    default 8740 (0: any free port)
//   GUICHET_HUB_PG_PORT the embedded server's port, default 54329
// Subcommands (same database): `code --role point|warehouse [--point ID] [--name NAME]` prints a
// one-time enrolment code; `user NAME` sets a head-office user's password from GUICHET_HUB_PASSWORD;
// `revoke DESK_ID` revokes a desk's credential.
import { randomBytes } from 'node:crypto'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createLogger } from '../main/platform/logger'
import { openHubDatabase } from './db/postgres'
import { startHubHttp } from './http'
import { createOffice } from './office'
import { HubStore } from './store'

async function main(): Promise<void> {
  const env = process.env
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { role: { type: 'string' }, point: { type: 'string' }, name: { type: 'string' } }
  })
  const dataDir = resolve(env.GUICHET_HUB_DATA_DIR ?? join(homedir(), '.guichet', 'hub'))
  const logger = createLogger({ file: join(dataDir, 'logs', 'hub.log'), console: positionals.length === 0 })
  const db = await openHubDatabase({ url: env.DATABASE_URL, dataDir, embeddedPort: Number(env.GUICHET_HUB_PG_PORT ?? 54329) })
  const store = new HubStore(db.pool)
  const office = createOffice(db.pool, store)

  const [command, arg] = positionals
  if (command) {
    try {
      if (command === 'code') {
        const role = values.role === 'warehouse' ? 'warehouse' : 'point'
        if (role === 'point' && !values.point) throw new Error('A point desk needs --point <point id>')
        const code = await store.createEnrolmentCode({ role, pointId: values.point ?? null, name: values.name })
        process.stdout.write(`Enrolment code (one use, 24 h): ${code}\n`)
      } else if (command === 'user' && arg) {
        const password = env.GUICHET_HUB_PASSWORD
        if (!password || password.length < 10) throw new Error('Set GUICHET_HUB_PASSWORD (10 characters or more)')
        await office.setUser(arg, password)
        process.stdout.write(`User ${arg} saved\n`)
      } else if (command === 'revoke' && arg) {
        process.stdout.write((await store.revoke(arg)) ? `Desk ${arg} revoked\n` : `No live desk ${arg}\n`)
      } else throw new Error(`Unknown command "${command}" (code, user NAME, revoke DESK_ID)`)
    } finally {
      await db.close()
    }
    return
  }

  if (!(await office.hasUsers())) {
    const password = randomBytes(12).toString('base64url')
    await office.setUser('admin', password)
    process.stdout.write(`Head office user "admin" created; password (shown once): ${password}\n`)
  }
  const port = Number(env.GUICHET_HUB_PORT ?? 8740)
  const http = await startHubHttp({ store, office, logger, host: env.GUICHET_HUB_HOST ?? '127.0.0.1', port })
  logger.info('hub.started', { url: http.url, database: db.where })
  process.stdout.write(`Guichet hub listening on ${http.url} (head office: ${http.url}/office), database: ${db.where}\n`)

  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await http.close()
    await db.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

main().catch((e: Error) => {
  process.stderr.write(`Guichet hub could not start: ${e.message}\n`)
  process.exit(1)
})
