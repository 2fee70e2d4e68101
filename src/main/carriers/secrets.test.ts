import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../platform/clock'
import { createLogger, Redactor } from '../platform/logger'
import { createEcotrackAdapter } from './ecotrack/client'
import { startEcotrackSimulator } from './ecotrack/sim/simulator'
import { createExpressRelaisAdapter } from './express-relais/client'
import { startExpressRelaisSimulator } from './express-relais/sim/simulator'
import { FAULT_KINDS } from './sim/server'
import { CAPTURED, findLeaks } from './testing/capture.testkit'

// The sweep: run every carrier operation, good and bad (wrong credentials, refusals, 422s, every
// fault, 429s), through the real JSON-lines logger; then grep everything that could reach a log,
// an error message or the renderer for the secrets. The simulators' own request logs prove the
// secrets did travel on the wire, so the grep is not vacuous.
const ECO_TOKEN = 'sweep-eco-token-4b1d9e77'
const ECO_WRONG = 'sweep-eco-wrong-token-3310'
const ER_USER = 'sweep-er-user'
const ER_PASS = 'sweep-er-pass-Q7!x'
const ER_WRONG = 'sweep-er-wrong-pass-88'
const SECRETS = [
  ECO_TOKEN,
  ECO_WRONG,
  ER_PASS,
  ER_WRONG,
  Buffer.from(`${ER_USER}:${ER_PASS}`).toString('base64'),
  Buffer.from(`${ER_USER}:${ER_WRONG}`).toString('base64')
]

describe('no secret reaches a log, an error message or a result', () => {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-carrier-sweep-'))
  const file = join(dir, 'carriers.log')
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('after every operation and failure of both adapters', async () => {
    const clock = new ManualClock()
    const logger = createLogger({ file, level: 'debug', console: false, redactor: new Redactor() })
    const seen: string[] = []
    const keep = (x: unknown) => {
      if (x instanceof Error) seen.push(x.message, String(x.stack), JSON.stringify(x))
      else seen.push(JSON.stringify(x))
    }
    const attempt = async (p: Promise<unknown>) => {
      try {
        keep(await p)
      } catch (e) {
        keep(e)
      }
    }
    const deps = { now: () => clock.now(), logger, sleep: async (ms: number) => clock.advance(ms), timeoutMs: 1000, maxRetries: 1 }

    const ecoSim = await startEcotrackSimulator({ clock, tokens: [ECO_TOKEN] })
    const erSim = await startExpressRelaisSimulator({ clock, username: ER_USER, password: ER_PASS })
    try {
      const eco = createEcotrackAdapter(
        { carrier: 'ecotrack', alias: 'default', baseUrl: ecoSim.url, credentials: { token: ECO_TOKEN } },
        deps
      )
      const ecoBad = createEcotrackAdapter(
        { carrier: 'ecotrack', alias: 'bad', baseUrl: ecoSim.url, credentials: { token: ECO_WRONG } },
        deps
      )
      const t = 'ECQFLD2611240017'
      for (const a of [eco, ecoBad]) {
        await attempt(a.checkToken())
        await attempt(a.track([t, 'ECQFLD0000000000']))
        await attempt(a.history(t))
        await attempt(a.history('ECQFLD0000000000'))
        await attempt(a.addRemark!(t, 'x'.repeat(300), { idempotencyKey: '1' }))
        await attempt(a.addRemark!('ECQFLD0000000000', 'ok', { idempotencyKey: '2' }))
        await attempt(a.listRemarks(t))
        await attempt(a.requestReturn!('ECQFLD2611260021', { idempotencyKey: '3' }))
        await attempt(a.label!('ECQFLD0000000000'))
        await attempt(
          a.createOrder({
            nom_client: 'A',
            telephone: '0550000000',
            adresse: 'B',
            commune: 'Atlantis',
            code_wilaya: 16,
            montant: 1,
            type: 1
          })
        )
        await attempt(
          a.createOrder({
            nom_client: 'A',
            telephone: '0550000000',
            adresse: 'B',
            commune: 'Tebessa',
            code_wilaya: 12,
            montant: 1,
            type: 1
          })
        )
        await attempt(a.listOrders({ startDate: 'bad' }))
        await attempt(a.communes(99))
        keep(a.budget())
      }
      for (const kind of FAULT_KINDS) {
        ecoSim.inject({ kind, match: t, times: 3, retryAfterSec: 2 })
        await attempt(eco.track([t]))
        ecoSim.clearFaults()
      }
      // Spend the budget behind the adapter's back so it meets a real 429.
      for (let i = 0; i < 50; i++) await fetch(`${ecoSim.url}/api/v1/get/wilayas?api_token=${ECO_TOKEN}`)
      await attempt(eco.track([t]))

      const er = createExpressRelaisAdapter(
        {
          carrier: 'express-relais',
          alias: 'default',
          baseUrl: erSim.url,
          credentials: { username: ER_USER, password: ER_PASS },
          options: { enabled: true }
        },
        deps
      )
      const erBad = createExpressRelaisAdapter(
        {
          carrier: 'express-relais',
          alias: 'bad',
          baseUrl: erSim.url,
          credentials: { username: ER_USER, password: ER_WRONG },
          options: { enabled: true }
        },
        deps
      )
      for (const a of [er, erBad]) {
        await attempt(a.checkCredentials())
        await attempt(a.track(['ERMA2611240042']))
        await attempt(a.track(['ERMA2611230031', 'ERMA0000000000']))
        await attempt(
          a.createShipment({
            idParcelClient: 'X1',
            firstName: 'A',
            lastName: 'B',
            mobile: '0612345678',
            delivery: { type: 'LOCKER', lockerId: 'SL-CAS-007' }
          })
        )
        await attempt(a.cancel!('ERMA2611230031', { idempotencyKey: '4' }))
        await attempt(a.lockers('Rabat'))
      }
      for (const kind of FAULT_KINDS) {
        erSim.inject({ kind, match: 'ERMA2611240042', times: 3, retryAfterSec: 2 })
        await attempt(er.track(['ERMA2611240042']))
        erSim.clearFaults()
      }
      await attempt(
        Promise.resolve().then(() =>
          createExpressRelaisAdapter(
            { carrier: 'express-relais', alias: 'x', baseUrl: 'not a url', credentials: { username: ER_USER, password: ER_PASS } },
            deps
          )
        )
      )
    } finally {
      await ecoSim.close()
      await erSim.close()
    }

    // The secrets did go out: api_token in ECOTRACK URLs (status calls), Basic auth to ER.
    expect(ecoSim.log.some((l) => l.url.includes(`api_token=${ECO_TOKEN}`))).toBe(true)
    expect(erSim.log.length).toBeGreaterThan(10)

    const logText = readFileSync(file, 'utf8')
    expect(logText.split('\n').length).toBeGreaterThan(5)
    const everything = [logText, ...seen, ...CAPTURED].join('\n')
    for (const s of SECRETS) {
      expect(everything.includes(s), `secret ${s.slice(0, 6)}… leaked`).toBe(false)
      expect(everything.includes(encodeURIComponent(s)), `encoded secret ${s.slice(0, 6)}… leaked`).toBe(false)
    }
    expect(everything).not.toMatch(/api_token=(?!\[redacted\])[^&\s"]/)
    expect(everything).not.toMatch(/(Bearer|Basic) (?!\[redacted\])[A-Za-z0-9]/)
    expect(findLeaks(SECRETS)).toEqual([])
  }, 60_000)
})
