import { buildApi } from '@shared/contract/api'
import type { Channel, GuichetApi, Input, Output } from '@shared/contract'
import type { Result } from '@shared/result'

/** What a fake answers on one channel: typed from the contract, so a wrong shape fails typecheck. */
export type Reply<C extends Channel> = (input: Input<C>) => Result<Output<C>> | Promise<Result<Output<C>>>
export type Replies = { [C in Channel]?: Reply<C> }

/**
 * A GuichetApi built from the real channel list, answering from a table of replies; every
 * call is recorded. Channels without a reply answer `unsupported`.
 */
export function fakeApi(replies: Replies): GuichetApi & { calls: Array<{ channel: Channel; input: unknown }> } {
  const calls: Array<{ channel: Channel; input: unknown }> = []
  const api = buildApi(
    async (channel, input) => {
      calls.push({ channel, input })
      const reply = replies[channel] as ((input: unknown) => Result<unknown> | Promise<Result<unknown>>) | undefined
      return reply ? reply(input) : { ok: false, error: { code: 'unsupported', message: `no fake for ${channel}`, retryable: false } }
    },
    () => () => {}
  )
  return Object.assign(api, { calls })
}
