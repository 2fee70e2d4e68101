#!/usr/bin/env node
// `npm start`: runs the desktop app from the fresh build. Electron >= 42 fetches its binary
// on first use; where that is impossible (no network), say so and point to browser mode.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
let electronPath
try {
  electronPath = require('electron')
} catch (e) {
  console.error(`Electron could not be prepared: ${e instanceof Error ? e.message.split('\n')[0] : e}`)
  console.error('Run `npx install-electron` once on a machine with network access, or use browser mode: `npm run serve`.')
  process.exit(1)
}
const child = spawn(electronPath, ['.'], { stdio: 'inherit', env: process.env })
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)))
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s))
