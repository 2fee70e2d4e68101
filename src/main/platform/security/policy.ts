import { resolve, sep } from 'node:path'

// Pure security rules shared by the Electron shell and browser mode; unit-tested in Node.

/** Content Security Policy for the UI. No inline or remote script, ever. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  // OpenStreetMap tiles for the point map; everything else is local.
  "img-src 'self' data: blob: https://tile.openstreetmap.org",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'"
].join('; ')

/** The custom protocol the desktop UI is served from. */
export const APP_SCHEME = 'app'
export const APP_ORIGIN = 'app://guichet'

/** Carrier tracking pages a clerk may open in the system browser. Exact hosts, https only. */
const EXTERNAL_ALLOW_LIST = new Set([
  'www.expressrelais.ma',
  'expressrelais.ma',
  'service.post.ch',
  'www.post.ch',
  'places.post.ch',
  'tracking.sendcloud.sc',
  'panel.sendcloud.sc',
  'www.shiprocket.in',
  'shiprocket.co',
  'www.clickpost.ai',
  'www.shipway.com',
  'www.openstreetmap.org'
])

export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return false
  }
  if (url.protocol !== 'https:' || url.username || url.password) return false
  if (EXTERNAL_ALLOW_LIST.has(url.hostname)) return true
  // ECOTRACK couriers each have their own subdomain.
  return /^[a-z0-9-]+\.ecotrack\.dz$/.test(url.hostname)
}

/**
 * Maps a URL path to a file under `root`, or null when it would escape it (`..`, encoded
 * separators, NUL bytes). The UI is served only from its own folder.
 */
export function resolveUnderRoot(root: string, urlPath: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null
  const relative = decoded.replace(/^\/+/, '') || 'index.html'
  const base = resolve(root)
  const full = resolve(base, relative)
  if (full !== base && !full.startsWith(base + sep)) return null
  return full
}

/** Only the app's own top-level frame may call the backend. */
export function isTrustedSenderUrl(frameUrl: string, isTopFrame: boolean, devServerUrl?: string): boolean {
  if (!isTopFrame) return false
  if (frameUrl.startsWith(`${APP_ORIGIN}/`)) return true
  // `electron-vite dev` serves the UI from a local dev server; only when told so explicitly.
  if (devServerUrl) {
    try {
      return new URL(frameUrl).origin === new URL(devServerUrl).origin
    } catch {
      return false
    }
  }
  return false
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost'])
export const isLoopbackHost = (host: string): boolean => LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host)

export const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.webmanifest': 'application/manifest+json'
}
