import { describe, expect, it } from 'vitest'
import type { OfficeApi, OfficeResult } from '../api/office'
import type { OfficePointStock } from '../../../shared/hub/office'
import { createHeadOfficeStore } from './headoffice'

const stock = (pointId: string): OfficePointStock => ({ pointId, parcels: [], more: false })
const never = () => new Promise<never>(() => undefined)

function api(over: Partial<OfficeApi>): OfficeApi {
  return {
    info: never,
    login: never,
    logout: never,
    network: never,
    pointStock: never,
    createEnrolmentCode: never,
    revokeDesk: never,
    ...over
  }
}

describe('head office store', () => {
  it('keeps the point the user opened last when an older answer arrives after it', async () => {
    const waiting = new Map<string, (r: OfficeResult<OfficePointStock>) => void>()
    const store = createHeadOfficeStore(api({ pointStock: (id) => new Promise((resolve) => waiting.set(id, resolve)) }), {
      name: 'chef',
      role: 'viewer'
    })
    const first = store.getState().openPoint('P1')
    const second = store.getState().openPoint('P2')
    waiting.get('P2')!({ ok: true, value: stock('P2') })
    await second
    waiting.get('P1')!({ ok: true, value: stock('P1') })
    await first
    expect(store.getState().point).toBe('P2')
    expect(store.getState().stock?.pointId).toBe('P2')
  })

  it('forgets what it showed when the session ends, and keeps other refusals as an error on screen', async () => {
    let answer: OfficeResult<never> = { ok: false, refusal: { refused: 'office.unreachable' } }
    const store = createHeadOfficeStore(api({ network: async () => answer }), { name: 'chef', role: 'admin' })
    await store.getState().refresh()
    expect(store.getState()).toMatchObject({ user: { name: 'chef' }, error: { refused: 'office.unreachable' } })
    answer = { ok: false, refusal: { refused: 'office.signed_out' } }
    await store.getState().refresh()
    expect(store.getState()).toMatchObject({ user: null, network: null, error: null })
  })
})
