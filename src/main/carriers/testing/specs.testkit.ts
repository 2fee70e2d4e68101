// The carriers' published machine-readable specs (../shared/carriers/specs): tests read them from
// there, so a simulator's committed copy or a client drifting from the published text shows.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { load } from 'js-yaml'

const DIRS = [
  process.env.GUICHET_CARRIER_SPECS,
  join(process.cwd(), '..', 'shared', 'carriers', 'specs'),
  join(process.cwd(), '..', '..', 'shared', 'carriers', 'specs'),
  join(__dirname, '../../../../..', 'shared', 'carriers', 'specs'),
  join(__dirname, '../../../../../..', 'shared', 'carriers', 'specs')
].filter(Boolean) as string[]

export function specFile(file: string): string {
  for (const d of DIRS) if (existsSync(join(d, file))) return join(d, file)
  throw new Error(`spec ${file} not found in ${DIRS.join(', ')} (set GUICHET_CARRIER_SPECS)`)
}

/** A published spec, parsed (YAML or JSON). */
export function loadSpec<T = Record<string, unknown>>(file: string): T {
  const text = readFileSync(specFile(file), 'utf8')
  return (file.endsWith('.json') ? JSON.parse(text) : load(text)) as T
}
