// `npm run test:reliability`: the long reliability suite. Prints one figure per line in the
// benchmark format and writes bench-results/reliability.json; exits 1 if a promise is broken.
//   reliability.crash_runs, .lost (0), .doubled (0), .faults_injected, .fuzz_rejected,
//   .fuzz_crashes (0), .secrets_found (0), .hub_lost (0), .hub_doubled (0)
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createBackend } from '../../src/main/backend'
import { startDemoCarriers } from '../../src/main/demo/carriers'
import { AGGREGATOR_DEMO, startAggregatorDemo } from '../../src/main/demo/warehouse'
import { DEMO_SIM_CREDENTIALS } from '../../src/main/demo/simulators'
import { createLogger } from '../../src/main/platform/logger'
import { systemClock } from '../../src/main/platform/clock'
import { MemoryStore } from '../../src/main/core/settings/settings'
import { startHttpTransport } from '../../src/main/platform/transport/http'
import { crashTest } from './crash'
import { faultMatrix } from './faults'
import { fuzzDispatch, fuzzHttp, fuzzSocket, type FuzzReport } from './fuzz'
import { hubNetwork } from './hub-network'
import { hostChangeCheck, rendererFeedCheck, secretsCheck } from './security'
import { secretValues } from '../../src/main/core/credentials/secret-fields'

const root = resolve(import.meta.dirname, '../..')
const quick = process.argv.includes('--quick')
/** `--only=security` runs just the security checks (about a second), for working on them. */
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length)
const log = (s: string) => process.stderr.write(`[reliability] ${s}\n`)

let unhandled = 0
process.on('unhandledRejection', (e) => {
  unhandled++
  log(`unhandled rejection: ${String((e as Error)?.stack ?? e)}`)
})

/** Every file under dir except the encrypted vault and its key. */
function filesUnder(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...filesUnder(p))
    else if (name !== 'credentials.vault' && name !== 'vault.key') out.push(p)
  }
  return out
}

type Fig = (metric: string, value: number, unit?: string) => void

/** Secrets of every shape, a host change, a renderer asking for another feed (issue 18). */
async function security(fig: Fig): Promise<{ found: number; checks: Array<[string, boolean]> }> {
  log('security: secrets of every printable character and of 1 to 3 characters')
  const s = await secretsCheck(log)
  fig('secret_shapes_sent', s.travelled)
  const h = await hostChangeCheck(log)
  fig('host_change_credentials_sent', h.leaked)
  const f = await rendererFeedCheck(log)
  fig('renderer_feed_tries', f.tries)
  fig('renderer_feed_changes', f.feedChanges)
  return {
    found: s.found,
    checks: [
      ['security: every shape of secret reached the carrier (the search is not vacuous)', s.travelled === 4],
      ['security: a host change never sent the old secret to the new host', h.leaked === 0 && h.firstHostGotIt],
      ['security: the renderer could not set a feed', f.feedChanges === 0]
    ]
  }
}

