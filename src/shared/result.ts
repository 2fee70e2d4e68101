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
 * Why, when the code alone says too little: `params.reason`, worded by the renderer
 * (`errors.reasons.<reason>`), never a sentence from main. `params.afterCrash` (1) adds that
 * Guichet may have sent the same request before a crash.
 */
export const ERROR_REASONS = [
  /** ECOTRACK 10003: a return is asked only while the parcel is out for delivery. */
  'return_not_out_for_delivery',
  /** No account of that carrier and alias is configured on this desk (the write waits). */
  'no_account',
  /** Guichet stopped mid-send and cannot tell whether the carrier received it. */
  'unknown_after_crash',
  /** Guichet (an older or other build) wrote a kind this one cannot send. */
  'kind_unknown',
  /** The account is cooling down after the carrier's rate limit. */
  'rate_limit_wait'
] as const
export type ErrorReason = (typeof ERROR_REASONS)[number]
export const isErrorReason = (r: unknown): r is ErrorReason => typeof r === 'string' && (ERROR_REASONS as readonly string[]).includes(r)

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
