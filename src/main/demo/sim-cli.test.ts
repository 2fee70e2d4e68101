import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { parseSimArgs } from './sim-cli'
import { CARRIER_MODULES, carrierModule } from '../carriers/registry'
import { sendcloudWebhook } from '../carriers/sendcloud/webhook'
import { startSimulator } from './simulators'

describe('npm run sim', () => {
  it('parses carrier, port and credentials', () => {
    expect(parseSimArgs(['ecotrack', '--port', '8080', '--token', 'T'])).toEqual({
      carrier: 'ecotrack',
      port: 8080,
      credentials: { token: 'T' }
    })
    expect(parseSimArgs(['express-relais', '--port', '0', '--user', 'u', '--password', 'p'])).toEqual({
      carrier: 'express-relais',
      port: 0,
      credentials: { user: 'u', password: 'p' }
    })
    expect(parseSimArgs([])).toEqual({ error: 'missing carrier' })
    expect(parseSimArgs(['ecotrack', '--port', 'x'])).toEqual({ error: 'bad port x' })
    expect(parseSimArgs(['ecotrack', '--colour', 'red'])).toEqual({ error: 'unknown option --colour' })
  })

  it('prints exactly "<carrier> simulator listening on http://127.0.0.1:<port>" and serves with the given token', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/main/demo/sim-cli.ts', 'ecotrack', '--port', '0', '--token', 'cli-token-1234'],
      { stdio: ['ignore', 'pipe', 'pipe'] }
    )
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let buf = ''
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString()
          if (buf.includes('\n')) resolve(buf.split('\n')[0]!)
        })
        child.on('exit', (code) => reject(new Error(`exited ${code}`)))
      })
      expect(line).toMatch(/^ecotrack simulator listening on http:\/\/127\.0\.0\.1:\d+$/)
      const url = line.split(' ').at(-1)!
      const ok = await fetch(`${url}/api/v1/validate/token?api_token=cli-token-1234`)
      expect(await ok.json()).toEqual({ success: true, message: 'VALID_TOKEN' })
    } finally {
      child.kill('SIGTERM')
    }
  })
})

describe('registry and in-process simulators', () => {
  it('lists the ECOTRACK, Express Relais, Sendcloud, Swiss Post and aggregator modules', () => {
    expect(CARRIER_MODULES.map((m) => m.id)).toEqual([
      'ecotrack',
      'express-relais',
      'sendcloud',
      'swisspost',
      'shiprocket',
      'clickpost',
      'shipway'
    ])
    expect(carrierModule('ecotrack')?.mapping.rows.length).toBeGreaterThan(40)
    expect(carrierModule('sendcloud')?.webhook).toBe(sendcloudWebhook)
  })

  it('starts each simulator on a free loopback port with demo credentials', async () => {
    for (const carrier of ['ecotrack', 'express-relais'] as const) {
      const sim = await startSimulator(carrier)
      try {
        expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      } finally {
        await sim.close()
      }
    }
  })
})
