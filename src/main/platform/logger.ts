import { appendFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFields = Record<string, unknown>

export interface Logger {
  debug(event: string, fields?: LogFields): void
  info(event: string, fields?: LogFields): void
  warn(event: string, fields?: LogFields): void
  error(event: string, fields?: LogFields): void
  /** Registers a secret value: it is replaced by [redacted] wherever it would appear. */
  addSecret(value: string): void
}

const SECRET_KEY = /(pass(word)?|secret|token|api[_-]?key|authorization|cookie|credential)/i
const SECRET_QUERY = /([?&](?:api_token|token|access_token|apikey|api_key|key|password|secret)=)[^&#\s"']*/gi
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g

/**
 * Redaction shared by logs and error messages: secret-looking keys, secret query parameters,
 * Authorization values, and every registered secret value.
 */
export class Redactor {
  private readonly secrets = new Set<string>()
  add(value: string): void {
    if (value && value.length >= 4) this.secrets.add(value)
  }
  text(s: string): string {
    let out = s.replace(SECRET_QUERY, '$1[redacted]').replace(BEARER, '$1 [redacted]')
    for (const secret of this.secrets) out = out.split(secret).join('[redacted]')
    return out
  }
  value(v: unknown, depth = 0): unknown {
    if (typeof v === 'string') return this.text(v)
    if (v instanceof Error) return { name: v.name, message: this.text(v.message) }
    if (depth > 6 || v === null || typeof v !== 'object') return v
    if (Array.isArray(v)) return v.map((x) => this.value(x, depth + 1))
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : this.value(x, depth + 1)
    return out
  }
}

export const sharedRedactor = new Redactor()

/** JSON-lines logger. Writes to a file when given one, and to stderr for warnings and errors. */
export function createLogger(opts: { file?: string; level?: LogLevel; console?: boolean; redactor?: Redactor } = {}): Logger {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error']
  const min = order.indexOf(opts.level ?? 'info')
  const redactor = opts.redactor ?? sharedRedactor
  if (opts.file) mkdirSync(dirname(opts.file), { recursive: true })
  const write = (level: LogLevel, event: string, fields?: LogFields) => {
    if (order.indexOf(level) < min) return
    const line = JSON.stringify({ t: new Date().toISOString(), level, event, ...(redactor.value(fields ?? {}) as object) })
    if (opts.file) {
      try {
        appendFileSync(opts.file, line + '\n')
      } catch {
        // A full disk must not take the counter down with it.
      }
    }
    if (opts.console !== false && (level === 'warn' || level === 'error')) process.stderr.write(line + '\n')
  }
  return {
    debug: (e, f) => write('debug', e, f),
    info: (e, f) => write('info', e, f),
    warn: (e, f) => write('warn', e, f),
    error: (e, f) => write('error', e, f),
    addSecret: (v) => redactor.add(v)
  }
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, addSecret: (v) => sharedRedactor.add(v) }
