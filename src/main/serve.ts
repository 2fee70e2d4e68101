// Browser mode: `npm run serve`. The whole backend, no Electron, over loopback HTTP.
// Environment: GUICHET_PORT (0 = any free port), GUICHET_DATA_DIR, GUICHET_DEMO=1, GUICHET_LANG,
// GUICHET_HOST (loopback only), GUICHET_TEST_NOW (an ISO instant the clock starts at: e2e tests).
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { version } from '../../package.json'
import { createBackend, type Backend } from './backend'
import { EventBus } from './platform/events'
import { browserPlatform } from './platforms'
import type { HtmlToPdf } from './features/labels/pdf'
import { createLogger } from './platform/logger'
import { openSettingsFile } from './platform/settings-file'
import { clockFromEnv } from './platform/clock'
import { ensurePrivateDir, privateUmask } from './platform/private-files'
import { startHttpTransport } from './platform/transport/http'
import type { Language } from '../shared/app'

async function main(): Promise<void> {
  const env = process.env
  const port = Number(env.GUICHET_PORT ?? 0)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`GUICHET_PORT must be a port number, got "${env.GUICHET_PORT}"`)
  const clock = clockFromEnv(env.GUICHET_TEST_NOW)
  const dataDir = resolve(env.GUICHET_DATA_DIR ?? join(homedir(), '.guichet', 'browser'))
  // Personal data and secrets: 0700 folders and 0600 files, for what exists and what comes.
  privateUmask()
  ensurePrivateDir(dataDir) // the backend closes the rest after its first answer
  const logger = createLogger({ file: join(dataDir, 'logs', 'guichet.log') })
  const settingsStore = openSettingsFile(join(dataDir, 'settings.json'), { logger, now: () => clock.now() })

  // One bus and one dispatch for the page, whichever backend is behind them: a backend that found
  // its store damaged (after an unclean shutdown) is started again, and that open sets the file aside.
  const events = new EventBus()
  const startBackend = async (): Promise<Backend> => {
    const b = createBackend({
      dataDir,
      version,
      settingsStore,
      logger,
      clock,
      demo: env.GUICHET_DEMO === '1',
      startPoller: true,
      platform: browserPlatform({ htmlToPdf: lazyChromiumPdf() }),
      onStoreDamaged: () => {
        current = b.close().then(startBackend)
        void current.then(() => events.emit('backend.restarted', { at: new Date(clock.now()).toISOString(), attempt: 1 }))
      }
    })
    b.events.onAny((name, payload) => events.emit(name, payload as never))
    await b.start()
    return b
  }
  let current = startBackend()
  const backend = await current
  if (env.GUICHET_LANG) {
    const r = await backend.dispatch('settings.update', { language: env.GUICHET_LANG as Language })
    if (!r.ok) throw new Error(`GUICHET_LANG: ${r.error.message} (use fr, en, ar or de)`)
  }
  const http = await startHttpTransport({
    dispatch: async (channel, input) => (await current).dispatch(channel, input),
    events,
    logger,
    rendererDir: join(__dirname, '../renderer'),
    host: env.GUICHET_HOST ?? '127.0.0.1',
    port
  })
  process.stdout.write(`Guichet listening on ${http.appUrl}\n`)

  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await http.close()
    void (await current).close() // the store closes at once; sockets go with the process
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

/** Chromium for label PDFs, loaded at the first label: playwright-core costs start-up a second. */
function lazyChromiumPdf(): HtmlToPdf {
  let pdf: Promise<HtmlToPdf> | null = null
  const get = () => (pdf ??= import('./features/labels/pdf.chromium').then((m) => new m.ChromiumHtmlToPdf()))
  return {
    render: async (html, size) => (await get()).render(html, size),
    close: async () => {
      if (pdf) await (await pdf).close()
    }
  }
}

main().catch((e: Error) => {
  process.stderr.write(`Guichet could not start: ${e.message}\n`)
  process.exit(1)
})
