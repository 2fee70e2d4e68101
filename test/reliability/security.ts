// Security checks of the reliability suite (issue 18), runnable alone:
//   npx tsx test/reliability/run.ts --only=security
// 1. Secrets: tokens of every printable ASCII character and of 1 to 3 characters go to a carrier
//    on 127.0.0.1 that echoes them back every way it can; none may reach the log, the data dir,
//    an answer, an event or an error (short tokens are looked for where they stand as a value).
// 2. A host change: an account moved to another listener never sends it the old secret.
// 3. The renderer cannot set a feed URL: every try is refused and the feed stays the build's.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createBackend, type Backend } from '../../src/main/backend'
import { browserPlatform } from '../../src/main/platforms'
import { createLogger, secretForms } from '../../src/main/platform/logger'
import { MemoryStore } from '../../src/main/core/settings/settings'
import type { UpdateEngine } from '../../src/main/features/updater/engine'
import type { FeedTarget } from '../../src/main/features/updater/policy'

export const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('')
export const SHORT_TOKENS = ['Q', '7|', '%&+']

interface Listener {
  url: string
  /** Every request: line, headers and body, as received. */
  seen: string[]
  close(): Promise<void>
}

/** A carrier that refuses every token and says it back: raw, URL-encoded, quoted, in base64. */
async function echoCarrier(): Promise<Listener> {
  const seen: string[] = []
  const server = createServer((req: IncomingMessage, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString('utf8')))
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}\n${req.rawHeaders.join('\n')}\n${body}`)
      const auth = String(req.headers.authorization ?? '').replace(/^Bearer /, '')
      const q = new URL(req.url ?? '/', 'http://x').searchParams.get('api_token') ?? ''
      // A refusal whose message the adapter passes on: the worst a carrier can do with a token.
      res.writeHead(200, { 'content-type': 'application/json' })
      const message = `invalid token ${auth} (api_token=${encodeURIComponent(q)}) "${auth}" ${Buffer.from(auth).toString('base64')}`
      res.end(JSON.stringify({ success: false, error: 7, message, token: auth }))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((r) => server.close(() => r()))
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) return filesUnder(p)
    return name === 'credentials.vault' || name === 'vault.key' ? [] : [p]
  })
}

/** Where a token shows, for the search: every form of a long one; a short one as a value only. */
function leaks(text: string, token: string): boolean {
  if (token.length >= 4) return secretForms(token).some((f) => text.includes(f))
  const q = new URLSearchParams({ v: token }).toString().slice(2)
  const values = [`api_token=${q}`, `api_token=${encodeURIComponent(token)}`, `Bearer ${token}`, JSON.stringify({ token }).slice(1, -1)]
  return values.some((v) => text.includes(v))
}

function backendIn(dir: string, extra: Partial<Parameters<typeof createBackend>[0]> = {}): Backend {
  return createBackend({
    dataDir: dir,
    version: 'reliability',
    settingsStore: new MemoryStore(),
    logger: createLogger({ file: join(dir, 'logs', 'guichet.log'), console: false }),
    ...extra
  })
}

export async function secretsCheck(log: (s: string) => void): Promise<{ found: number; travelled: number }> {
  let found = 0
  let travelled = 0
  for (const [i, token] of [PRINTABLE, ...SHORT_TOKENS].entries()) {
    const carrier = await echoCarrier()
    const dir = mkdtempSync(join(tmpdir(), `guichet-reliability-secrets-${i}-`))
    const b = backendIn(dir)
    const texts: string[] = []
    b.events.onAny((name, p) => texts.push(`${name} ${JSON.stringify(p)}`))
    try {
      const alias = `tok${i}`
      const baseUrl = carrier.url
      texts.push(JSON.stringify(await b.dispatch('accounts.save', { carrier: 'ecotrack', alias, baseUrl, enabled: true, options: {} })))
      texts.push(
        JSON.stringify(await b.dispatch('credentials.set', { carrier: 'ecotrack', account: alias, secrets: { api_token: token } }))
      )
      const adapter = b.accounts.adapter('ecotrack', alias) as unknown as {
        checkToken(): Promise<unknown>
        track(t: string[]): Promise<unknown>
        history(t: string): Promise<unknown>
      }
      for (const call of [
        () => adapter.checkToken(),
        () => adapter.track(['ECQFLD2611240017']),
        () => adapter.history('ECQFLD2611240017')
      ]) {
        try {
          texts.push(JSON.stringify(await call()))
        } catch (e) {
          texts.push((e as Error).message, JSON.stringify(e), String((e as Error).stack))
        }
      }
      for (const ch of ['accounts.list', 'credentials.status', 'connectivity.state', 'poller.state'])
        texts.push(JSON.stringify(await b.dispatch(ch, {})))
      // Not vacuous: the token did reach the carrier.
      if (carrier.seen.some((r) => r.includes(`Bearer ${token}`))) travelled++
    } finally {
      b.close()
      await carrier.close()
    }
    for (const file of filesUnder(dir))
      if (leaks(readFileSync(file).toString('latin1'), token)) {
        found++
        log(`secret ${JSON.stringify(token.slice(0, 8))}… found in ${file}`)
      }
    for (const t of texts)
      if (leaks(t, token)) {
        found++
        log(`secret ${JSON.stringify(token.slice(0, 8))}… found in an answer, event or error: ${t.slice(0, 200)}`)
      }
  }
  return { found, travelled }
}

export async function hostChangeCheck(log: (s: string) => void): Promise<{ leaked: number; firstHostGotIt: boolean }> {
  const token = 'host-change-7|Qm3x-secret'
  const first = await echoCarrier()
  const second = await echoCarrier()
  const dir = mkdtempSync(join(tmpdir(), 'guichet-reliability-host-'))
  const b = backendIn(dir)
  try {
    const account = { carrier: 'ecotrack', alias: 'moved', enabled: true, options: {} }
    await b.dispatch('accounts.save', { ...account, baseUrl: first.url })
    await b.dispatch('credentials.set', { carrier: 'ecotrack', account: 'moved', secrets: { api_token: token } })
    await (b.accounts.adapter('ecotrack', 'moved') as unknown as { checkToken(): Promise<unknown> }).checkToken().catch(() => {})
    await b.dispatch('accounts.save', { ...account, baseUrl: second.url })
    // Every way a call could still go out: a rebuilt adapter, the accounts' refresh path.
    const again = b.accounts.adapter('ecotrack', 'moved') as unknown as { checkToken(): Promise<unknown> } | null
    if (again) await again.checkToken().catch(() => {})
    for (const a of b.accounts.adapters()) await a.track(['ECQFLD2611240017']).catch(() => {})
    const leaked = second.seen.filter((r) => secretForms(token).some((f) => r.includes(f))).length
    if (leaked > 0) log(`the old secret reached the new host ${leaked} time(s)`)
    return { leaked, firstHostGotIt: first.seen.some((r) => r.includes(`Bearer ${token}`)) }
  } finally {
    b.close()
    await first.close()
    await second.close()
  }
}

export async function rendererFeedCheck(log: (s: string) => void): Promise<{ feedChanges: number; tries: number }> {
  const build = 'https://updates.example.test/guichet'
  const targets: FeedTarget[] = []
  const engine: UpdateEngine = {
    check: async (t) => {
      targets.push(t)
      return null
    },
    download: async () => {},
    install: () => {}
  }
  const dir = mkdtempSync(join(tmpdir(), 'guichet-reliability-feed-'))
  const b = backendIn(dir, {
    platform: {
      ...browserPlatform(),
      kind: 'electron',
      updates: { engine, disabledReason: null, defaults: { feedUrl: build, channel: 'stable' } }
    }
  })
  let tries = 0
  try {
    const evil = 'http://127.0.0.1:9/evil'
    const inputs: unknown[] = [
      { channel: 'beta', feedUrl: evil },
      { channel: 'beta', feedUrl: 'https://evil.example/feed' },
      { channel: evil },
      { channel: 'site-x', feedUrl: null },
      { channel: 'stable', url: evil },
      JSON.parse(`{"channel":"beta","__proto__":{"feedUrl":"${evil}"}}`)
    ]
    for (const input of inputs) {
      tries++
      await b.dispatch('updater.setChannel', input)
    }
    await b.dispatch('settings.update', { updates: { feedUrl: evil } } as never)
    await b.dispatch('updater.setChannel', { channel: 'beta' })
    await b.dispatch('updater.check', {})
    const status = await b.dispatch('updater.status', {})
    const wrong = targets.filter((t) => t.url !== build).length + (JSON.stringify(status).includes('evil') ? 1 : 0)
    if (targets.length === 0) log('the updater never checked: the feed check proves nothing')
    if (wrong > 0) log(`the feed was changed from the renderer ${wrong} time(s)`)
    return { feedChanges: wrong + (targets.length === 0 ? 1 : 0), tries }
  } finally {
    b.close()
  }
}
