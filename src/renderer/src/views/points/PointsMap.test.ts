import L from 'leaflet'
import { createElement } from 'react'
import { act, render } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { textTooltip } from './PointsMap'

describe('map tooltips', () => {
  it('show a carrier point name as text, never as HTML', () => {
    const name = '<img src=x onerror="alert(1)"><b>Relais</b>'
    const host = document.createElement('div')
    document.body.append(host)
    const map = L.map(host).setView([46.5, 6.6], 12)
    const marker = L.circleMarker([46.5, 6.6]).bindTooltip(textTooltip(name)).addTo(map)
    marker.openTooltip()
    const tip = document.querySelector('.leaflet-tooltip')!
    expect(tip.textContent).toBe(name)
    expect(tip.querySelector('img, b')).toBeNull()
    map.remove()
  })
})

describe('tiles that cannot load', () => {
  const mount = async (onTilesFailed: () => void) => {
    const made: L.TileLayer[] = []
    const real = L.tileLayer
    const spy = vi.spyOn(L, 'tileLayer').mockImplementation((url, opts) => {
      const layer = real(url, opts)
      made.push(layer)
      return layer
    })
    const { PointsMap } = await import('./PointsMap')
    render(createElement(PointsMap, { points: [], selected: null, onSelect: () => {}, onTilesFailed }))
    spy.mockRestore()
    return made[0]!
  }

  it('a blank map (failures, nothing loaded) is reported so the view can say the list still works', async () => {
    const failed = vi.fn()
    const tiles = await mount(failed)
    act(() => void tiles.fire('tileerror'))
    expect(failed).toHaveBeenCalledTimes(1)
  })

  it('one failed tile among loaded ones is a glitch, not an unavailable map', async () => {
    const failed = vi.fn()
    const tiles = await mount(failed)
    act(() => void tiles.fire('tileload'))
    act(() => void tiles.fire('tileerror'))
    expect(failed).not.toHaveBeenCalled()
  })
})
