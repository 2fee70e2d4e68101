// The fast check of a push body must agree with the contract's zod schema: same output where both
// accept, a refusal (with zod's field) wherever zod refuses.
import { describe, expect, it } from 'vitest'
import { pushRequestSchema } from '../shared/hub/contract'
import { checkPushRequest } from './ingest'

const event = (seq: number) => ({
  seq,
  kind: 'status',
  at: 1_700_000_000_000 + seq,
  carrier: 'ecotrack',
  account: 'main',
  trackingKey: `EC${seq}`,
  pointId: null,
  body: { unifiedStatus: 'shipped', nested: { a: [1, 2] } }
})
const valid = () => ({ protocol: 1, accounts: ['ecotrack/main'], events: [event(1), event(2)] })

type Mutation = [string, (b: ReturnType<typeof valid> & Record<string, unknown>) => void]
const mutations: Mutation[] = [
  ['extra keys are dropped', (b) => (Object.assign(b.events[0]!, { extra: 1 }), (b.spare = true))],
  ['seq 0', (b) => (b.events[0]!.seq = 0)],
  ['seq fractional', (b) => (b.events[0]!.seq = 1.5)],
  ['seq unsafe', (b) => (b.events[0]!.seq = 2 ** 60)],
  ['seq as string', (b) => ((b.events[1] as Record<string, unknown>).seq = '2')],
  ['unknown kind', (b) => (b.events[1]!.kind = 'shipment-ish')],
  ['at missing', (b) => delete (b.events[0] as Record<string, unknown>).at],
  ['carrier too long', (b) => (b.events[0]!.carrier = 'x'.repeat(65))],
  ['carrier at the limit', (b) => (b.events[0]!.carrier = 'x'.repeat(64))],
  ['account undefined', (b) => delete (b.events[0] as Record<string, unknown>).account],
  ['trackingKey number', (b) => ((b.events[0] as Record<string, unknown>).trackingKey = 5)],
  ['pointId too long', (b) => (b.events[0]!.pointId = 'p'.repeat(65) as unknown as null)],
  ['body array', (b) => ((b.events[0] as Record<string, unknown>).body = [1])],
  ['body null', (b) => ((b.events[0] as Record<string, unknown>).body = null)],
  ['event null', (b) => ((b.events as unknown[])[1] = null)],
  ['protocol 0', (b) => (b.protocol = 0)],
  ['protocol missing', (b) => delete (b as Record<string, unknown>).protocol],
  ['accounts not strings', (b) => ((b.accounts as unknown[]) = [1])],
  ['account too long', (b) => (b.accounts = ['a'.repeat(201)])],
  ['too many accounts', (b) => (b.accounts = Array.from({ length: 201 }, (_, i) => `a/${i}`))],
  ['too many events', (b) => (b.events = Array.from({ length: 5_001 }, (_, i) => event(i + 1)))],
  ['events not an array', (b) => ((b as Record<string, unknown>).events = {})],
  ['empty events', (b) => (b.events = [])]
]

describe('checkPushRequest', () => {
  it.each(mutations)('agrees with the contract schema: %s', (_, mutate) => {
    const body = JSON.parse(JSON.stringify(valid())) as ReturnType<typeof valid> & Record<string, unknown>
    mutate(body)
    const json = JSON.parse(JSON.stringify(body)) as unknown
    const zod = pushRequestSchema.safeParse(json)
    const fast = checkPushRequest(json)
    if (zod.success) expect(fast).toEqual({ ok: true, data: zod.data })
    else expect(fast).toEqual({ ok: false, field: zod.error.issues[0]!.path.join('.') })
  })

  it('refuses what zod refuses, naming the field', () => {
    const body = valid() as Record<string, unknown>
    ;(body.events as Array<Record<string, unknown>>)[1]!.kind = 'nope'
    expect(checkPushRequest(body)).toEqual({ ok: false, field: 'events.1.kind' })
  })
})
