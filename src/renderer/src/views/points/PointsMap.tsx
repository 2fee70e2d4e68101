import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import L from 'leaflet'
import 'leaflet/dist/leaflet.css'
import type { PickupPoint } from '@shared/points'

type Keyed = PickupPoint & { key: string }

/**
 * A tooltip from carrier data, as text: Leaflet parses a string tooltip as HTML, and a point's
 * name comes from the carrier, so it goes in as a text node, never as markup.
 */
export function textTooltip(text: string): HTMLElement {
  const el = document.createElement('span')
  el.textContent = text
  return el
}

/**
 * OpenStreetMap tiles with one circle per point (no icon images to load). The list beside it is
 * the keyboard path; the map only mirrors it, so it is shown only when online.
 */
export function PointsMap({
  points,
  selected,
  onSelect,
  onTilesFailed
}: {
  points: Keyed[]
  selected: string | null
  onSelect: (key: string) => void
  /** No tile has loaded and some failed: the map is blank, the view says so and keeps the list. */
  onTilesFailed?: () => void
}) {
  const { t } = useTranslation()
  const el = useRef<HTMLDivElement>(null)
  const map = useRef<L.Map | null>(null)
  const layer = useRef<L.LayerGroup | null>(null)
  const failed = useRef(onTilesFailed)
  useEffect(() => {
    failed.current = onTilesFailed
  }, [onTilesFailed])

  useEffect(() => {
    if (!el.current) return
    const m = L.map(el.current, { zoomControl: true, attributionControl: true })
    const tiles = L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png', {
      maxZoom: 19,
      attribution: '© OpenStreetMap contributors'
    })
    let loaded = 0
    tiles.on('tileload', () => loaded++)
    // One failed tile among loaded ones is a glitch; failures with nothing loaded is a blank map.
    tiles.on('tileerror', () => {
      if (loaded === 0) failed.current?.()
    })
    tiles.addTo(m)
    layer.current = L.layerGroup().addTo(m)
    map.current = m
    return () => {
      m.remove()
      map.current = null
    }
  }, [])

  useEffect(() => {
    const m = map.current
    const g = layer.current
    if (!m || !g) return
    g.clearLayers()
    const located = points.filter((p) => p.lat !== null && p.lon !== null)
    for (const p of located) {
      const on = p.key === selected
      L.circleMarker([p.lat!, p.lon!], { radius: on ? 10 : 7, color: on ? '#b00020' : '#1f5fbf', weight: 2, fillOpacity: 0.6 })
        .bindTooltip(textTooltip(p.name))
        .on('click', () => onSelect(p.key))
        .addTo(g)
    }
    if (located.length) m.fitBounds(L.latLngBounds(located.map((p) => [p.lat!, p.lon!] as [number, number])).pad(0.2), { maxZoom: 16 })
  }, [points, selected, onSelect])

  return <div ref={el} className="points-map" role="region" aria-label={t('points.map')} data-testid="points-map" style={{ height: 320 }} />
}
