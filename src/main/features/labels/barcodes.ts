// Barcodes with bwip-js: SVG for labels and previews.
import { lazyRequire } from '../../platform/startup/lazy'
import type * as Bwip from 'bwip-js/node'
import type { BarcodeKind } from '../../../shared/label'
import { GuichetError } from '../../../shared/result'

// bwip-js (its symbol encoders) is loaded at the first barcode, not at start-up.
const bwip = lazyRequire<typeof Bwip>('bwip-js/node')

interface BarcodeSvg {
  /** The symbol's inner SVG markup (paths), in its own units. */
  body: string
  /** Size in symbol units: bwip-js draws 1 unit per Code 128 module, 2 per 2D cell at scale 1. */
  unitsW: number
  unitsH: number
  /** Modules (bars) or cells across. */
  modulesW: number
  modulesH: number
}

const cache = new Map<string, BarcodeSvg>()

/** The symbol for `payload` as SVG paths; memoised, because a label is drawn many times. */
export function barcodeSvg(kind: BarcodeKind, payload: string): BarcodeSvg {
  const key = `${kind}\u0000${payload}`
  const hit = cache.get(key)
  if (hit) return hit
  let svg: string
  try {
    svg = bwip().toSVG({ bcid: kind, text: payload, scale: 1, ...(kind === 'code128' ? { height: 10 } : {}) })
  } catch (e) {
    throw new GuichetError('invalid_input', `Can't draw a ${kind} barcode for "${payload.slice(0, 40)}": ${(e as Error).message}`, {
      field: 'barcodes'
    })
  }
  const vb = /viewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)"/.exec(svg)
  if (!vb) throw new GuichetError('internal', 'Unexpected barcode SVG')
  const unitsW = Number(vb[1])
  const unitsH = Number(vb[2])
  const body = svg.replace(/^[\s\S]*?<svg[^>]*>/, '').replace(/<\/svg>\s*$/, '')
  const per = kind === 'code128' ? 1 : 2
  const out: BarcodeSvg = { body, unitsW, unitsH, modulesW: unitsW / per, modulesH: unitsH / per }
  if (cache.size > 2000) cache.clear()
  cache.set(key, out)
  return out
}
