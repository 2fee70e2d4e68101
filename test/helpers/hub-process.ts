// The hub as its own process (`src/hub/main.ts` under tsx) on a given PostgreSQL: what the bench
// measures the RSS of and what the reliability run SIGKILLs.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface HubProcess {
  url: string
  child: ChildProcess
  /** Resident memory (kB) from /proc, 0 where there is none. */
  rssKb(): number
  kill(signal?: NodeJS.Signals): Promise<void>
}

const ROOT = join(import.meta.dirname, '..', '..')

export async function startHubProcess(opts: { databaseUrl: string; dataDir: string; port: number }): Promise<HubProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/hub/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: opts.databaseUrl,
      GUICHET_HUB_DATA_DIR: opts.dataDir,
      GUICHET_HUB_PORT: String(opts.port),
      GUICHET_HUB_HOST: '127.0.0.1'
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const url = `http://127.0.0.1:${opts.port}`
  await new Promise<void>((resolve, reject) => {
    let out = ''
    const onData = (c: Buffer) => {
      out += c.toString()
      if (out.includes('listening on')) resolve()
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()))
    child.once('exit', (code) => reject(new Error(`hub exited (${code}): ${out}`)))
  })
  child.stdout!.resume()
  child.stderr!.resume()
  return {
    url,
    child,
    rssKb() {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
        return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
      } catch {
        return 0
      }
    },
    kill(signal = 'SIGKILL') {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill(signal)
      })
    }
  }
}
