import { act, render, screen } from '@testing-library/react'
import { beforeAll, describe, expect, it } from 'vitest'
import type { AppInfo } from '@shared/app'
import type { GuichetApi } from '@shared/contract'
import { initI18n } from '../i18n'
import { StoreSetAside } from './StoreSetAside'

beforeAll(async () => {
  await initI18n('de')
})

function fakeApi(after: AppInfo['storeWarning']) {
  let restarted: (() => void) | null = null
  const api = {
    on: (name: string, fn: () => void) => {
      if (name === 'backend.restarted') restarted = fn
      return () => (restarted = null)
    },
    app: { info: () => Promise.resolve({ ok: true, value: { storeWarning: after } }) }
  } as unknown as Pick<GuichetApi, 'on' | 'app'>
  return { api, restart: () => restarted?.() }
}

describe('StoreSetAside', () => {
  it('shows the warning the window opened with', () => {
    const { api } = fakeApi(null)
    render(<StoreSetAside api={api} initial={{ code: 'store_set_aside', reason: 'header', kept: '/d/g.sqlite.damaged-1' }} />)
    expect(screen.getByTestId('store-set-aside').textContent).toContain('/d/g.sqlite.damaged-1')
  })

  it('learns of a store set aside at a backend restart, while the window stayed open', async () => {
    const { api, restart } = fakeApi({ code: 'store_set_aside', reason: 'integrity', kept: '/d/g.sqlite.damaged-2' })
    render(<StoreSetAside api={api} initial={null} />)
    expect(screen.queryByTestId('store-set-aside')).toBeNull()
    await act(async () => {
      restart()
      await Promise.resolve()
    })
    const text = screen.getByTestId('store-set-aside').textContent ?? ''
    expect(text).toContain('/d/g.sqlite.damaged-2')
    expect(text).not.toMatch(/store\.setAside/) // worded, not a key
  })
})
