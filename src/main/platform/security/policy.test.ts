import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY, isAllowedExternalUrl, isLoopbackHost, isTrustedSenderUrl, resolveUnderRoot } from './policy'
import { devToolsAllowed, mainWindowOptions, SUPPORT_SWITCH } from '../window/options'

describe('window options', () => {
  it('keeps every security flag of the checklist', () => {
    const o = mainWindowOptions('/app/out/preload/index.js')
    expect(o.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.js',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      devTools: false
    })
    expect(o.webPreferences?.enableBlinkFeatures).toBeUndefined()
  })

  it('gives DevTools only to development or to a packaged build started with the support switch', () => {
    expect(devToolsAllowed({ packaged: true, argv: ['/opt/Guichet/guichet'] })).toBe(false)
    expect(devToolsAllowed({ packaged: true, argv: ['/opt/Guichet/guichet', SUPPORT_SWITCH] })).toBe(true)
    expect(devToolsAllowed({ packaged: false, argv: [] })).toBe(true)
    expect(mainWindowOptions('/p', { devTools: true }).webPreferences?.devTools).toBe(true)
  })
})

describe('CSP', () => {
  it('allows no inline or remote script', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'")
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval|https?:)/)
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'")
  })
})

describe('external links', () => {
  it('opens only https carrier pages from the allow-list', () => {
    expect(isAllowedExternalUrl('https://service.post.ch/ekp-web/ui/entry/shipping/1/parcel/detail?parcelId=1')).toBe(true)
    expect(isAllowedExternalUrl('https://dhd.ecotrack.dz/suivi')).toBe(true)
    expect(isAllowedExternalUrl('http://service.post.ch/')).toBe(false)
    expect(isAllowedExternalUrl('https://service.post.ch.evil.example/')).toBe(false)
    expect(isAllowedExternalUrl('https://user:pw@service.post.ch/')).toBe(false)
    expect(isAllowedExternalUrl('file:///etc/passwd')).toBe(false)
    expect(isAllowedExternalUrl('javascript:alert(1)')).toBe(false)
  })
})

describe('resolveUnderRoot', () => {
  const root = resolve('/srv/ui')
  it('maps paths inside the folder', () => {
    expect(resolveUnderRoot(root, '/')).toBe(join(root, 'index.html'))
    expect(resolveUnderRoot(root, '/assets/app.js')).toBe(join(root, 'assets/app.js'))
  })
  it('refuses traversal, encoded separators and NUL', () => {
    expect(resolveUnderRoot(root, '/../etc/passwd')).toBeNull()
    expect(resolveUnderRoot(root, '/%2e%2e/%2e%2e/etc/passwd')).toBeNull()
    expect(resolveUnderRoot(root, '/..%2fsecret')).toBeNull()
    expect(resolveUnderRoot(root, '/a%00.js')).toBeNull()
    expect(resolveUnderRoot(root, '/..\\secret')).toBeNull()
    expect(resolveUnderRoot(root, '/%E0%A4%A')).toBeNull()
  })
})

describe('sender check', () => {
  it('trusts only the app’s own top frame', () => {
    expect(isTrustedSenderUrl('app://guichet/index.html', true)).toBe(true)
    expect(isTrustedSenderUrl('app://guichet/index.html', false)).toBe(false)
    expect(isTrustedSenderUrl('https://evil.example/', true)).toBe(false)
    expect(isTrustedSenderUrl('http://localhost:5173/', true)).toBe(false)
    expect(isTrustedSenderUrl('http://localhost:5173/', true, 'http://localhost:5173')).toBe(true)
  })
  it('knows loopback hosts', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true)
    expect(isLoopbackHost('::1')).toBe(true)
    expect(isLoopbackHost('0.0.0.0')).toBe(false)
    expect(isLoopbackHost('192.0.2.1')).toBe(false)
  })
})
