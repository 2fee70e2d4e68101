// Crash test: 200 SIGKILLs at seeded random points of a child running the outbox and the poller
// against the simulators; after each restart the store must pass its integrity check, and at
// the end every accepted remark must have reached the carrier exactly once.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { DEMO_SIM_CREDENTIALS, startSimulator } from '../../src/main/demo/simulators'
import { rng } from '../../bench/seed-store'

const root = resolve(import.meta.dirname, '../..')
const childSource = join(root, 'test/reliability/crash-child.ts')
let childBundle: string | null = null

/** Bundles the child once (esbuild, packages left external) so each restart is a plain node start. */
async function bundleChild(): Promise<string> {
  if (childBundle) return childBundle
  const { build } = await import('esbuild')
  // Inside the project so its node_modules resolve; .cache is ignored by git.
  const dir = join(root, 'node_modules', '.cache', 'guichet')
  mkdirSync(dir, { recursive: true })
  const out = join(dir, 'crash-child.cjs')
  await build({
    entryPoints: [childSource],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    outfile: out,
    logLevel: 'error'
  })
  childBundle = out
  return out
}

export interface CrashReport {
  runs: number
  accepted: number
  lost: number
  doubled: number
  integrityFailures: number
  childErrors: number
  dataDir: string
}

async function runChild(
  args: string[],
  killAfterMs: number | null,
  timeoutMs = 60_000
): Promise<{ out: string; err: string; code: number | null }> {
  const child = await bundleChild()
  return new Promise((ok, ko) => {
    const p = spawn(process.execPath, [child, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    const guard = setTimeout(() => {
      p.kill('SIGKILL')
      ko(new Error(`crash child timed out: ${out} ${err}`))
    }, timeoutMs)
    p.stdout.on('data', (d) => {
      out += String(d)
      if (killAfterMs !== null && out.includes('READY') && !p.killed) {
        setTimeout(() => p.kill('SIGKILL'), killAfterMs)
      }
    })
    p.stderr.on('data', (d) => (err += String(d)))
    p.on('exit', (code) => {
      clearTimeout(guard)
      ok({ out, err, code })
    })
  })
}

export async function crashTest(opts: { runs?: number; seed?: number; log?: (s: string) => void } = {}): Promise<CrashReport> {
  const runs = opts.runs ?? 200
  const rand = rng(opts.seed ?? 20261128)
  const eco = await startSimulator('ecotrack')
  const er = await startSimulator('express-relais')
  const dataDir = mkdtempSync(join(tmpdir(), 'guichet-crash-'))
  let integrityFailures = 0
  let childErrors = 0
  try {
    for (let run = 0; run < runs; run++) {
      // Kill anywhere from start-up to a few sends in: mid-transaction, mid-request, mid-record.
      const killAfter = Math.floor(rand() * 900)
      const r = await runChild([dataDir, eco.url, er.url, String(run), '2'], killAfter)
      if (r.out.includes('INTEGRITY_FAIL')) integrityFailures++
      if (r.code !== null && r.code !== 0) {
        childErrors++
        opts.log?.(`run ${run}: child exited ${r.code}: ${r.err.slice(0, 500)}`)
      }
      if ((run + 1) % 25 === 0) opts.log?.(`crash runs: ${run + 1}/${runs}`)
    }
    const drain = await runChild([dataDir, eco.url, er.url, String(runs), '0', 'drain'], null, 15 * 60_000)
    if (drain.out.includes('INTEGRITY_FAIL')) integrityFailures++
    if (!drain.out.includes('DRAINED')) throw new Error(`drain did not finish: ${drain.err.slice(0, 1000)}`)

    const accepted = existsSync(join(dataDir, 'accepted.log'))
      ? readFileSync(join(dataDir, 'accepted.log'), 'utf8').split('\n').filter(Boolean)
      : []
    const res = await fetch(`${eco.url}/api/v1/get/maj?tracking=ECQFLD2611240017&api_token=${DEMO_SIM_CREDENTIALS.ecotrack.token}`)
    const remarks = (await res.json()) as Array<{ remarque: string }>
    const seen = new Map<string, number>()
    for (const r of remarks) {
      const m = /crash-test (\d+-\d+)/.exec(r.remarque)
      if (m) seen.set(m[1]!, (seen.get(m[1]!) ?? 0) + 1)
    }
    const lost = accepted.filter((id) => !seen.has(id)).length
    const doubled = [...seen.values()].filter((n) => n > 1).length
    return { runs, accepted: accepted.length, lost, doubled, integrityFailures, childErrors, dataDir }
  } finally {
    await eco.close()
    await er.close()
  }
}
