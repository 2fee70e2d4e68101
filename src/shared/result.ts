// The envelope every call returns. Electron only forwards error.message across ipcMain.handle,
// so errors travel as data, never as thrown objects.

export const ERROR_CODES = [
  'invalid_input',
  'unknown_channel',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'unsupported',
  'rate_limited',
  'offline',
  'timeout',
  'carrier_error',
  'carrier_refused',
  'storage',
  'internal'
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export const isErrorCode = (code: string): code is ErrorCode => (ERROR_CODES as readonly string[]).includes(code)

/**
 * Values the renderer may put into its own wording of an error: numbers, ids, names, never a
 * sentence. `message` stays for logs and developers; a clerk reads `code` + `field` + `params`
 * in their own language (src/renderer/src/lib/errors.ts).
 */
export type ErrorParams = Record<string, string | number>

export interface AppError {
  code: ErrorCode
  message: string
  retryable: boolean
  /** The offending input field, dotted, when code is invalid_input. */
  field?: string
  /** What the wording may quote: a carrier's name, an HTTP status, a limit, a count. */
  params?: ErrorParams
  /** Milliseconds until a retry may succeed (rate limits). */
  retryAfterMs?: number
  /** On a 'conflict' from printing: the label was printed already; ask "reprint?" and call again with reprint: true. */
  reprint?: boolean
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError }

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const fail = (error: AppError): Result<never> => ({ ok: false, error })

/** An error a service throws on purpose; the dispatcher turns it into `{ok:false}` as is. */
export class GuichetError extends Error {
  readonly code: ErrorCode
  readonly retryable: boolean
  readonly field?: string
  readonly retryAfterMs?: number
  readonly reprint?: boolean
  readonly params?: ErrorParams
  constructor(
    code: ErrorCode,
    message: string,
    opts: { retryable?: boolean; field?: string; retryAfterMs?: number; reprint?: boolean; params?: ErrorParams } = {}
  ) {
    super(message)
    this.name = 'GuichetError'
    this.code = code
    this.retryable = opts.retryable ?? false
    if (opts.field !== undefined) this.field = opts.field
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = opts.retryAfterMs
    if (opts.reprint !== undefined) this.reprint = opts.reprint
    if (opts.params !== undefined && Object.keys(opts.params).length > 0) this.params = opts.params
  }
  toAppError(): AppError {
    const e: AppError = { code: this.code, message: this.message, retryable: this.retryable }
    if (this.field !== undefined) e.field = this.field
    if (this.retryAfterMs !== undefined) e.retryAfterMs = this.retryAfterMs
    if (this.reprint !== undefined) e.reprint = this.reprint
    if (this.params !== undefined) e.params = this.params
    return e
  }
}