async function main(): Promise<void> {
  const figures: Array<{ metric: string; value: number; unit: string }> = []
  const fig: Fig = (metric, value, unit = '') => {
    figures.push({ metric, value, unit })
    process.stdout.write(`reliability.${metric} ${value}${unit ? ` ${unit}` : ''}\n`)
  }
  if (only === 'security') {
    const sec = await security(fig)
    fig('secrets_found', sec.found)
    const checks: Array<[string, boolean]> = [...sec.checks, ['secrets: none outside the vault', sec.found === 0]]
    for (const [name, ok] of checks) log(`${ok ? 'ok  ' : 'FAIL'} ${name}`)
    const failed = checks.filter(([, ok]) => !ok).length
    process.stdout.write(`${checks.length - failed} passed, ${failed} failed\n`)
    process.exit(failed === 0 ? 0 : 1)
  }
  const secrets = new Set<string>(
    [
      // The secret halves only: a username names the account and may show (core/credentials/secret-fields.ts).
      ...Object.values(DEMO_SIM_CREDENTIALS).flatMap((c) => secretValues(c)),
      ...Object.values(AGGREGATOR_DEMO).flatMap((c) => secretValues(c))
    ].filter((s) => s.length >= 6)
  )
  const texts: string[] = []
  const dirs: string[] = []

  // 1. Faults: one backend per carrier account (each with its own connectivity, as on separate
  //    desks), all carriers at once; then bad input against a backend on every simulator.
  const points = await startDemoCarriers(systemClock)
  const aggregators = await startAggregatorDemo(systemClock)
  const demo = {
    accounts: [...points.accounts, ...aggregators.accounts],
    simulators: [...points.simulators, ...aggregators.simulators],
    close: async () => void (await Promise.all([points.close(), aggregators.close()]))
  }
  const newBackend = (name: string) => {
    const dir = mkdtempSync(join(tmpdir(), `guichet-reliability-${name}-`))
    dirs.push(dir)
    const logger = createLogger({ file: join(dir, 'logs', 'guichet.log'), console: false })
    const b = createBackend({
      dataDir: dir,
      version: 'reliability',
      settingsStore: new MemoryStore(),
      logger,
      demo: true,
      demoSimulators: false
    })
    return { backend: b, logger, dataDir: dir }
  }
  log(`fault matrix: ${demo.accounts.length} carriers in parallel`)
  const perCarrier = await Promise.all(
    demo.accounts.map(async (account, i) => {
      const { backend: b } = newBackend(account.carrier)
      b.accounts.setDemoAccounts([account])
      try {
        return await faultMatrix(b, { accounts: [account], simulators: [demo.simulators[i]!], close: async () => {} })
      } finally {
        b.close()
      }
    })
  )
  const faults = perCarrier.reduce(
    (a, r) => ({
      accounts: a.accounts + r.accounts,
      injected: a.injected + r.injected,
      typed: a.typed + r.typed,
      visible: a.visible + r.visible,
      untyped: [...a.untyped, ...r.untyped],
      recovered: a.recovered + r.recovered,
      messages: [...a.messages, ...r.messages]
    }),
    { accounts: 0, injected: 0, typed: 0, visible: 0, untyped: [] as string[], recovered: 0, messages: [] as string[] }
  )
  texts.push(...faults.messages, ...faults.untyped)
  fig('faults_injected', faults.injected)
  fig('faults_typed', faults.typed)
  fig('faults_visible_on_shipment', faults.visible)
  const notRecovered = faults.accounts - faults.recovered
  fig('faults_not_recovered_accounts', notRecovered)
  for (const u of faults.untyped) log(`fault not handled: ${u}`)
  for (const m of faults.messages.filter((x) => x.includes('no recovery'))) log(m)

  const { backend, logger } = newBackend('fuzz')
  backend.accounts.setDemoAccounts(demo.accounts)
  const secret = 'fuzz-Secret-7Hq2LmZp9Wx4'
  secrets.add(secret)
  await backend.dispatch('credentials.set', { carrier: 'ecotrack', account: 'north', secrets: { api_token: secret } })

  log('fuzz')
  const fuzz: FuzzReport = { sent: 0, rejected: 0, accepted: 0, crashes: 0, writesOnRejection: 0, messages: [], problems: [] }
  await fuzzDispatch(backend, quick ? 10 : 60, 1128, fuzz)
  const http = await startHttpTransport({
    dispatch: backend.dispatch,
    events: backend.events,
    logger,
    rendererDir: join(root, 'out/renderer'),
    port: 0
  })
  secrets.add(http.token)
  await fuzzHttp(http, quick ? 100 : 1000, 2811, fuzz)
  await fuzzSocket(http, quick ? 100 : 1000, 3511, fuzz)
  await http.close()
  texts.push(...fuzz.messages)
  for (const m of fuzz.problems.slice(0, 20)) log(`fuzz: ${m}`)
  fig('fuzz_sent', fuzz.sent)
  fig('fuzz_rejected', fuzz.rejected)
  fig('fuzz_crashes', fuzz.crashes + fuzz.writesOnRejection)
  backend.close()
  await demo.close()

  // 2. Crashes.
  log('crash runs')
  const crash = await crashTest({ runs: quick ? 20 : 200, log })
  dirs.push(crash.dataDir)
  fig('crash_runs', crash.runs)
  fig('crash_accepted_actions', crash.accepted)
  fig('lost', crash.lost)
  fig('doubled', crash.doubled)
  fig('integrity_failures', crash.integrityFailures)

  // 2b. The network: hub + PostgreSQL + 5 desks, SIGKILLs and cuts (alone: tsx test/reliability/hub-network.ts).
  log('hub network')
  const net = await hubNetwork({ kills: quick ? 20 : 100, log })
  fig('hub_kills', net.kills)
  fig('hub_facts', net.facts)
  fig('hub_lost', net.lost)
  fig('hub_doubled', net.doubled)

  const sec = await security(fig)

  // 3. Secrets: nowhere in the data dirs (outside the encrypted vault), the logs, or any error.
  let found = sec.found
  for (const file of dirs.flatMap(filesUnder)) {
    const content = readFileSync(file).toString('latin1')
    for (const s of secrets)
      if (content.includes(s)) {
        found++
        log(`secret found in ${file}`)
      }
  }
  for (const t of texts)
    for (const s of secrets)
      if (t.includes(s)) {
        found++
        log(`secret found in an error message`)
      }
  fig('secrets_found', found)
  fig('unhandled_rejections', unhandled)

  mkdirSync(join(root, 'bench-results'), { recursive: true })
  writeFileSync(
    join(root, 'bench-results', 'reliability.json'),
    JSON.stringify({ suite: 'reliability', at: new Date().toISOString(), quick, figures }, null, 2)
  )
  // Each promise is one check; the closing line counts them.
  const checks: Array<[string, boolean]> = [
    ['crash: no accepted action lost', crash.lost === 0],
    ['crash: no action reached the carrier twice', crash.doubled === 0],
    ['crash: the store passed its integrity check after every restart', crash.integrityFailures === 0],
    ['crash: actions were accepted at all', crash.accepted > 0],
    ['faults: every fault a typed error visible on its shipment', faults.untyped.length === 0 && faults.visible === faults.injected],
    ['faults: every adapter kept working afterwards', notRecovered === 0],
    ['fuzz: no crash, every answer typed', fuzz.crashes === 0],
    ['fuzz: a rejected payload wrote nothing', fuzz.writesOnRejection === 0],
    ['hub network: every fact on the hub and at its point, none lost', net.lost === 0 && net.facts > 0],
    ['hub network: none twice', net.doubled === 0],
    ['secrets: none outside the vault', found === 0],
    ...sec.checks,
    ['no unhandled rejection', unhandled === 0]
  ]
  for (const [name, ok] of checks) log(`${ok ? 'ok  ' : 'FAIL'} ${name}`)
  const failedChecks = checks.filter(([, ok]) => !ok).length
  process.stdout.write(`${checks.length - failedChecks} passed, ${failedChecks} failed\n`)
  process.exit(failedChecks === 0 ? 0 : 1)
}

main().catch((e) => {
  log(String((e as Error)?.stack ?? e))
  process.exit(1)
})
