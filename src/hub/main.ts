// `npm run hub`: the headless Guichet hub, no Electron. Environment:
//   DATABASE_URL        a PostgreSQL >= 15; left out: embedded PostgreSQL under GUICHET_HUB_DATA_DIR/pg
//   GUICHET_HUB_DATA_DIR  default ~/.guichet/hub (logs, embedded database)
//   GUICHET_HUB_HOST    default 127.0.0.1 (put a TLS reverse proxy in front to serve other machines)
//   GUICHET_HUB_PORT    default 8740 (0: any free port)
//   GUICHET_HUB_PG_PORT the embedded server's port, default 54329
//   GUICHET_HUB_ORIGIN  head office's public origins behind a proxy, comma-separated (https://hub.example.com)
//   GUICHET_HUB_RENDERER_DIR  the built renderer head office runs, default out/renderer (`npx electron-vite build`)
// Subcommands (same database): `code --role point|warehouse [--point ID] [--name NAME]` prints a
// one-time enrolment code; `user add NAME [--role admin|viewer]`, `user password NAME`,
// `user disable NAME`, `user enable NAME`, `user list` manage head office's users (the password is
// asked without echo, or read from stdin or GUICHET_HUB_PASSWORD, and never printed);
// `revoke DESK_ID` revokes a desk's credential.
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { version } from '../../package.json'
import { createLogger } from '../main/platform/logger'
import { openHubDatabase } from './db/postgres'
import { startHubHttp } from './http'
import { createOffice } from './office'
import { HubStore } from './store'
import { userCommand } from './user-cli'

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
  const rendererDir = resolve(env.GUICHET_HUB_RENDERER_DIR ?? join(__dirname, '../../out/renderer'))
  const origins = (env.GUICHET_HUB_ORIGIN ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
  const office = createOffice(db.pool, store, { rendererDir, origins, version })

  const [command, ...args] = positionals
  if (command) {
    try {
      if (command === 'code') {
        const role = values.role === 'warehouse' ? 'warehouse' : 'point'
        if (role === 'point' && !values.point) throw new Error('A point desk needs --point <point id>')
        const code = await store.createEnrolmentCode({ role, pointId: values.point ?? null, name: values.name })
        process.stdout.write(`Enrolment code (one use, 24 h): ${code}\n`)
      } else if (command === 'user') {
        process.stdout.write(`${await userCommand(office.users, args, values.role)}\n`)
      } else if (command === 'revoke' && args[0]) {
        process.stdout.write((await store.revoke(args[0])) ? `Desk ${args[0]} revoked\n` : `No live desk ${args[0]}\n`)
      } else throw new Error(`Unknown command "${command}" (code, user add|password|disable|enable|list, revoke DESK_ID)`)
    } finally {
      await db.close()
    }
    return
  }

  const port = Number(env.GUICHET_HUB_PORT ?? 8740)
  const http = await startHubHttp({ store, office, logger, host: env.GUICHET_HUB_HOST ?? '127.0.0.1', port })
  logger.info('hub.started', { url: http.url, database: db.where })
  process.stdout.write(`Guichet hub listening on ${http.url} (head office: ${http.url}/), database: ${db.where}\n`)
  // No password is ever made up and printed here (it would sit in service logs): the first user is added by hand.
  if (!(await office.users.hasUsers())) process.stdout.write('No head-office user yet: add one with `npm run hub -- user add <name>`\n')
  if (!existsSync(join(rendererDir, 'index.html')))
    process.stdout.write(`Head office needs the built renderer in ${rendererDir}: run \`npx electron-vite build\`\n`)

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
