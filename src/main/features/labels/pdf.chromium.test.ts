import { describe, expect, it } from 'vitest'
import { chromiumArgs, LABEL_CSP, withLabelCsp } from './pdf.chromium'

describe('label rendering in Chromium (browser mode)', () => {
  it('keeps the sandbox on unless Chromium cannot have one (root, or the machine says so)', () => {
    expect(chromiumArgs({ root: false })).not.toContain('--no-sandbox')
    expect(chromiumArgs({ root: true })).toContain('--no-sandbox')
    expect(chromiumArgs({ root: false, noSandbox: true })).toContain('--no-sandbox')
  })

  it('puts a CSP without script or network before anything else in the label', () => {
    expect(LABEL_CSP).toContain("default-src 'none'")
    expect(LABEL_CSP).not.toMatch(/script-src|unsafe-eval|https?:/)
    const html = withLabelCsp('<!doctype html><html><head><title>x</title><script>alert(1)</script></head><body></body></html>')
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script>'))
    expect(html).toMatch(/<head><meta http-equiv="Content-Security-Policy"/)
    expect(withLabelCsp('<svg></svg>').startsWith('<meta http-equiv="Content-Security-Policy"')).toBe(true)
  })
})
