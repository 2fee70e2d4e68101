#!/usr/bin/env node
// `npm test`: every check CI runs, in order, each one reported; the last line totals every
// runner as `N passed, N failed` so a run that tested nothing is seen.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'

const only = process.argv.slice(2)
mkdirSync('test-results', { recursive: true })
for (const f of ['test-results/vitest.json', 'test-results/playwright.json']) rmSync(f, { force: true })

const steps = [
  { name: 'typecheck', cmd: 'npm run -s typecheck' },
  { name: 'lint', cmd: 'npx eslint --max-warnings 0 .' },
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
