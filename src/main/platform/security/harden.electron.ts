import { shell, type App, type Protocol, type Session } from 'electron'
import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import { APP_ORIGIN, APP_SCHEME, CONTENT_SECURITY_POLICY, MIME, isAllowedExternalUrl, resolveUnderRoot } from './policy'

/** Serves the built UI from app://guichet/, never outside its folder, with the CSP header. */
export function registerAppProtocol(protocol: Protocol, rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    if (url.host !== 'guichet') return new Response('Not found', { status: 404 })
    const file = resolveUnderRoot(rendererDir, url.pathname)
    if (!file) return new Response('Bad path', { status: 400 })
    try {
      const body = await readFile(file)
      return new Response(body, {
        headers: {
          'content-type': MIME[extname(file)] ?? 'application/octet-stream',
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff'
        }
      })
    } catch {
      return new Response('Not found', { status: 404 })
    }
  })
}

/** Denies permissions, navigation, new windows and webviews; opens allow-listed carrier pages outside. */
export function hardenApp(app: App, session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (e, url) => {
      if (!url.startsWith(`${APP_ORIGIN}/`)) e.preventDefault()
    })
    contents.on('will-redirect', (e, url) => {
      if (!url.startsWith(`${APP_ORIGIN}/`)) e.preventDefault()
    })
    contents.on('will-attach-webview', (e) => e.preventDefault())
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternalUrl(url)) void shell.openExternal(url)
      return { action: 'deny' }
    })
  })
}
