import { buildApi } from '@shared/contract/api'
import type { Channel, GuichetApi } from '@shared/contract'
import type { Result } from '@shared/result'

type Reply = (input: unknown) => Result<unknown> | Promise<Result<unknown>>

/**
 * A GuichetApi built from the real channel list, answering from a table of replies; every
 * call is recorded. Channels without a reply answer `unsupported`.
 */
export function fakeApi(replies: Partial<Record<Channel, Reply>>): GuichetApi & { calls: Array<{ channel: Channel; input: unknown }> } {
  const calls: Array<{ channel: Channel; input: unknown }> = []
  const api = buildApi(
    async (channel, input) => {
      calls.push({ channel, input })
      const reply = replies[channel]
      return reply ? reply(input) : { ok: false, error: { code: 'unsupported', message: `no fake for ${channel}`, retryable: false } }
    },
    () => () => {}
  )
  return Object.assign(api, { calls })
}
