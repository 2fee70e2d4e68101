import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../platform/clock'
import { silentLogger } from '../../platform/logger'
import { createEcotrackAdapter, type EcotrackAdapter } from './client'
import { startEcotrackSimulator, type EcotrackSim } from './sim/simulator'

describe('ECOTRACK stop desks as pickup points (communes with has_stop_desk)', () => {
  const clock = new ManualClock()
  let sim: EcotrackSim
  let eco: EcotrackAdapter

  beforeAll(async () => {
    sim = await startEcotrackSimulator({ clock, tokens: ['eco-points-token-01'] })
    eco = createEcotrackAdapter(
      { carrier: 'ecotrack', alias: 'demo', baseUrl: sim.url, credentials: { token: 'eco-points-token-01' } },
      { now: () => clock.now(), logger: silentLogger, timeoutMs: 2000 }
    )
  })
  afterAll(() => sim.close())

  it('declares points_search and finds stop desks by postal code and by commune name', async () => {
    expect(eco.capabilities.has('points_search')).toBe(true)
    const byZip = await eco.searchPoints!({ country: 'DZ', postalCode: '1657' })
    expect(byZip.map((p) => p.city)).toEqual(['Ain Benian'])
    expect(byZip[0]).toMatchObject({
      id: 'desk:Ain Benian',
      carrier: 'ecotrack',
      type: 'stop_desk',
      zip: '1657',
      country: 'DZ',
      lat: null,
      openingTimes: null
    })
    const byCity = await eco.searchPoints!({ country: 'DZ', city: 'ain benian' })
    expect(byCity.map((p) => p.id)).toEqual(['desk:Ain Benian'])
    expect(await eco.getPoint!('desk:Ain Benian')).toMatchObject({ name: 'Stop desk Ain Benian' })
    expect(await eco.getPoint!('desk:Nowhere')).toBeNull()
  })

  it('answers nothing outside Algeria, for other point types, or for a position alone', async () => {
    expect(await eco.searchPoints!({ country: 'CH', postalCode: '1657' })).toEqual([])
    expect(await eco.searchPoints!({ country: 'DZ', postalCode: '1657', types: ['locker'] })).toEqual([])
    expect(await eco.searchPoints!({ country: 'DZ', position: { lat: 36.7, lon: 3.0 } })).toEqual([])
  })
})
