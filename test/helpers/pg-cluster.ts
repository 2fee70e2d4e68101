// A throwaway PostgreSQL cluster for a test: Debian's binaries, a temp directory, a free port on
// 127.0.0.1, trust auth for the one local user. As root it runs under the `postgres` user, as
// PostgreSQL demands. Never a system service; stop() removes everything.
import { execFileSync, spawnSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const PG_BIN = process.env.GUICHET_PG_BIN ?? '/usr/lib/postgresql/15/bin'
export const PG_INSTALL = 'apt-get install -y --no-install-recommends postgresql'

export interface PgCluster {
  url: string
  port: number
  dir: string
  stop(): void
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port
      s.close(() => resolve(p))
    })
  })
}

export async function startPgCluster(): Promise<PgCluster> {
  if (!existsSync(join(PG_BIN, 'initdb')))
    throw new Error(`PostgreSQL binaries are missing in ${PG_BIN}: install them with \`${PG_INSTALL}\``)
  const dir = mkdtempSync(join(tmpdir(), 'guichet-pg-'))
  const asRoot = process.getuid?.() === 0
  let uid = 0
  let gid = 0
  if (asRoot) {
    uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
    gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
    chownSync(dir, uid, gid)
  }
  const run = (bin: string, args: string[]) => {
    const cmd = asRoot ? 'runuser' : join(PG_BIN, bin)
    const argv = asRoot ? ['-u', 'postgres', '--', join(PG_BIN, bin), ...args] : args
    const r = spawnSync(cmd, argv, { cwd: dir, encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`${bin} failed: ${r.stderr || r.stdout}`)
  }
  const data = join(dir, 'data')
  run('initdb', ['-D', data, '-U', 'guichet', '-A', 'trust', '--no-sync', '-E', 'UTF8'])
  const port = await freePort()
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300`,
    'start'
  ])
  return {
    url: `postgres://guichet@127.0.0.1:${port}/postgres`,
    port,
    dir,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }
  }
}
