// Test helpers shared by the carrier suites: a logger that keeps every line it is given (after
// redaction, as the real one writes), and a sleep that moves a ManualClock instead of waiting.
import { Redactor, type Logger } from '../../platform/logger'
import type { ManualClock } from '../../platform/clock'

/** Every log line and error message the carrier suites produce, for the no-secret sweep. */
export const CAPTURED: string[] = []

export function captureLogger(): Logger & { lines: string[] } {
  const redactor = new Redactor()
  const lines: string[] = []
  const write = (level: string) => (event: string, fields?: Record<string, unknown>) => {
    const line = JSON.stringify({ level, event, ...(redactor.value(fields ?? {}) as object) })
    lines.push(line)
    CAPTURED.push(line)
  }
  return {
    lines,
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    addSecret: (v) => redactor.add(v)
  }
}

/** Records an error's visible parts (what could reach a log, the UI or the renderer). */
export function captureError(e: unknown): void {
  if (e && typeof e === 'object') CAPTURED.push(JSON.stringify({ message: (e as Error).message, ...(e as object) }))
  else CAPTURED.push(String(e))
}

export const simulatedSleep = (clock: ManualClock) => async (ms: number) => {
  clock.advance(ms)
}

/** Secrets used by the carrier suites: none may appear in anything captured. */
export const TEST_SECRETS = ['eco-tok-7f3a9c1d2b8e4f60', 'er-pass-Zk93!hQ2mW', 'er-user-relais-maarif'] as const

/** Asserts nothing captured so far carries a test secret (raw or URL-encoded). */
export function findLeaks(extra: string[] = []): string[] {
  const secrets = [...TEST_SECRETS, ...extra].flatMap((s) => [s, encodeURIComponent(s)])
  return CAPTURED.filter((line) => secrets.some((s) => line.includes(s)))
}
