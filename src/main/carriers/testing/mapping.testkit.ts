// One consistency check for a carrier's status table, instead of one test per row (a row checked
// against itself proves nothing): natives unique once normalised, every row reachable and mapping
// to one of the eight unified statuses, and an unknown status kept visible through the fallback.
import { UNIFIED_STATUSES } from '../../../shared/domain'
import { mapStatus, type StatusMapping } from '../types'

export function mappingProblems(mapping: StatusMapping): string[] {
  const out: string[] = []
  const seen = new Map<string, string>()
  for (const r of mapping.rows) {
    const key = mapping.normalise ? mapping.normalise(r.native) : r.native
    const v = `${r.unified}/${r.kind ?? 'status'}`
    if (seen.has(key) && seen.get(key) !== v) out.push(`${r.native}: folds onto ${key} with ${seen.get(key)} and ${v}`)
    seen.set(key, v)
    if (!(UNIFIED_STATUSES as readonly string[]).includes(r.unified)) out.push(`${r.native}: ${r.unified} is not a unified status`)
    if (!mapStatus(mapping, r.native).known) out.push(`${r.native}: not found by mapStatus`)
  }
  const unknown = mapStatus(mapping, '__not_a_status__')
  if (unknown.known || unknown.kind !== 'info') out.push('an unknown status is not kept visible as info')
  return out
}

/** Native status -> unified status pairs, each written from the seed or contract text, checked. */
export function pairProblems(mapping: StatusMapping, pairs: ReadonlyArray<readonly [string, string]>): string[] {
  return pairs.flatMap(([native, unified]) => {
    const m = mapStatus(mapping, native)
    return m.known && m.unified === unified ? [] : [`${native}: expected ${unified}, got ${m.known ? m.unified : 'unknown'}`]
  })
}
