import { resolve } from 'node:path'
import { defineConfig } from 'vitest/config'
import react from '@vitejs/plugin-react'

const alias = { '@renderer': resolve('src/renderer/src'), '@shared': resolve('src/shared') }

// Two projects: main/shared/tests in Node (real SQLite, real sockets on 127.0.0.1),
// renderer units in jsdom with a fake API built from the contract.
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'src/main/**/*.test.ts',
            'src/shared/**/*.test.ts',
            'src/hub/**/*.test.ts',
            'test/unit/**/*.test.ts',
            'test/integration/**/*.test.ts',
            'test/cross/**/*.test.ts'
          ],
          pool: 'forks',
          testTimeout: 20_000,
          hookTimeout: 30_000,
          server: { deps: { inline: ['electron-store'] } }
        }
      },
      {
        resolve: { alias },
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['src/renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['src/renderer/test-setup.ts']
        }
      }
    ]
  }
})
