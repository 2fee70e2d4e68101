// The updater channels through the real backend and dispatcher in browser mode (updates off).
import { rmSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { testBackend } from '../helpers/backend'

describe('updater channels in browser mode', () => {
  it('reports that updates are managed by the desktop app', async () => {
    const b = testBackend({ demo: false })
    try {
      const status = await b.dispatch('updater.status', {})
      expect(status).toMatchObject({
        ok: true,
        value: { supported: false, disabledReason: 'browser_mode', phase: 'disabled', show: 'nothing' }
      })
      expect(await b.dispatch('updater.check', {})).toMatchObject({ ok: true, value: { supported: false } })
      expect(await b.dispatch('updater.restartNow', {})).toMatchObject({
        ok: false,
        error: { code: 'unsupported', message: 'Updates are managed by the desktop app' }
      })
      expect(await b.dispatch('updater.setChannel', { channel: 'beta' })).toMatchObject({ ok: false, error: { code: 'unsupported' } })
    } finally {
      b.close()
      rmSync(b.dataDir, { recursive: true, force: true })
    }
  })

  it('validates channel input strictly', async () => {
    const b = testBackend({ demo: false })
    try {
      expect(await b.dispatch('updater.setChannel', { channel: 'Latest!' })).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', field: 'channel' }
      })
      // The renderer names a channel; a feed address is not part of the call at all.
      for (const feedUrl of ['ftp://x', 'https://evil.example/feed', null])
        expect(await b.dispatch('updater.setChannel', { channel: 'beta', feedUrl })).toMatchObject({
          ok: false,
          error: { code: 'invalid_input' }
        })
      expect(await b.dispatch('updater.status', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    } finally {
      b.close()
      rmSync(b.dataDir, { recursive: true, force: true })
    }
  })
})

// The desktop shape (electron-updater's own NsisUpdater behind the backend) is in updater-feed.test.ts.
