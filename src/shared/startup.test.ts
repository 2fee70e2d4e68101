import { describe, expect, it } from 'vitest'
import { problemFromHash, problemToHash, type StartupProblem } from './startup'

describe('start-up problem in a URL fragment', () => {
  it('carries every problem and the language there and back', () => {
    const problems: StartupProblem[] = [
      { code: 'store_too_new', file: 'C:\\Users\\desk\\Guichet\\guichet.sqlite', found: 14, supported: 13 },
      { code: 'store_locked', file: '/home/desk/.guichet/guichet.sqlite#1&x=y' },
      { code: 'store_unreadable', file: '/mnt/é/guichet.sqlite' },
      { code: 'startup_failed' }
    ]
    for (const p of problems) expect(problemFromHash(`#${problemToHash(p, 'ar')}`)).toEqual({ problem: p, lang: 'ar' })
  })

  it('ignores other fragments and unknown codes', () => {
    expect(problemFromHash('#token=abc')).toBeNull()
    expect(problemFromHash('#startup&code=format_disk')).toBeNull()
    expect(problemFromHash('')).toBeNull()
  })
})
