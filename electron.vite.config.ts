import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import { signingFromEnv } from './src/main/platform/security/signing'

// Main is emitted as CommonJS so the sandboxed preload stays a single CJS file.
// electron-store (and conf under it) is ESM-only, so it is bundled rather than require()d.
/** Entries that start the backend: they load the code cache before the backend chunk (platform/startup/code-cache.ts). */
const CODE_CACHED = ['serve', 'backend.process']

export default defineConfig({
  main: {
    // Whether the release machine signs this build (a certificate for electron-builder): About says so.
    define: { __GUICHET_SIGNING__: JSON.stringify(signingFromEnv(process.env)) },
    build: {
      // playwright-core (browser mode's HTML -> PDF) loads its own files at run time: never bundle it.
      externalizeDeps: { exclude: ['electron-store', 'zod'], include: ['playwright-core'] },
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          // Browser mode: the same backend over loopback HTTP, with no Electron at all.
          serve: resolve('src/main/serve.ts'),
          // The backend in its own process (utilityProcess on the desktop); no Electron inside.
          'backend.process': resolve('src/main/backend.process.ts'),
          // V8 code cache for the backend's entries: loaded first, before the bundle it compiles.
          'code-cache': resolve('src/main/platform/startup/code-cache.ts')
        },
        output: {
          banner: (chunk) => (chunk.isEntry && CODE_CACHED.includes(chunk.name) ? 'require("./code-cache.js");' : ''),
          // Escaped non-ASCII (French, Arabic and German words in the backend): an all-ASCII file is
          // read and compiled as a one-byte string, 10 ms less at every start than UTF-8 decoding.
          charset: 'ascii',
          // Comments are for the sources; the built backend is read and compiled at every start. Licences stay.
          comments: { legal: true, annotation: false, jsdoc: false }
        }
      }
    }
  },
  preload: {
    // A sandboxed preload cannot require() anything but 'electron': bundle everything it uses.
    build: { externalizeDeps: false, rollupOptions: { input: { index: resolve('src/preload/index.ts') } } }
  },
  renderer: {
    resolve: { alias: { '@renderer': resolve('src/renderer/src'), '@shared': resolve('src/shared') } },
    plugins: [react()]
  }
})
