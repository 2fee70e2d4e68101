// Updater figures on a local generic feed (127.0.0.1), measured through electron-updater's own
// NsisUpdater under a stubbed `electron` (electron-updater.testkit.ts): how long a check takes
// (it runs at start and every 6 h, and must never slow the desk), how fast a 100 MB installer
// downloads with its sha512 verified (the size of an Electron installer), and the cost of the
// pure decisions.
import { createHash, randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { silentLogger } from '../src/main/platform/logger'
import { installElectronStub, recordingNsisUpdater } from '../src/main/features/updater/electron-updater.testkit'
import { decideInstall, feedTarget } from '../src/main/features/updater/policy'
import { ElectronUpdaterEngine } from '../src/main/features/updater/updater.electron'
import { percentile, type Figure } from './run'

export default async function (): Promise<Figure[]> {
  const size = 100 * 2 ** 20
  const chunk = randomBytes(2 ** 20)
  const hash = createHash('sha512')
  for (let i = 0; i < size / chunk.length; i++) hash.update(chunk)
  const sha512 = hash.digest('base64')
  const yml = `version: 1.1.0\nfiles:\n  - url: Guichet-Setup-1.1.0.exe\n    sha512: ${sha512}\n    size: ${size}\nreleaseDate: '2026-11-27T10:00:00.000Z'\nreleaseNotes: Faster search\n`
  const server = createServer((req, res) => {
    // electron-updater adds a noCache query to feed requests.
    req.url = new URL(req.url ?? '/', 'http://x').pathname
    if (req.url === '/latest.yml') return void res.end(yml)
    if (req.url === '/Guichet-Setup-1.1.0.exe') {
      res.writeHead(200, { 'content-length': size })
      let sent = 0
      const pump = (): void => {
        while (sent < size) {
          sent += chunk.length
          if (!res.write(chunk)) return void res.once('drain', pump)
        }
        res.end()
      }
      return pump()
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const stub = installElectronStub({ version: '1.0.0', feedUrl: base })
  try {
    const engine = new ElectronUpdaterEngine(
      recordingNsisUpdater(async () => null),
      silentLogger
    )
    const target = feedTarget(base, 'stable', '1.0.0')
    const checks: number[] = []
    for (let i = 0; i < 50; i++) {
      const t = performance.now()
      await engine.check(target)
      checks.push(performance.now() - t)
    }
    const t0 = performance.now()
    await engine.download()
    const downloadMs = performance.now() - t0

    const n = 1_000_000
    const t1 = performance.now()
    let installs = 0
    for (let i = 0; i < n; i++) {
      if (
        decideInstall({
          trigger: i % 2 ? 'quit' : 'restart_now',
          downloaded: true,
          printing: i % 7 === 0,
          outboxPending: i % 11 === 0,
          openingHours: i % 3 === 0
        }).install
      )
        installs++
    }
    const decisionNs = ((performance.now() - t1) / n) * 1e6
    // Keeps the loop's result alive so it is not optimised away.
    if (installs < 0) throw new Error('unreachable')

    return [
      { metric: 'check_p50', value: percentile(checks, 50), unit: 'ms' },
      { metric: 'check_p95', value: percentile(checks, 95), unit: 'ms' },
      { metric: 'download_verify_100MB', value: downloadMs, unit: 'ms' },
      { metric: 'download_verify_throughput', value: size / 2 ** 20 / (downloadMs / 1000), unit: 'MB/s' },
      { metric: 'install_decision', value: decisionNs, unit: 'ns/op' }
    ]
  } finally {
    server.close()
    stub.restore()
  }
}
