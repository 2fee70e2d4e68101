// Start-up budget: a desk must answer its first scan within 150 ms of launch, and loading a
// package (undici, bwip-js...) costs 50-300 ms of CPU on a modest PC. Packages and work a scan
// does not need are loaded or done at first use through these helpers, not at import time.
// zod schemas declared at module level follow the same rule with z.lazy(() => ...): zod v4
// builds a schema's internals when it is declared, some 20 ms for the backend's schemas.
import { createRequire } from 'node:module'

// A CommonJS bundle made by esbuild (the reliability suite's children) leaves import.meta empty:
// there the bundle's own __filename anchors the lookup of node_modules.
const load = createRequire(typeof __filename === 'string' ? __filename : import.meta.url)

/** `make()` run once, at the first call; later calls return the same value. */
export function lazy<T>(make: () => T): () => T {
  let made = false
  let value: T
  return () => {
    if (!made) {
      value = make()
      made = true
    }
    return value
  }
}

/**
 * A package loaded with require() at the first call rather than imported at start. `id` must be an
 * external (not bundled) dependency: the bundler does not follow it. Type it with `typeof import(id)`.
 */
export const lazyRequire = <T>(id: string): (() => T) => lazy(() => load(id) as T)
