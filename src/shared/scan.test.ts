import { describe, expect, it } from 'vitest'
import { WedgeDetector, looksLikeCode, nationalNumber, normalizeScan, phoneKeys, trackingKey } from './scan'

describe('normalizeScan', () => {
  it('strips control characters, invisible marks and surrounding spaces', () => {
    expect(normalizeScan('\u0002ECQFLD2611240017\r\n')).toBe('ECQFLD2611240017')
    expect(normalizeScan('\u200bERMA2611240042\ufeff ')).toBe('ERMA2611240042')
    expect(normalizeScan('99\u001d6012\u0004')).toBe('996012')
  })
  it('strips AIM symbology identifiers and configured prefixes and suffixes', () => {
    expect(normalizeScan(']C1996012345600004211')).toBe('996012345600004211')
    expect(normalizeScan('*ABC123456#', { prefix: '*', suffix: '#' })).toBe('ABC123456')
  })
  it('keeps names as typed', () => {
    expect(normalizeScan('  Yasmine El Idrissi ')).toBe('Yasmine El Idrissi')
  })
})

describe('trackingKey', () => {
  it('folds case and separators so printed and scanned forms match', () => {
    expect(trackingKey('99.60.123456.00004211')).toBe('996012345600004211')
    expect(trackingKey('ecqfld-2611 240017')).toBe('ECQFLD2611240017')
  })
})

describe('phone keys', () => {
  it('indexes the international digits and the national number', () => {
    expect(phoneKeys('+212 6 12 34 56 78')).toBe('212612345678 612345678')
    expect(phoneKeys('0551234567')).toBe('0551234567 551234567')
    expect(phoneKeys(null)).toBe('')
  })
  it('drops a country code and leading zeros', () => {
    expect(nationalNumber('00213551234567')).toBe('551234567')
    expect(nationalNumber('0041791234567')).toBe('791234567')
  })
})

describe('looksLikeCode', () => {
  it('tells numbers from names', () => {
    expect(looksLikeCode('ECQFLD2611240017')).toBe(true)
    expect(looksLikeCode('Yasmine')).toBe(false)
    expect(looksLikeCode('12')).toBe(false)
  })
})

describe('WedgeDetector', () => {
  const feedAll = (d: WedgeDetector, text: string, start: number, gap: number) => {
    let t = start
    let out: string | null = null
    for (const ch of text) {
      out = d.feed(ch, (t += gap))
    }
    return { out, t }
  }
  it('recognises a fast burst ended by Enter as a scan', () => {
    const d = new WedgeDetector()
    const { t } = feedAll(d, 'ECQFLD2611240017', 1000, 8)
    expect(d.feed('Enter', t + 8)).toBe('ECQFLD2611240017')
  })
  it('ignores slow typing', () => {
    const d = new WedgeDetector()
    const { t } = feedAll(d, 'ECQFLD2611240017', 1000, 180)
    expect(d.feed('Enter', t + 150)).toBeNull()
  })
  it('ignores modifier keys inside a burst and strips the framing', () => {
    const d = new WedgeDetector({ prefix: '*' })
    let t = 0
    for (const k of ['*', 'Shift', 'A', 'B', 'C', '1', '2', '3', '4']) d.feed(k, (t += 5))
    expect(d.feed('Enter', t + 5)).toBe('ABC1234')
  })
})
