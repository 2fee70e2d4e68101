import type { z } from 'zod'
import { contract, isChannel, type Channel, type Output, type ParsedInput } from '../../../shared/contract'
import { GuichetError, type AppError, type Result } from '../../../shared/result'
import type { Logger } from '../logger'
import { sharedRedactor } from '../logger'

/** One function per channel, given input that has already passed its schema. */
export type Handlers = { [C in Channel]: (input: ParsedInput<C>) => Output<C> | Promise<Output<C>> }

export type Dispatch = (channel: string, input: unknown) => Promise<Result<unknown>>

function describeIssue(error: z.ZodError): AppError {
  const issue = error.issues[0]
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(input)'
  const message = issue ? `${field}: ${issue.message}` : 'Invalid input'
  // A schema's own refinement may give the wording a number (a minimum length...).
  const params = issue?.code === 'custom' ? (issue.params as AppError['params'] | undefined) : undefined
  return { code: 'invalid_input', message, retryable: false, field, ...(params ? { params } : {}) }
}

/** Maps anything a handler threw to a clear, secret-free error. */
export function toAppError(e: unknown, logger: Logger, channel: string): AppError {
  if (e instanceof GuichetError) {
    const err = e.toAppError()
    err.message = sharedRedactor.text(err.message)
    return err
  }
  const code = (e as { code?: unknown })?.code
  if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) {
    return { code: 'storage', message: 'The local store is busy; try again.', retryable: true }
  }
  logger.error('ipc.handler_failed', {
    channel,
    error: e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : String(e)
  })
  return { code: 'internal', message: 'Something went wrong inside Guichet; it was logged.', retryable: false }
}

/**
 * The single entry point both transports call: unknown channel, invalid input and handler
 * failures all come back as `{ok:false, error}`; nothing is thrown across the boundary.
 */
export function createDispatch(handlers: Handlers, logger: Logger): Dispatch {
  return async (channel, input) => {
    if (!isChannel(channel)) {
      return { ok: false, error: { code: 'unknown_channel', message: `Unknown channel: ${channel.slice(0, 64)}`, retryable: false } }
    }
    const parsed = (contract[channel].input as z.ZodType).safeParse(input)
    if (!parsed.success) return { ok: false, error: describeIssue(parsed.error) }
    try {
      const handler = handlers[channel] as (i: unknown) => unknown
      const value = await handler(parsed.data)
      // Last gate before the renderer: no registered secret leaves main, whatever a handler returned.
      return { ok: true, value: sharedRedactor.strings(value) }
    } catch (e) {
      return { ok: false, error: sharedRedactor.strings(toAppError(e, logger, channel)) }
    }
  }
}
