// The carriers' published machine-readable specs (../shared/carriers/specs) and reference data
// (../shared/carriers/data): tests read them from there, so a simulator's committed copy or a client
// drifting from the published text shows. A missing file is an error, never a skipped check.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { load } from 'js-yaml'

/** Where ../shared/carriers/<sub> may be: GUICHET_CARRIER_SPECS (specs only), then beside the worktree. */
function dirs(sub: 'specs' | 'data'): string[] {
  return [
    sub === 'specs' ? process.env.GUICHET_CARRIER_SPECS : undefined,
    join(process.cwd(), '..', 'shared', 'carriers', sub),
    join(process.cwd(), '..', '..', 'shared', 'carriers', sub),
    join(__dirname, '../../../../..', 'shared', 'carriers', sub),
    join(__dirname, '../../../../../..', 'shared', 'carriers', sub)
  ].filter(Boolean) as string[]
}

function find(sub: 'specs' | 'data', file: string): string {
  const ds = dirs(sub)
  for (const d of ds) if (existsSync(join(d, file))) return join(d, file)
  throw new Error(
    `${sub === 'specs' ? 'spec' : 'reference data'} ${file} not found in ${ds.join(', ')}${sub === 'specs' ? ' (set GUICHET_CARRIER_SPECS)' : ''}`
  )
}

export function specFile(file: string): string {
  return find('specs', file)
}

/** A published spec, parsed (YAML or JSON). */
export function loadSpec<T = Record<string, unknown>>(file: string): T {
  const text = readFileSync(specFile(file), 'utf8')
  return (file.endsWith('.json') ? JSON.parse(text) : load(text)) as T
}

/** A published reference data file (JSON) of ../shared/carriers/data. */
export function loadSharedData<T = unknown>(file: string): T {
  return JSON.parse(readFileSync(find('data', file), 'utf8')) as T
}
