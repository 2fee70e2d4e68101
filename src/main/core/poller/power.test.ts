import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { bindPollerToSystem, pollingConnectivity, type PowerSource } from './power'

function recorder() {
  const calls: string[] = []
  return {
    calls,
    poller: {
      pause: (r?: string) => calls.push(`pause:${r}`),
      resume: (r?: string) => calls.push(`resume:${r}`),
      setOnline: (o: boolean) => calls.push(`online:${o}`)
    }
  }
}

describe('poller power and connectivity binding', () => {
  it('pauses on suspend, resumes on resume, follows connectivity, and unbinds', () => {
    const power = new EventEmitter() as unknown as PowerSource & EventEmitter
    let online = true
    let tick: (() => void) | null = null
    const conn = pollingConnectivity(() => online, 1000, { setInterval: (fn) => (tick = fn), clearInterval: () => (tick = null) })
    const { calls, poller } = recorder()
    const unbind = bindPollerToSystem(poller, power, conn)
    power.emit('suspend')
    power.emit('resume')
    online = false
    tick!()
    tick!()
    online = true
    tick!()
    expect(calls).toEqual(['online:true', 'pause:suspend', 'resume:suspend', 'online:false', 'online:true'])
    unbind()
    power.emit('suspend')
    expect(tick).toBeNull()
    expect(calls).toHaveLength(5)
  })

  it('treats a failing probe as online rather than stopping for good', () => {
    const { calls, poller } = recorder()
    const conn = pollingConnectivity(
      () => {
        throw new Error('no probe')
      },
      1000,
      { setInterval: () => 1, clearInterval: () => {} }
    )
    bindPollerToSystem(poller, null, conn)()
    expect(calls).toEqual(['online:true'])
  })
})
