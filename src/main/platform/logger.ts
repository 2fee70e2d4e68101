import { appendFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

type LogLevel = 'debug' | 'info' | 'warn' | 'error'
type LogFields = Record<string, unknown>

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

/** Below this length a secret is hidden only where it stands alone, as a value, not inside a word. */
const SHORT_SECRET = 4
/** Where a value starts and ends: a query (`=`, `&`), a header (`Bearer `), JSON (`"`, `:`, `,`). */
const BEFORE = `(?<=^|[\\s=:"'&?,;(\\[{/<>])`
const AFTER = `(?=$|[\\s\\\\&"',;)\\]}#/<>.])`
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * Every form a secret takes on its way out: as sent in a query string (both encoders, either
 * hex case), in a JSON or HTML text, in base64 (a Basic header, a token echoed back encoded).
 */
export function secretForms(value: string): string[] {
  const query = new URLSearchParams({ v: value }).toString().slice(2)
  const uri = encodeURIComponent(value)
  const json = JSON.stringify(value).slice(1, -1)
  const html = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
  const b64 = Buffer.from(value, 'utf8').toString('base64')
  const forms = [
    value,
    uri,
    uri.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
    query,
    query.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
    encodeURI(value),
    json,
    JSON.stringify(json).slice(1, -1),
    html,
    b64,
    b64.replace(/=+$/, ''),
    b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  ]
  return [...new Set(forms)].filter((f) => f.length > 0)
}

/**
 * Redaction shared by logs and error messages. Registered secrets go first, in every encoded
 * form and longest first, so a secret with characters the patterns do not know (`7|Qm3x`) is
 * hidden whole; then the patterns: secret query parameters and Authorization values.
 */
export class Redactor {
  /** Each form, and whether it must stand alone to be hidden (a short secret's forms). */
  private readonly forms = new Map<string, boolean>()
  private matcher: RegExp | null = null
  add(value: string): void {
    if (typeof value !== 'string' || value.length === 0) return
    const short = value.length < SHORT_SECRET
    for (const f of secretForms(value)) {
      const alone = short || f.length < SHORT_SECRET
      // A form registered as a long secret's stays unbounded: hiding more is the safe side.
      if (this.forms.get(f) === false || this.forms.get(f) === alone) continue
      this.forms.set(f, alone)
      this.matcher = null
    }
  }
  text(s: string): string {
    let out = s
    if (this.forms.size > 0) out = out.replace((this.matcher ??= this.build()), '[redacted]')
    return out.replace(SECRET_QUERY, '$1[redacted]').replace(BEARER, '$1 [redacted]')
  }
  /**
   * One pass, longest form first. A short secret is hidden where it stands as a value: the
   * token "7Q" in "api_token=7Q", "Bearer 7Q" or `"token":"7Q"`, not in "07Q3" (else a
   * 1-character secret would erase that character from every log line).
   */
  private build(): RegExp {
    const sorted = [...this.forms].sort((a, b) => b[0].length - a[0].length)
    const parts = sorted.map(([f, alone]) => (alone ? `${BEFORE}${escapeRe(f)}${AFTER}` : escapeRe(f)))
    return new RegExp(parts.join('|'), 'g')
  }
  /**
   * Every string inside a value, keys kept: for answers and push events, where a field named
   * "token" may be legitimate (a pickup code) but a registered secret never is.
   */
  strings<T>(v: T, depth = 0): T {
    if (this.forms.size === 0) return v
    if (typeof v === 'string') return this.text(v) as T
    if (depth > 12 || v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return v
    if (Array.isArray(v)) return v.map((x) => this.strings(x, depth + 1)) as T
    if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return v
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) out[k] = this.strings(x, depth + 1)
    return out as T
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
  if (opts.file) mkdirSync(dirname(opts.file), { recursive: true, mode: 0o700 })
  const write = (level: LogLevel, event: string, fields?: LogFields) => {
    if (order.indexOf(level) < min) return
    const line = JSON.stringify({ t: new Date().toISOString(), level, event, ...(redactor.value(fields ?? {}) as object) })
    if (opts.file) {
      try {
        appendFileSync(opts.file, line + '\n', { mode: 0o600 })
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
