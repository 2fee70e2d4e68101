import { act, render, screen } from '@testing-library/react'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { EventPayloads } from '@shared/contract'
import { initI18n } from '../i18n'
import { BackendRestarted, NOTICE_MS } from './BackendRestarted'

beforeAll(async () => {
  await initI18n('fr')
})
afterEach(() => vi.useRealTimers())

function fakeEvents() {
  const listeners = new Map<string, (p: unknown) => void>()
  const api = {
    on: <E extends keyof EventPayloads>(name: E, fn: (p: EventPayloads[E]) => void) => {
      listeners.set(name, fn as (p: unknown) => void)
      return () => listeners.delete(name)
    }
  }
  return { api, emit: (name: string, payload: unknown) => listeners.get(name)?.(payload) }
}

describe('BackendRestarted', () => {
  it('says nothing until the backend restarts, then says so in the clerk’s language for a while', () => {
    vi.useFakeTimers()
    const { api, emit } = fakeEvents()
    render(<BackendRestarted api={api} />)
    expect(screen.queryByTestId('backend-restarted')).toBeNull()
    act(() => emit('backend.restarted', { at: '2026-12-03T10:00:00.000Z', attempt: 1 }))
    expect(screen.getByTestId('backend-restarted').textContent).toMatch(/redémarr/)
    act(() => void vi.advanceTimersByTime(NOTICE_MS + 1))
    expect(screen.queryByTestId('backend-restarted')).toBeNull()
  })
})
