// `npm run sim -- <carrier> --port <n> [--token T | --user U --password P]`: one simulator on
// 127.0.0.1, on the real clock, until interrupted.
import { isSimulatedCarrier, SIMULATED_CARRIERS, startSimulator, type SimulatorCredentials } from './simulators'
import { isPointSimulator, POINTS_DEMO_CREDENTIALS, startPointSimulator } from './points'
import { AGGREGATOR_SIMULATORS, isAggregatorSimulator, startAggregatorSimulator } from './warehouse'
import { systemClock } from '../platform/clock'

export function parseSimArgs(argv: string[]): { carrier: string; port: number; credentials: SimulatorCredentials } | { error: string } {
  const [carrier, ...rest] = argv
  if (!carrier || carrier.startsWith('-')) return { error: 'missing carrier' }
  const out: { carrier: string; port: number; credentials: SimulatorCredentials } = { carrier, port: 0, credentials: {} }
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]
    const value = rest[i + 1]
    if (value === undefined) return { error: `${flag} needs a value` }
    i++
    if (flag === '--port') {
      const n = Number(value)
      if (!Number.isInteger(n) || n < 0 || n > 65535) return { error: `bad port ${value}` }
      out.port = n
    } else if (flag === '--token') out.credentials.token = value
    else if (flag === '--user') out.credentials.user = value
    else if (flag === '--password') out.credentials.password = value
    else return { error: `unknown option ${flag}` }
  }
  return out
}

async function main(): Promise<void> {
  const args = parseSimArgs(process.argv.slice(2))
  if (!('error' in args) && isAggregatorSimulator(args.carrier)) {
    // Shiprocket (--user e-mail --password), Clickpost (--user username --password key), Shipway (--user --password licence).
    const { sim, user } = await startAggregatorSimulator(args.carrier, {
      clock: systemClock,
      port: args.port,
      user: args.credentials.user,
      password: args.credentials.password,
      webhookUrl: process.env.GUICHET_SIM_WEBHOOK,
      webhookSecret: process.env.GUICHET_SIM_WEBHOOK_SECRET
    })
    process.stdout.write(`${args.carrier} simulator listening on http://127.0.0.1:${sim.port} (user ${user})\n`)
    const stop = () => void sim.close().then(() => process.exit(0))
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
    return
  }
  if (!('error' in args) && isPointSimulator(args.carrier)) {
    // Sendcloud (--user public key, --password secret key) and Swiss Post (--user client id, --password secret).
    const sim = await startPointSimulator(args.carrier, {
      port: args.port,
      user: args.credentials.user,
      password: args.credentials.password
    })
    process.stdout.write(
      `${args.carrier} simulator listening on http://127.0.0.1:${sim.port} (user ${args.credentials.user ?? POINTS_DEMO_CREDENTIALS[args.carrier].user})\n`
    )
    const stop = () => void sim.close().then(() => process.exit(0))
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
    return
  }
  if ('error' in args || !isSimulatedCarrier(args.carrier)) {
    const why = 'error' in args ? args.error : `unknown carrier ${args.carrier}`
    process.stderr.write(
      `${why}\nusage: npm run sim -- <${[...SIMULATED_CARRIERS, 'sendcloud', 'swisspost', ...AGGREGATOR_SIMULATORS].join('|')}> --port <n> [--token T | --user U --password P]\n`
    )
    process.exit(2)
  }
  const sim = await startSimulator(args.carrier, { port: args.port, credentials: args.credentials })
  process.stdout.write(`${args.carrier} simulator listening on http://127.0.0.1:${sim.port}\n`)
  const stop = () => void sim.close().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

if (process.argv[1] && /sim-cli\.[cm]?[jt]s$/.test(process.argv[1])) void main()
