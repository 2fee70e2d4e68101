#!/usr/bin/env node
// `npm test`: every check CI runs, in order, each one reported; the last line totals every
// runner as `N passed, N failed` so a run that tested nothing is seen.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'

// The Debian packages the printing and barcode tests drive (they start their own cupsd), the
// PostgreSQL the hub's tests start, and the Chromium Playwright uses. `npm test` installs the missing ones when it can (root with
// apt-get); otherwise it stops at once with the one command to run.
const SYSTEM = [
  ['chromium', 'chromium'],
  ['lpadmin', 'cups'],
  ['cupsd', 'cups'],
  ['lp', 'cups-client'],
  ['zbarimg', 'zbar-tools'],
  ['dmtxread', 'dmtx-utils'],
  ['pdfinfo', 'poppler-utils'],
  ['pdftoppm', 'poppler-utils']
]
const has = (bin) => ['/usr/bin', '/usr/sbin', '/bin', '/sbin', '/usr/local/bin'].some((d) => existsSync(`${d}/${bin}`))
function missingPackages() {
  const need = new Set(SYSTEM.filter(([bin]) => !(bin === 'chromium' && process.env.CHROMIUM_PATH) && !has(bin)).map(([, pkg]) => pkg))
  if (!existsSync('/usr/lib/cups/backend/cups-pdf')) need.add('printer-driver-cups-pdf')
  if (!existsSync('/usr/share/fonts/truetype/dejavu')) need.add('fonts-dejavu-core')
  // The hub's tests start a throwaway PostgreSQL cluster from Debian's server binaries.
  if (!existsSync('/usr/lib/postgresql')) need.add('postgresql')
  return [...need].sort()
}
function systemStep() {
  const need = missingPackages()
  if (need.length === 0) return 'true'
  const install = `apt-get install -y --no-install-recommends ${need.join(' ')}`
  const root = process.getuid?.() === 0
  if (root && has('apt-get')) return `apt-get update -qq && DEBIAN_FRONTEND=noninteractive ${install}`
  return `echo "The tests need Debian packages this machine lacks. Run: sudo apt-get update && sudo ${install}" >&2; exit 1`
}

const only = process.argv.slice(2)
mkdirSync('test-results', { recursive: true })
for (const f of ['test-results/vitest.json', 'test-results/playwright.json']) rmSync(f, { force: true })

const steps = [
  { name: 'system', cmd: systemStep(), stopOnFail: true },
  { name: 'typecheck', cmd: 'npm run -s typecheck' },
  { name: 'lint', cmd: 'npm run -s lint' },
  { name: 'build', cmd: 'npx electron-vite build' },
  {
    name: 'unit',
    cmd: 'npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json',
    counts: vitestCounts
  },
  { name: 'e2e', cmd: 'npx playwright test', needs: 'build', counts: playwrightCounts }
].filter((s) => only.length === 0 || only.includes(s.name))

const results = []
for (const step of steps) {
  if (step.needs && results.find((r) => r.name === step.needs && !r.ok)) {
    results.push({ name: step.name, ok: false, passed: 0, failed: 1, note: `not run: ${step.needs} failed` })
    continue
  }
  process.stdout.write(`\n=== ${step.name}: ${step.cmd}\n`)
  const t0 = Date.now()
  const r = spawnSync(step.cmd, { shell: true, stdio: 'inherit', env: process.env })
  const ok = r.status === 0
  const counts = step.counts ? step.counts() : { passed: ok ? 1 : 0, failed: ok ? 0 : 1 }
  // A runner that exits non-zero but reports no failed test still failed.
  if (!ok && counts.failed === 0) counts.failed = 1
  results.push({ name: step.name, ok, ...counts, seconds: Math.round((Date.now() - t0) / 1000) })
  if (step.stopOnFail && !ok) break
}

function vitestCounts() {
  if (!existsSync('test-results/vitest.json')) return { passed: 0, failed: 1 }
  const j = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'))
  return { passed: j.numPassedTests ?? 0, failed: j.numFailedTests ?? 0, skipped: (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0) }
}

function playwrightCounts() {
  if (!existsSync('test-results/playwright.json')) return { passed: 0, failed: 1 }
  const s = JSON.parse(readFileSync('test-results/playwright.json', 'utf8')).stats ?? {}
  return { passed: (s.expected ?? 0) + (s.flaky ?? 0), failed: s.unexpected ?? 0, skipped: s.skipped ?? 0 }
}

process.stdout.write('\n=== summary\n')
let passed = 0
let failed = 0
let skipped = 0
for (const r of results) {
  passed += r.passed
  failed += r.failed
  skipped += r.skipped ?? 0
  process.stdout.write(
    `${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(10)} ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}${r.note ? ` (${r.note})` : ''}${r.seconds !== undefined ? ` in ${r.seconds}s` : ''}\n`
  )
}
process.stdout.write(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`)
process.exit(results.every((r) => r.ok) ? 0 : 1)
