import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { expect, screenshot, startServe, test, type GuichetServer } from './fixtures'
import { startPgCluster, type PgCluster } from '../helpers/pg-cluster'

// Head office in the browser, end to end: a hub (`src/hub/main.ts`) on a throwaway PostgreSQL
// cluster serves the built renderer; a user is added with `npm run hub -- user add`; a real desk
// (`npm run serve`, demo) joins with an enrolment code and checks two parcels in at its counter;
// head office logs in through the React UI, sees the point's stock, and opens it.

const root = resolve(__dirname, '../..')
const hubCli = (args: string[], env: Record<string, string>, input?: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/hub/main.ts'), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    input,
    encoding: 'utf8',
    timeout: 60_000
  })

async function freePort(): Promise<number> {
  return new Promise((ok, ko) => {
    const s = createServer()
    s.once('error', ko)
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port
      s.close(() => ok(p))
    })
  })
}

/** `npm run hub` on a free port (test/helpers/hub-process.ts is ESM-only; this runs under Playwright's CJS). */
async function startHub(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/hub/main.ts')], {
    cwd: root,
    env: { ...process.env, ...env, GUICHET_HUB_PORT: String(port), GUICHET_HUB_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  await new Promise<void>((ok, ko) => {
    let out = ''
    child.stdout!.on('data', (c: Buffer) => {
      out += String(c)
      if (out.includes('listening on')) ok()
    })
    child.stderr!.on('data', (c: Buffer) => (out += String(c)))
    child.once('exit', (c) => ko(new Error(`hub exited (${c}): ${out}`)))
  })
  return { child, url: `http://127.0.0.1:${port}` }
}

async function rpc<T>(g: GuichetServer, channel: string, input: unknown = {}): Promise<T> {
  const r = await fetch(`${g.base}/rpc/${channel}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${g.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input)
  })
  const body = (await r.json()) as { ok: boolean; value: T; error?: { message: string } }
  if (!body.ok) throw new Error(`${channel}: ${body.error?.message}`)
  return body.value
}

let cluster: PgCluster
let hub: ChildProcess | null = null
let desk: GuichetServer | null = null

test.beforeAll(async () => {
  test.setTimeout(120_000)
  cluster = await startPgCluster()
})

test.afterAll(async () => {
  desk?.process.kill('SIGTERM')
  hub?.kill('SIGTERM')
  cluster?.stop()
})

test('head office logs in through the React UI and sees the stock a desk synced', async ({ page }) => {
  test.setTimeout(120_000)
  const env = { DATABASE_URL: cluster.url, GUICHET_HUB_DATA_DIR: mkdtempSync(join(tmpdir(), 'guichet-hub-')) }

  // The first user, password from stdin (as a script would): never echoed back.
  const added = hubCli(['user', 'add', 'chef'], env, 'un mot de passe long\n')
  expect(added.status, added.stderr).toBe(0)
  expect(added.stdout).toContain('User chef added')
  expect(added.stdout + added.stderr).not.toContain('un mot de passe long')
  const code = /Enrolment code[^:]*: (\S+)/.exec(
    hubCli(['code', '--role', 'point', '--point', 'P-NORD', '--name', 'Nord'], env).stdout
  )?.[1]
  expect(code).toBeTruthy()

  const started = await startHub(env)
  hub = started.child
  const hubUrl = started.url

  // A real desk joins at start and checks two parcels in; its event log reaches the hub.
  desk = await startServe({ GUICHET_DEMO: '1', GUICHET_HUB_URL: hubUrl, GUICHET_HUB_CODE: code!, GUICHET_HUB_DESK_NAME: 'Nord' })
  const session = await rpc<{ id: number }>(desk, 'counter.checkinStart', { driver: 'Karim' })
  for (const c of ['ECQFLD2611260021', 'ERMA2611230031']) await rpc(desk, 'counter.checkinScan', { sessionId: session.id, code: c })
  await rpc(desk, 'counter.checkinClose', { sessionId: session.id })

  // The renderer the hub serves knows it is head office, and asks who you are.
  await page.goto(hubUrl)
  await expect(page.getByTestId('office-login')).toBeVisible()
  await page.getByTestId('language').selectOption('en')
  await page.getByTestId('office-login-name').fill('chef')
  await page.getByTestId('office-login-password').fill('pas le bon')
  await page.getByTestId('office-login-submit').click()
  await expect(page.getByTestId('office-login-error')).toHaveText('Wrong user name or password.')
  await screenshot(page, 'headoffice-login')
  await page.getByTestId('office-login-password').fill('un mot de passe long')
  await page.getByTestId('office-login-submit').click()
  await expect(page.getByTestId('office-user')).toContainText('chef')

  // The session is an HttpOnly cookie the page's script cannot read.
  expect(await page.evaluate<string>('document.cookie')).toBe('')
  const cookie = (await page.context().cookies()).find((c) => c.name === 'guichet_office')
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' })

  // The desk syncs in the background: the table follows within the refresh or a reload.
  const row = page.locator('[data-testid="office-points-table"] tr[data-point="P-NORD"]')
  await expect(async () => {
    await page.reload()
    await expect(row.locator('[data-col="onShelf"]')).toHaveText('2', { timeout: 2_000 })
  }).toPass({ timeout: 30_000 })
  await screenshot(page, 'headoffice-points')
  await row.click()
  const stock = page.getByTestId('office-stock-table')
  await expect(stock.locator('tbody tr')).toHaveCount(2)
  await expect(stock).toContainText('on the shelf')
  await screenshot(page, 'headoffice-stock')

  await page.getByTestId('office-nav-desks').click()
  await expect(page.getByTestId('office-desks')).toContainText('Nord')
  await screenshot(page, 'headoffice-desks')

  await page.getByTestId('office-logout').click()
  await expect(page.getByTestId('office-login')).toBeVisible()
  const after = await page.request.get(`${hubUrl}/office/v1/network`)
  expect(after.status()).toBe(401)
})
