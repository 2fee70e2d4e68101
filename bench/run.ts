// `npm run bench [-- <suite> ...]`: runs benchmark suites and prints one line per figure,
// `<suite>.<metric> <value> <unit>`, and writes the same figures to bench-results/<suite>.json.
// A suite is bench/<suite>.bench.ts exporting `default (): Promise<Figure[]>`.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

export interface Figure {
  metric: string
  value: number
  unit: string
  /** What the figure is compared with, when the issue sets a goal. */
  goal?: string
}

async function main(): Promise<void> {
  const dir = join(import.meta.dirname, '.')
  const all = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.replace(/\.bench\.ts$/, ''))
    .sort()
  const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'))
  const unknown = asked.filter((s) => !all.includes(s))
  if (unknown.length) {
    process.stderr.write(`Unknown suite(s): ${unknown.join(', ')}. Suites: ${all.join(', ')}\n`)
    process.exit(2)
  }
  const suites = asked.length ? asked : all
  mkdirSync('bench-results', { recursive: true })
  const machine = {
    node: process.version,
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform}-${process.arch}`
  }
  for (const suite of suites) {
    const mod = (await import(pathToFileURL(join(dir, `${suite}.bench.ts`)).href)) as { default: () => Promise<Figure[]> }
    const figures = await mod.default()
    for (const f of figures) process.stdout.write(`${suite}.${f.metric} ${round(f.value)} ${f.unit}\n`)
    writeFileSync(
      join('bench-results', `${suite}.json`),
      JSON.stringify({ suite, at: new Date().toISOString(), machine, figures }, null, 2)
    )
  }
}

const round = (v: number) => (Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 1000) / 1000)

/** Percentile of a list of samples (nearest rank). */
export function percentile(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    process.stderr.write(String(e?.stack ?? e) + '\n')
    process.exit(1)
  })
}
