import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { expect, test as base, type Page } from '@playwright/test'

// Every test gets its own `npm run serve` backend (the built out/main/serve.js) on a free
// loopback port with a fresh data dir: real services, real SQLite file, real HTTP transport.

export interface GuichetServer {
  url: string
  base: string
  token: string
  dataDir: string
  process: ChildProcess
}

export interface GuichetOptions {
  demo: boolean
  lang: string | undefined
}

const root = resolve(__dirname, '../..')

/**
 * Every e2e backend starts at this instant (GUICHET_TEST_NOW), a Friday morning in Europe and
 * Algeria alike: no spec depends on the wall clock, and a day report never spans local midnight.
 */
export const TEST_NOW = '2026-11-27T09:00:00Z'

export async function startServe(env: Record<string, string | undefined>): Promise<GuichetServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'guichet-e2e-'))
  const child = spawn(process.execPath, [join(root, 'out/main/serve.js')], {
    cwd: root,
    env: { ...process.env, GUICHET_PORT: '0', GUICHET_DATA_DIR: dataDir, GUICHET_TEST_NOW: TEST_NOW, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr!.on('data', (d) => (stderr += String(d)))
  const url = await new Promise<string>((ok, ko) => {
    let out = ''
    const timer = setTimeout(() => ko(new Error(`serve did not start: ${stderr}`)), 20_000)
    child.stdout!.on('data', (d) => {
      out += String(d)
      const m = /Guichet listening on (\S+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        ok(m[1]!)
      }
    })
    child.on('exit', (code) => ko(new Error(`serve exited with ${code}: ${stderr}`)))
  })
  return { url, base: url.split('/#')[0]!, token: url.split('#token=')[1]!, dataDir, process: child }
}

export const test = base.extend<GuichetOptions & { guichet: GuichetServer }>({
  demo: [true, { option: true }],
  lang: [undefined, { option: true }],
  guichet: async ({ demo, lang }, use) => {
    const server = await startServe({ GUICHET_DEMO: demo ? '1' : undefined, GUICHET_LANG: lang })
    await use(server)
    server.process.kill('SIGTERM')
  }
})

export { expect }

/** Opens (or reloads) the app and waits until it takes keys: shortcuts pressed earlier are lost, as in any app. */
export async function openApp(page: Page, url?: string): Promise<void> {
  if (url) await page.goto(url)
  else await page.reload()
  await expect(page.getByTestId('search-input')).toBeFocused()
}

/** Types like a keyboard-wedge scanner: fast keys, then Enter, without touching the mouse. */
export async function scan(page: Page, text: string): Promise<void> {
  await expect(page.getByTestId('search-input')).toBeFocused()
  await page.keyboard.type(text, { delay: 4 })
  await page.keyboard.press('Enter')
}

export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join(root, 'test-results', 'screenshots')
  mkdirSync(dir, { recursive: true })
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true })
}
