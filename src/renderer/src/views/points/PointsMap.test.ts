import L from 'leaflet'
import { describe, expect, it } from 'vitest'
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
