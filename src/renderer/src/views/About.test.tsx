import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { beforeAll, describe, expect, it } from 'vitest'
import type { UpdateStatus } from '@shared/contract'
import type { Result } from '@shared/result'
import { initI18n } from '../i18n'
import { About, type AboutProps } from './About'

beforeAll(async () => {
  await initI18n('en')
})

const base: UpdateStatus = {
  supported: true,
  disabledReason: null,
  currentVersion: '1.0.0',
  channel: 'stable',
  feedUrl: 'https://updates.example.com/guichet',
  phase: 'up_to_date',
  lastCheckAt: '2026-11-28T09:00:00.000Z',
  nextCheckAt: '2026-11-28T15:00:00.000Z',
  available: null,
  installedNotes: null,
  downloadPercent: null,
  lastError: null,
  installBlockedBy: null,
  signing: { signed: false, publisher: null },
  show: 'nothing'
}

function fakeUpdater(
  initial: UpdateStatus,
  restart: { installing: boolean; blockedBy: UpdateStatus['installBlockedBy'] } = { installing: true, blockedBy: null }
) {
  let current = initial
  const calls: Array<[string, unknown?]> = []
  const ok = <T,>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value })
  const api: AboutProps['api'] = {
    updater: {
      status: () => (calls.push(['status']), ok(current)),
      check: () => (calls.push(['check']), ok(current)),
      restartNow: () => {
        calls.push(['restartNow'])
        if (!restart.installing) current = { ...current, installBlockedBy: restart.blockedBy }
        return ok(restart)
      },
      setChannel: (input) => {
        calls.push(['setChannel', input])
        current = { ...current, channel: input.channel, phase: 'idle' }
        return ok(current)
      }
    }
  }
  return { api, calls }
}

async function mount(api: AboutProps['api']) {
  await act(async () => {
    render(<About api={api} version="1.0.0" />)
  })
}

describe('About', () => {
  it('shows the version, channel and last check', async () => {
    await mount(fakeUpdater(base).api)
    expect(screen.getByTestId('about-version').textContent).toBe('1.0.0')
    expect((screen.getByTestId('about-channel') as HTMLSelectElement).value).toBe('stable')
    expect(screen.getByTestId('about-last-check').textContent).not.toBe('Never')
    expect(screen.getByText('Guichet is up to date.')).toBeTruthy()
  })

  it('offers restart now with the release notes of the downloaded version', async () => {
    const ready: UpdateStatus = {
      ...base,
      phase: 'ready',
      show: 'restart_offer',
      available: { version: '1.1.0', releaseDate: null, releaseNotes: '• Faster search\n• Labels print in Arabic' }
    }
    const { api, calls } = fakeUpdater(ready)
    await mount(api)
    expect(screen.getByTestId('about-ready').textContent).toContain('Version 1.1.0 is ready')
    expect(screen.getByTestId('about-notes').textContent).toContain('• Labels print in Arabic')
    await act(async () => {
      fireEvent.click(screen.getByTestId('about-restart'))
    })
    expect(calls.map((c) => c[0])).toContain('restartNow')
  })

  it('says why a restart waits', async () => {
    const ready: UpdateStatus = {
      ...base,
      phase: 'ready',
      show: 'restart_offer',
      available: { version: '1.1.0', releaseDate: null, releaseNotes: null }
    }
    await mount(fakeUpdater(ready, { installing: false, blockedBy: 'printing' }).api)
    await act(async () => {
      fireEvent.click(screen.getByTestId('about-restart'))
    })
    expect(screen.getByTestId('about-blocked').textContent).toBe('A label is printing: restart when it is done.')
  })

  it('shows a failed check quietly, as a status line', async () => {
    await mount(
      fakeUpdater({ ...base, phase: 'error', show: 'quiet_error', lastError: { message: 'server unreachable', at: base.lastCheckAt! } }).api
    )
    const line = screen.getByTestId('about-check-failed')
    expect(line.getAttribute('role')).toBe('status')
    expect(line.textContent).toContain('The last update check did not work')
    // Main's English stays in the log: the clerk reads the wording of their language.
    expect(line.textContent).not.toContain('server unreachable')
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('switches channel through the contract', async () => {
    const { api, calls } = fakeUpdater(base)
    await mount(api)
    await act(async () => {
      fireEvent.change(screen.getByTestId('about-channel'), { target: { value: 'beta' } })
    })
    expect(calls).toContainEqual(['setChannel', { channel: 'beta' }])
    expect((screen.getByTestId('about-channel') as HTMLSelectElement).value).toBe('beta')
  })

  it('shows what is new in the running version after an update', async () => {
    await mount(fakeUpdater({ ...base, installedNotes: 'Labels print in Arabic' }).api)
    expect(screen.getByTestId('about-notes').textContent).toBe('1.0.0\nLabels print in Arabic')
  })

  it('follows updater.changed pushes', async () => {
    const { api } = fakeUpdater(base)
    let push: ((s: UpdateStatus) => void) | null = null
    const withEvents: AboutProps['api'] = {
      ...api,
      on: ((name: string, listener: (s: UpdateStatus) => void) => {
        if (name === 'updater.changed') push = listener
        return () => {
          push = null
        }
      }) as NonNullable<AboutProps['api']['on']>
    }
    await mount(withEvents)
    expect(screen.queryByTestId('about-ready')).toBeNull()
    await act(async () => {
      push!({ ...base, phase: 'ready', show: 'restart_offer', available: { version: '1.2.0', releaseDate: null, releaseNotes: null } })
    })
    expect(screen.getByTestId('about-ready').textContent).toContain('Version 1.2.0 is ready')
  })

  it('says whether this build is signed, and by whom when known', async () => {
    await mount(fakeUpdater(base).api)
    expect(screen.getByTestId('about-signing').textContent).toBe('Not signed: this build cannot prove who made it')
    cleanup()
    await mount(fakeUpdater({ ...base, signing: { signed: true, publisher: 'Guichet SAS' } }).api)
    expect(screen.getByTestId('about-signing').textContent).toBe('Signed by Guichet SAS')
    cleanup()
    await mount(fakeUpdater({ ...base, signing: { signed: true, publisher: null } }).api)
    expect(screen.getByTestId('about-signing').textContent).toBe('Signed (publisher not named in this build)')
  })

  it('lists a site ring the point is on', async () => {
    await mount(fakeUpdater({ ...base, channel: 'site-casa-01' }).api)
    expect(screen.getByRole('option', { name: 'Site ring casa-01' })).toBeTruthy()
  })

  it('in browser mode, says the desktop app manages updates and disables the controls', async () => {
    await mount(fakeUpdater({ ...base, supported: false, disabledReason: 'browser_mode', phase: 'disabled', lastCheckAt: null }).api)
    expect(screen.getByTestId('about-disabled').textContent).toBe('Updates are managed by the desktop app.')
    expect((screen.getByTestId('about-check') as HTMLButtonElement).disabled).toBe(true)
    expect((screen.getByTestId('about-channel') as HTMLSelectElement).disabled).toBe(true)
    expect(screen.getByTestId('about-last-check').textContent).toBe('Never')
  })
})
