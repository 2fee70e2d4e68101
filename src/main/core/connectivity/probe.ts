import type * as Net from 'node:net'
import { lazyRequire } from '../../platform/startup/lazy'

// Loaded at the first probe (offline only), not at start.
const net = lazyRequire<typeof Net>('node:net')

/**
 * A cheap "is any carrier reachable?" check for the connectivity monitor while offline: a TCP
 * connection to each carrier base URL's host and port, nothing sent (no request, no credentials,
 * no rate budget spent). True as soon as one answers.
 */
export function tcpProbe(baseUrls: () => readonly string[], timeoutMs = 3_000): () => Promise<boolean> {
  return async () => {
    const targets = new Map<string, { host: string; port: number }>()
    for (const raw of baseUrls()) {
      try {
        const u = new URL(raw)
        const port = Number(u.port) || (u.protocol === 'https:' ? 443 : 80)
        targets.set(`${u.hostname}:${port}`, { host: u.hostname.replace(/^\[|\]$/g, ''), port })
      } catch {
        // a malformed URL is the accounts screen's problem, not a network outage
      }
    }
    if (targets.size === 0) return false
    const tries = [...targets.values()].map(
      ({ host, port }) =>
        new Promise<boolean>((resolve) => {
          const socket = net().connect({ host, port })
          const done = (ok: boolean) => {
            socket.removeAllListeners()
            socket.destroy()
            resolve(ok)
          }
          socket.setTimeout(timeoutMs, () => done(false))
          socket.once('connect', () => done(true))
          socket.once('error', () => done(false))
        })
    )
    return (await Promise.all(tries)).some(Boolean)
  }
}
