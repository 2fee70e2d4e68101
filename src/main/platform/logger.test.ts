import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createLogger, Redactor, secretForms } from './logger'

/** Every printable ASCII character, space included: the worst a carrier could issue. */
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('')

/** The places a token travels: how a client sends it and how a server may echo it back. */
function carriers(token: string): string[] {
  const u = new URL('https://carrier.example/api/v1/get/orders')
  u.searchParams.set('api_token', token)
  return [
    `GET ${u.toString()} failed`,
    `request to https://carrier.example/x?api_token=${encodeURIComponent(token)}&page=2`,
    `Authorization: Bearer ${token}`,
    JSON.stringify({ message: 'invalid token', token }),
    JSON.stringify(JSON.stringify({ token })),
    `echo ${Buffer.from(token).toString('base64')} end`,
    `<p>token "${token}" refused</p>`
  ]
}

describe('Redactor', () => {
  it('hides a Sanctum-style token whole, although the Bearer pattern stops at its "|"', () => {
    const r = new Redactor()
    r.add('7|Qm3xK9pLw2')
    const out = r.text('Authorization: Bearer 7|Qm3xK9pLw2 and ?api_token=7%7CQm3xK9pLw2')
    expect(out).not.toContain('Qm3x')
    expect(out).toBe('Authorization: Bearer [redacted] and ?api_token=[redacted]')
  })

  it('hides a token made of every printable ASCII character in every form it travels in', () => {
    const r = new Redactor()
    r.add(PRINTABLE)
    for (const text of carriers(PRINTABLE)) {
      const out = r.text(text)
      for (const form of secretForms(PRINTABLE)) expect(out, text).not.toContain(form)
      // Nothing of the middle of the token is left either.
      expect(out, text).not.toContain('0123456789:;<=>?@ABC')
    }
  })

  it.each(['k', '7|', '%&+', '"', 'a b', '=='])('hides a short token %j where it stands as a value', (token) => {
    const r = new Redactor()
    r.add(token)
    for (const text of carriers(token)) {
      const out = r.text(text)
      expect(out, text).toContain('[redacted]')
      const u = new URL('https://carrier.example/')
      u.searchParams.set('api_token', token)
      expect(out).not.toContain(`api_token=${u.searchParams.toString().slice(10)}&`)
      expect(out).not.toContain(`Bearer ${token}`)
      expect(out).not.toContain(JSON.stringify({ token }).slice(1, -1))
    }
  })

  it('leaves a short token inside a longer word alone, so logs stay readable', () => {
    const r = new Redactor()
    r.add('7')
    expect(r.text('parcel ECQFLD2611240017 at 17:07')).toBe('parcel ECQFLD2611240017 at 17:07')
    expect(r.text('token=7&x=1')).toBe('token=[redacted]&x=1')
  })

  it('hides a secret that contains another registered one whole', () => {
    const r = new Redactor()
    r.add('abcd')
    r.add('xxabcdyy')
    expect(r.text('see xxabcdyy')).toBe('see [redacted]')
  })

  it('keeps secrets out of guichet.log, nested fields and error messages included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-log-'))
    try {
      const file = join(dir, 'guichet.log')
      const logger = createLogger({ file, console: false, redactor: new Redactor() })
      logger.addSecret(PRINTABLE)
      logger.addSecret('Q!')
      logger.error('carrier.failed', {
        detail: { lines: carriers(PRINTABLE) },
        error: new Error(`refused Bearer Q! at ${encodeURIComponent(PRINTABLE)}`)
      })
      const text = readFileSync(file, 'utf8')
      for (const form of secretForms(PRINTABLE)) expect(text).not.toContain(form)
      expect(text).not.toContain('Bearer Q!')
      expect(text).toContain('carrier.failed')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
