import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Dispatch } from '../ipc/dispatch'
import { createReadiness } from './ready'

const answering: Dispatch = (async () => ({ ok: true, value: 'found' })) as unknown as Dispatch

afterEach(() => {
  vi.useRealTimers()
})

describe('background work waits for the first answer', () => {
  it('runs deferred work after the first call has been answered, not before', async () => {
    const r = createReadiness(60_000)
    const order: string[] = []
    r.after(() => order.push('poller'))
    const dispatch = r.wrap(answering)
    expect(order).toEqual([])
    const answer = await dispatch('shipments.find', { query: 'BX1' })
    order.push('answered')
    expect(answer).toEqual({ ok: true, value: 'found' })
    await new Promise((done) => setImmediate(done))
    expect(order).toEqual(['answered', 'poller'])
    expect(r.isReady).toBe(true)
    // Once ready, later work runs at once.
    r.after(() => order.push('hub'))
    expect(order).toEqual(['answered', 'poller', 'hub'])
  })

  it('starts the work after the ceiling when no call comes', () => {
    vi.useFakeTimers()
    const r = createReadiness(2_000)
    const ran = vi.fn()
    r.after(ran)
    vi.advanceTimersByTime(1_999)
    expect(ran).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(ran).toHaveBeenCalledOnce()
  })

  it('drops work that has not run when the backend closes first', async () => {
    vi.useFakeTimers()
    const r = createReadiness(2_000)
    const ran = vi.fn()
    r.after(ran)
    r.cancel()
    vi.advanceTimersByTime(5_000)
    expect(ran).not.toHaveBeenCalled()
  })
})
