import { describe, expect, it } from 'vitest'
import { buildSigning, signingAtBuild, signingFromEnv } from './signing'

describe('build signing', () => {
  it('is signed at build time only when the release machine gives a certificate or a publisher', () => {
    expect(signingFromEnv({})).toEqual({ signed: false, publisher: null })
    expect(signingFromEnv({ CSC_LINK: '' })).toEqual({ signed: false, publisher: null })
    expect(signingFromEnv({ CSC_LINK: '/secure/guichet.p12' })).toEqual({ signed: true, publisher: null })
    expect(signingFromEnv({ WIN_CSC_LINK: 'base64...' })).toEqual({ signed: true, publisher: null })
    expect(signingFromEnv({ CSC_NAME: 'Developer ID Application: Guichet' })).toEqual({ signed: true, publisher: null })
    expect(signingFromEnv({ CSC_LINK: 'x', GUICHET_SIGNED_BY: ' Guichet SAS ' })).toEqual({ signed: true, publisher: 'Guichet SAS' })
  })

  it('calls an unpacked build not signed, whatever the build said', () => {
    const atBuild = { signed: true, publisher: 'Guichet SAS' }
    expect(buildSigning({ isPackaged: false, atBuild, updatePublisher: 'Guichet SAS' })).toEqual({ signed: false, publisher: null })
  })

  it("names the publisher electron-builder wrote for the updater, else the build's", () => {
    expect(buildSigning({ isPackaged: true, atBuild: null, updatePublisher: 'Guichet SAS' })).toEqual({
      signed: true,
      publisher: 'Guichet SAS'
    })
    expect(buildSigning({ isPackaged: true, atBuild: { signed: true, publisher: null }, updatePublisher: null })).toEqual({
      signed: true,
      publisher: null
    })
    expect(buildSigning({ isPackaged: true, atBuild: { signed: false, publisher: null }, updatePublisher: null })).toEqual({
      signed: false,
      publisher: null
    })
    expect(buildSigning({ isPackaged: true, atBuild: null, updatePublisher: null })).toEqual({ signed: false, publisher: null })
  })

  it('has no build-time value outside an electron-vite build', () => {
    expect(signingAtBuild()).toBeNull()
  })
})
