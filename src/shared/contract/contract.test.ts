import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { CHANNELS, contract } from './index'
import { noInput } from './schemas'

describe('the contract', () => {
  it('builds no channel’s input schema at import: each is lazy, or the one shared empty input', () => {
    const eager = CHANNELS.filter((c) => contract[c].input !== noInput && !(contract[c].input instanceof z.ZodLazy))
    expect(eager).toEqual([])
  })

  it('a lazy input validates at its first call as the schema inside it does', () => {
    const input = contract['shipments.find'].input
    expect(input.safeParse({ query: 'CP123456789CH' }).success).toBe(true)
    const bad = input.safeParse({ query: 42 })
    expect(bad.success).toBe(false)
    expect(bad.error?.issues[0]?.path).toEqual(['query'])
    expect(input.safeParse({ query: 'x', extra: 1 }).success).toBe(false) // still strict
  })
})
